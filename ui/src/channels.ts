/**
 * `<oc-channels>`: every channel account with its state, last error, drops by reason and probe
 * result (`channels.status`, "Probe" runs live checks); WhatsApp accounts link by QR
 * (`web.login.start`, then `web.login.wait` until linked, failed or cancelled); pending DM pairing
 * requests (`channels.pairing.list`) are approved or dismissed in place (`channels.pairing.approve`
 * / `dismiss`). Refreshed on `health` events and every few seconds as a fallback.
 */
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import type { ProtocolClient } from "../../src/client/core/index.js";
import { buildPairingView, type ChannelAccountRow, channelAccountRows, type PairingRow, type PairingView, type ProbeSummary, type QrLoginView, readQrLogin, summarizeProbe } from "./channels-data.js";
import { onEvents } from "./gateway.js";
import { isConnectionLost, obj } from "./overview-data.js";
import { baseStyles } from "./styles.js";

const REFRESH_MS = 5000;
const PROBE_TIMEOUT_MS = 8000;
/** Each `web.login.wait` holds this long on the gateway; the page then asks again (a new QR may have come). */
const LOGIN_WAIT_MS = 25_000;

/** The QR login in progress (one at a time): which account, and a token that Cancel flips. */
interface LoginFlow {
  accountId: string;
  view: QrLoginView;
  cancelled: boolean;
}

