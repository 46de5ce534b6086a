/**
 * The Control UI's entry: registers the elements (index.html holds `<openclaw-app>`). The package is
 * marked side-effect free, so registration happens here, explicitly, rather than on import.
 */
import "./app.css";
import { OpenClawApp } from "./app.js";
import { OcChannels } from "./channels.js";
import { OcChat } from "./chat.js";
import { OcConfig } from "./config-page.js";
import { OcLogs } from "./logs.js";
import { OcOverview } from "./overview.js";
import { OcSessions } from "./sessions.js";

const elements: Array<[string, CustomElementConstructor]> = [
  ["oc-overview", OcOverview],
  ["oc-chat", OcChat],
  ["oc-sessions", OcSessions],
  ["oc-channels", OcChannels],
  ["oc-logs", OcLogs],
  ["oc-config", OcConfig],
  ["openclaw-app", OpenClawApp],
];
for (const [name, element] of elements) if (!customElements.get(name)) customElements.define(name, element);
