/**
 * The Control UI's entry: registers the elements (index.html holds `<openclaw-app>`). The package is
 * marked side-effect free, so registration happens here, explicitly, rather than on import.
 */
import "./app.css";
import { OpenClawApp } from "./app.js";
import { OcChat } from "./chat.js";
import { OcOverview } from "./overview.js";

const elements: Array<[string, CustomElementConstructor]> = [
  ["oc-overview", OcOverview],
  ["oc-chat", OcChat],
  ["openclaw-app", OpenClawApp],
];
for (const [name, element] of elements) if (!customElements.get(name)) customElements.define(name, element);
