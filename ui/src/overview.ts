/**
 * `<oc-overview>`: the gateway at a glance, from `status`, `health` and `channels.status`: version,
 * uptime, bind and port, auth mode, config hash and last reload error, channels with their state and
 * drop counters, model auth expiry, agents and sessions. Refreshed on `health`/`presence` events and
 * every few seconds as a fallback.
 */
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import type { ProtocolClient } from "../../src/client/core/index.js";
import { onEvents } from "./gateway.js";
import { formatDuration, isConnectionLost, loadOverview, type OverviewData } from "./overview-data.js";
import { baseStyles } from "./styles.js";

const REFRESH_MS = 5000;

/** The overview page. */
export class OcOverview extends LitElement {
  static override properties = { client: { attribute: false }, data: { state: true }, error: { state: true } };
  static override styles = [
    baseStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 4px 14px;
        margin: 0;
      }
      dt {
        color: var(--muted);
      }
      dd {
        margin: 0;
        min-width: 0;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        overflow-wrap: normal;
        font-size: 0.93em;
      }
      td:last-child,
      th:last-child {
        text-align: right;
      }
      th,
      td {
        text-align: left;
        padding: 4px 6px;
        border-bottom: 1px solid var(--border);
      }
      h2 {
        font-size: 1rem;
        margin: 0 0 8px;
      }
    `,
  ];

  declare client: ProtocolClient | undefined;
  declare data: OverviewData | undefined;
  declare error: string;
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;
  private pending: Promise<void> | undefined;
  private again = false;

  constructor() {
    super();
    this.error = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  override updated(changed: Map<string, unknown>): void {
    if (!changed.has("client")) return;
    this.unsubscribe?.();
    this.unsubscribe = this.client ? onEvents(this.client, ["health", "presence"], () => void this.refresh()) : undefined;
    void this.refresh();
  }

  /** Loads a fresh snapshot; overlapping requests collapse into one follow-up. */
  private refresh(): Promise<void> {
    if (this.pending) {
      this.again = true;
      return this.pending;
    }
    const client = this.client;
    if (!client) return Promise.resolve();
    this.pending = loadOverview(client)
      .then((data) => {
        this.data = data;
        this.error = "";
      })
      .catch((error: unknown) => {
        this.error = error instanceof Error ? error.message : String(error);
        if (isConnectionLost(error)) this.dispatchEvent(new CustomEvent("gateway-lost", { bubbles: true, composed: true }));
      })
      .finally(() => {
        this.pending = undefined;
        if (this.again) {
          this.again = false;
          void this.refresh();
        }
      });
    return this.pending;
  }

  override render(): TemplateResult {
    const d = this.data;
    const err = this.error ? html`<p class="bad" role="alert">${this.error}</p>` : nothing;
    if (!d) return html`${err}<p class="muted">Loading…</p>`;
    return html`${err}
      <section class="panel" aria-labelledby="gw">
        <h2 id="gw">Gateway</h2>
        <dl>
          <dt>Version</dt>
          <dd data-testid="overview-version">${d.version}</dd>
          <dt>Uptime</dt>
          <dd data-testid="overview-uptime">${formatDuration(d.uptimeMs)}</dd>
          <dt>Bind</dt>
          <dd data-testid="overview-bind">${d.urls.join(", ") || "?"} (port ${d.port ?? "?"})</dd>
          <dt>Auth</dt>
          <dd data-testid="overview-auth">${d.authMode}</dd>
          <dt>Config</dt>
          <dd data-testid="overview-config">
            <code title=${d.configHash ?? ""}>${d.configHash ? d.configHash.slice(0, 12) : "no file"}</code>
            ${d.reloadError ? html`<span class="bad" data-testid="overview-reload-error">last reload failed: ${d.reloadError}</span>` : html`<span class="muted">reload ${d.reloadMode}</span>`}
          </dd>
          <dt>Agents</dt>
          <dd data-testid="overview-agents">${d.agents}</dd>
          <dt>Sessions</dt>
          <dd data-testid="overview-sessions">${d.sessions}</dd>
        </dl>
      </section>
      <section class="panel" aria-labelledby="ch">
        <h2 id="ch">Channels</h2>
        <table>
          <thead>
            <tr><th scope="col">Channel</th><th scope="col">Account</th><th scope="col">State</th><th scope="col" title="messages dropped (blocked or failed)">Drops</th></tr>
          </thead>
          <tbody>
            ${d.channels.map(
              (c) => html`<tr data-testid="channel-row" data-channel=${c.channel} data-account=${c.accountId}>
                <td>${c.label}</td>
                <td>${c.accountId}</td>
                <td data-testid="channel-state" class=${c.stateClass}>${c.state}</td>
                <td><span data-testid="drop-count" title=${c.dropDetail}>${c.drops}</span></td>
              </tr>`,
            )}
          </tbody>
        </table>
      </section>
      ${d.modelAuth.length
        ? html`<section class="panel" aria-labelledby="ma">
            <h2 id="ma">Model auth</h2>
            <ul data-testid="overview-model-auth">
              ${d.modelAuth.map((m) => html`<li>${m.agentId}: <span class=${m.status === "ok" ? "ok" : "warn"}>${m.status}</span>${m.expiry ? html` · ${m.expiry}` : nothing}</li>`)}
            </ul>
          </section>`
        : nothing}`;
  }
}