/** The channels page. */
export class OcChannels extends LitElement {
  static override properties = {
    client: { attribute: false },
    accounts: { state: true },
    pairing: { state: true },
    probes: { state: true },
    probing: { state: true },
    busy: { state: true },
    login: { state: true },
    notify: { state: true },
    error: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      h2 {
        font-size: 1rem;
        margin: 0;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
        margin-bottom: 8px;
      }
      ul.accounts {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 8px;
      }
      ul.accounts > li {
        border: 1px solid var(--border);
        border-radius: 6px;
        padding: 8px 10px;
        background: var(--bg);
      }
      dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 2px 12px;
        margin: 6px 0 0;
      }
      dt {
        color: var(--muted);
      }
      dd {
        margin: 0;
        min-width: 0;
      }
      .qr img {
        display: block;
        width: min(260px, 100%);
        height: auto;
        margin: 8px 0;
        background: #fff;
        padding: 6px;
        border-radius: 6px;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 0.93em;
      }
      th,
      td {
        text-align: left;
        vertical-align: top;
        padding: 6px;
        border-bottom: 1px solid var(--border);
      }
      td.actions {
        white-space: nowrap;
        text-align: right;
      }
      td.actions button {
        margin: 0 0 4px 4px;
      }
      .small {
        font-size: 0.88em;
      }
    `,
  ];

  declare client: ProtocolClient | undefined;
  declare accounts: ChannelAccountRow[] | undefined;
  declare pairing: PairingView | undefined;
  /** Probe results from the last "Probe", by `channel/account` (they outlive the next refresh). */
  declare probes: Map<string, ProbeSummary>;
  declare probing: boolean;
  /** A pairing request being approved or dismissed. */
  declare busy: string | undefined;
  declare login: LoginFlow | undefined;
  declare notify: boolean;
  declare error: string;
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;
  private pending: Promise<void> | undefined;
  private again = false;

  constructor() {
    super();
    this.probes = new Map();
    this.probing = false;
    this.notify = true;
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
    if (this.login) this.login.cancelled = true;
  }

  override updated(changed: Map<string, unknown>): void {
    if (!changed.has("client")) return;
    this.unsubscribe?.();
    this.unsubscribe = this.client ? onEvents(this.client, ["health"], () => void this.refresh()) : undefined;
    void this.refresh();
  }

  private fail(error: unknown): void {
    this.error = error instanceof Error ? error.message : String(error);
    if (isConnectionLost(error)) this.dispatchEvent(new CustomEvent("gateway-lost", { bubbles: true, composed: true }));
  }

  /** Loads accounts and pairing requests; overlapping requests collapse into one follow-up. */
  private refresh(): Promise<void> {
    if (this.pending) {
      this.again = true;
      return this.pending;
    }
    const client = this.client;
    if (!client) return Promise.resolve();
    // Pairing needs operator.pairing: without it the accounts still show, with the refusal.
    let pairingError: unknown;
    const pairing = client.call("channels.pairing.list", {}).catch((error: unknown) => {
      pairingError = error;
      return undefined;
    });
    this.pending = Promise.all([client.call("channels.status", {}), pairing])
      .then(([status, list]) => {
        this.accounts = channelAccountRows(status);
        this.pairing = list === undefined ? undefined : buildPairingView(list, Date.now());
        if (pairingError) this.fail(pairingError);
        else this.error = "";
      })
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.pending = undefined;
        if (this.again) {
          this.again = false;
          void this.refresh();
        }
      });
    return this.pending;
  }

  private async probe(): Promise<void> {
    if (!this.client || this.probing) return;
    this.probing = true;
    try {
      const status = await this.client.call("channels.status", { probe: true, timeoutMs: PROBE_TIMEOUT_MS }, { timeoutMs: PROBE_TIMEOUT_MS + 5000 });
      const probes = new Map<string, ProbeSummary>();
      for (const [channel, list] of Object.entries(obj(obj(status).channelAccounts))) {
        for (const raw of Array.isArray(list) ? list : []) {
          const summary = summarizeProbe(obj(raw).probe);
          if (summary) probes.set(`${channel}/${String(obj(raw).accountId ?? "default")}`, summary);
        }
      }
      this.probes = probes;
      this.accounts = channelAccountRows(status);
      this.error = "";
    } catch (error) {
      this.fail(error);
    } finally {
      this.probing = false;
    }
  }

  private async settle(row: PairingRow, action: "approve" | "dismiss"): Promise<void> {
    if (!this.client || this.busy) return;
    this.busy = row.requestId;
    try {
      const target = { channel: row.channel, accountId: row.accountId, requestId: row.requestId };
      if (action === "approve") await this.client.call("channels.pairing.approve", { ...target, notify: this.notify && row.notifySupported });
      else await this.client.call("channels.pairing.dismiss", target);
      this.error = "";
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = undefined;
      await this.refresh();
    }
  }

  /** Starts a QR login and waits, answer after answer, until it links, fails or is cancelled. */
  private async linkWithQr(accountId: string): Promise<void> {
    const client = this.client;
    if (!client || (this.login && this.login.view.phase === "waiting" && !this.login.cancelled)) return;
    const flow: LoginFlow = { accountId, view: { phase: "waiting", message: "Asking WhatsApp for a QR code…", qrDataUrl: undefined, sessionKey: undefined }, cancelled: false };
    const show = (view: QrLoginView) => {
      if (flow.cancelled) return;
      flow.view = view;
      // The same object Cancel flips (so this loop sees it): ask Lit to render the change.
      this.login = flow;
      this.requestUpdate();
    };
    this.login = flow;
    try {
      let view = readQrLogin(await client.call("web.login.start", { channel: "whatsapp", accountId, timeoutMs: 30_000 }, { timeoutMs: 40_000 }));
      show(view);
      while (!flow.cancelled && view.phase === "waiting") {
        const params = { channel: "whatsapp", accountId, timeoutMs: LOGIN_WAIT_MS, ...(view.sessionKey ? { sessionKey: view.sessionKey } : {}), ...(view.qrDataUrl ? { currentQrDataUrl: view.qrDataUrl } : {}) };
        view = readQrLogin(await client.call("web.login.wait", params, { timeoutMs: LOGIN_WAIT_MS + 10_000 }), view);
        show(view);
      }
      if (!flow.cancelled) void this.refresh();
    } catch (error) {
      if (flow.cancelled) return;
      show({ ...flow.view, phase: "failed", message: error instanceof Error ? error.message : String(error), qrDataUrl: undefined });
      if (isConnectionLost(error)) this.dispatchEvent(new CustomEvent("gateway-lost", { bubbles: true, composed: true }));
    }
  }

  private cancelLogin(): void {
    if (this.login) this.login.cancelled = true;
    this.login = undefined;
  }

  private renderLogin(a: ChannelAccountRow): TemplateResult | typeof nothing {
    if (!a.qrLogin) return nothing;
    const flow = this.login?.accountId === a.accountId ? this.login : undefined;
    const waiting = flow?.view.phase === "waiting";
    return html`<div class="qr">
      <button type="button" data-testid="whatsapp-login" ?disabled=${waiting} @click=${() => void this.linkWithQr(a.accountId)}>${a.linked ? "Relink with QR" : "Link with QR"}</button>
      ${waiting ? html`<button type="button" data-testid="whatsapp-cancel" @click=${() => this.cancelLogin()}>Cancel</button>` : nothing}
      ${flow
        ? html`<p data-testid="whatsapp-login-message" role="status" class=${flow.view.phase === "linked" ? "ok" : flow.view.phase === "failed" ? "bad" : ""}>${flow.view.message}</p>
            ${waiting && flow.view.qrDataUrl ? html`<img data-testid="whatsapp-qr" src=${flow.view.qrDataUrl} alt="WhatsApp login QR code: scan it in WhatsApp → Settings → Linked devices" />` : nothing}`
        : nothing}
    </div>`;
  }

  private renderAccount(a: ChannelAccountRow): TemplateResult {
    const probe = this.probes.get(`${a.channel}/${a.accountId}`) ?? a.probe;
    return html`<li data-testid="channel-account" data-channel=${a.channel} data-account=${a.accountId}>
      <strong>${a.label}</strong> <span class="muted">${a.accountId}</span>
      <dl>
        <dt>State</dt>
        <dd data-testid="channel-state" class=${a.stateClass}>${a.state}</dd>
        <dt>Last error</dt>
        <dd data-testid="channel-error" class=${a.lastError ? "bad" : "muted"}>${a.lastError ?? "none"}</dd>
        <dt>Drops</dt>
        <dd data-testid="channel-drops">${a.drops === 0 ? "0" : `${a.drops} (${a.dropDetail})`}</dd>
        <dt>Probe</dt>
        <dd data-testid="channel-probe" class=${probe ? (probe.ok ? "ok" : "bad") : "muted"}>${probe?.text ?? "not probed"}</dd>
      </dl>
      ${this.renderLogin(a)}
    </li>`;
  }

  private renderPairing(p: PairingView): TemplateResult {
    return html`<section class="panel" aria-labelledby="pairing-h">
      <div class="head">
        <h2 id="pairing-h">Pairing requests</h2>
        <label class="small"><input type="checkbox" data-testid="pairing-notify" .checked=${this.notify} @change=${(e: Event) => (this.notify = (e.target as HTMLInputElement).checked)} /> Tell approved senders</label>
      </div>
      ${p.rows.length === 0
        ? html`<p class="muted" data-testid="pairing-empty">${p.accounts.length ? `No pending requests (${p.accounts.join(", ")}).` : "No account uses DM pairing."}</p>`
        : html`<table>
            <thead>
              <tr><th scope="col">Sender</th><th scope="col">Requested</th><th scope="col"><span class="muted">Actions</span></th></tr>
            </thead>
            <tbody>
              ${p.rows.map(
                (r) => html`<tr data-testid="pairing-row" data-sender=${r.senderId} data-channel=${r.channel} data-account=${r.accountId}>
                  <td><strong>${r.senderName ?? r.senderId}</strong>${r.senderName ? html` <code>${r.senderId}</code>` : nothing}<br /><span class="muted small">${r.where}</span></td>
                  <td class="small">${r.age}<br /><span class="muted">${r.expiry}</span></td>
                  <td class="actions">
                    <button type="button" data-testid="pairing-approve" aria-label=${`Approve ${r.senderName ?? r.senderId}`} ?disabled=${Boolean(this.busy)} @click=${() => void this.settle(r, "approve")}>Approve</button
                    ><br /><button type="button" data-testid="pairing-dismiss" aria-label=${`Dismiss ${r.senderName ?? r.senderId}`} ?disabled=${Boolean(this.busy)} @click=${() => void this.settle(r, "dismiss")}>Dismiss</button>
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>`}
    </section>`;
  }

  override render(): TemplateResult {
    const err = this.error ? html`<p class="bad" role="alert" data-testid="channels-error">${this.error}</p>` : nothing;
    if (!this.accounts) return html`${err}<p class="muted">Loading…</p>`;
    return html`${err}
      <section class="panel" aria-labelledby="accounts-h">
        <div class="head">
          <h2 id="accounts-h">Accounts</h2>
          <button type="button" data-testid="channels-probe" ?disabled=${this.probing} @click=${() => void this.probe()}>${this.probing ? "Probing…" : "Probe"}</button>
        </div>
        ${this.accounts.length === 0 ? html`<p class="muted">No channel is configured.</p>` : html`<ul class="accounts">${this.accounts.map((a) => this.renderAccount(a))}</ul>`}
      </section>
      ${this.pairing ? this.renderPairing(this.pairing) : nothing}`;
  }
}
