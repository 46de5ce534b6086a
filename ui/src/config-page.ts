/** Placeholder page (being built). */
import { html, LitElement, type TemplateResult } from "lit";
import type { ProtocolClient } from "../../src/client/core/index.js";
import { baseStyles } from "./styles.js";

export class OcConfig extends LitElement {
  static override properties = { client: { attribute: false } };
  static override styles = [baseStyles];
  declare client: ProtocolClient | undefined;
  override render(): TemplateResult {
    return html`<p class="muted">Not built yet.</p>`;
  }
}
