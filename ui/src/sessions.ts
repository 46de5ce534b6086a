/**
 * `<oc-sessions>`: the agents' sessions from `sessions.list` (key, agent, channel/label, when last
 * updated, tokens, model) with a search box; opening one shows its transcript (`chat.history`), links
 * to it in WebChat (`#/chat?session=<key>`) and can reset it (`sessions.reset`, after an in-page
 * confirm): the old transcript is archived and the session starts empty. The list refreshes when a
 * chat turn ends and every 15 s.
 */
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import type { ProtocolClient } from "../../src/client/core/index.js";
import { type ChatEntry, entriesFromHistory, parseChatEvent } from "./chat-data.js";
import { onEvents } from "./gateway.js";
import { isConnectionLost } from "./overview-data.js";
import { chatHashFor, filterSessions, formatAgo, formatTokens, type SessionRow, sessionRows } from "./sessions-data.js";
import { baseStyles } from "./styles.js";

const REFRESH_MS = 15_000;
const SEARCH_DEBOUNCE_MS = 150;
const HISTORY_LIMIT = 200;

/** The sessions page. */
export class OcSessions extends LitElement {
  static override properties = {
    client: { attribute: false },
    rows: { state: true },
    query: { state: true },
    now: { state: true },
    selected: { state: true },
    entries: { state: true },
    loadingTranscript: { state: true },
    confirming: { state: true },
    notice: { state: true },
    error: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        margin-bottom: 10px;
      }
      .bar input {
        flex: 1 1 200px;
        min-width: 0;
      }
      ul {
        list-style: none;
        margin: 0 0 12px;
        padding: 0;
        border: 1px solid var(--border);
        border-radius: 8px;
      }
      li {
        padding: 8px 10px;
        border-bottom: 1px solid var(--border);
        cursor: pointer;
        min-width: 0;
      }
      li:last-child {
        border-bottom: none;
      }
      li[aria-current="true"] {
        background: var(--panel);
      }
      li button {
        background: none;
        border: none;
        padding: 0;
        color: var(--accent);
        text-align: left;
        overflow-wrap: anywhere;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 2px 10px;
        font-size: 0.88em;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px 12px;
        margin-bottom: 8px;
      }
      h2 {
        font-size: 1rem;
        margin: 0;
        flex: 1 1 100%;
        overflow-wrap: anywhere;
      }
      .confirm {
        border: 1px solid var(--bad);
        border-radius: 8px;
        padding: 8px 10px;
        margin-bottom: 8px;
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      .confirm p {
        margin: 0;
        flex: 1 1 100%;
      }
      .msgs {
        display: flex;
        flex-direction: column;
        gap: 8px;
        max-height: 60vh;
        overflow-y: auto;
      }
      .msg {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        padding: 8px 10px;
        border-radius: 8px;
        border: 1px solid var(--border);
        max-width: 92%;
      }
      .msg[data-role="user"] {
        align-self: flex-end;
        background: var(--bg);
      }
      .msg[data-role="assistant"] {
        align-self: flex-start;
      }
    `,
  ];

  declare client: ProtocolClient | undefined;
  declare rows: SessionRow[];
  declare query: string;
  declare now: number;
  declare selected: string | undefined;
  declare entries: ChatEntry[];
  declare loadingTranscript: boolean;
  declare confirming: boolean;
  declare notice: string;
  declare error: string;
  private timer: ReturnType<typeof setInterval> | undefined;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private eventTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Answers older than the latest request are dropped. */
  private listSeq = 0;
  private historySeq = 0;

  constructor() {
    super();
    this.rows = [];
    this.query = "";
    this.now = Date.now();
    this.entries = [];
    this.loadingTranscript = false;
    this.confirming = false;
    this.notice = "";
    this.error = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
    clearTimeout(this.searchTimer);
    clearTimeout(this.eventTimer);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  override updated(changed: Map<string, unknown>): void {
    if (!changed.has("client")) return;
    this.unsubscribe?.();
    const client = this.client;
    // A finished turn changed a session: refresh the list (once per burst) and the open transcript.
    this.unsubscribe = client
      ? onEvents(client, ["chat"], (event) => {
          const chat = parseChatEvent(event.payload);
          if (!chat || chat.state === "delta") return;
          clearTimeout(this.eventTimer);
          this.eventTimer = setTimeout(() => {
            void this.refresh();
            if (chat.sessionKey === this.selected && !this.confirming) void this.loadTranscript(chat.sessionKey);
          }, 250);
        })
      : undefined;
    if (client) void this.refresh();
  }

  private fail(error: unknown): void {
    this.error = error instanceof Error ? error.message : String(error);
    if (isConnectionLost(error)) this.dispatchEvent(new CustomEvent("gateway-lost", { bubbles: true, composed: true }));
  }

  private async refresh(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const seq = ++this.listSeq;
    try {
      const result = await client.call("sessions.list", { limit: 1000 });
      if (seq !== this.listSeq) return;
      this.rows = sessionRows(result);
      this.now = Date.now();
      this.error = "";
    } catch (error) {
      this.fail(error);
    }
  }

  private onSearch(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.query = value;
    }, SEARCH_DEBOUNCE_MS);
  }

  private async open(key: string): Promise<void> {
    if (this.selected !== key) {
      this.selected = key;
      this.confirming = false;
      this.notice = "";
      this.entries = [];
    }
    await this.loadTranscript(key);
    this.renderRoot.querySelector<HTMLElement>("#transcript-title")?.focus();
  }

  private async loadTranscript(key: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    const seq = ++this.historySeq;
    this.loadingTranscript = true;
    try {
      const history = await client.call("chat.history", { sessionKey: key, limit: HISTORY_LIMIT });
      if (seq !== this.historySeq || this.selected !== key) return;
      this.entries = entriesFromHistory(history);
      this.error = "";
    } catch (error) {
      this.fail(error);
    } finally {
      if (seq === this.historySeq) this.loadingTranscript = false;
    }
  }

  private async askReset(): Promise<void> {
    this.confirming = true;
    this.notice = "";
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[data-testid="session-reset-cancel"]')?.focus();
  }

  private async cancelReset(): Promise<void> {
    this.confirming = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[data-testid="session-reset"]')?.focus();
  }

  private async reset(): Promise<void> {
    const client = this.client;
    const key = this.selected;
    if (!client || !key) return;
    const agentId = this.rows.find((r) => r.key === key)?.agentId;
    try {
      const result = (await client.call("sessions.reset", { key, ...(agentId && agentId !== "?" ? { agentId } : {}) })) as { archived?: unknown };
      this.confirming = false;
      this.entries = [];
      this.notice = typeof result.archived === "string" ? "Reset: the old transcript was archived." : "Reset: a new transcript starts.";
      this.error = "";
    } catch (error) {
      this.fail(error);
      return;
    }
    await Promise.all([this.loadTranscript(key), this.refresh()]);
  }

  private row(r: SessionRow): TemplateResult {
    const current = r.key === this.selected;
    return html`<li data-testid="session-row" data-key=${r.key} aria-current=${current ? "true" : "false"} @click=${() => void this.open(r.key)}>
      <button type="button" data-testid="session-open" aria-label=${`Open ${r.key}`}>${r.key}</button>
      <div class="meta muted">
        <span title="agent">${r.agentId}</span>
        ${r.channel ? html`<span title="channel">${r.channel}</span>` : nothing}
        ${r.label ? html`<span title="label">“${r.label}”</span>` : nothing}
        <span data-testid="session-updated" title=${r.updatedAt ? new Date(r.updatedAt).toISOString() : ""}>${formatAgo(r.updatedAt, this.now)}</span>
        ${r.tokens !== undefined ? html`<span title="tokens">${formatTokens(r.tokens)} tok</span>` : nothing}
        ${r.model ? html`<span title="model">${r.model}</span>` : nothing}
      </div>
    </li>`;
  }

  private transcript(key: string): TemplateResult {
    return html`<section class="panel" data-testid="session-transcript" data-key=${key} aria-labelledby="transcript-title">
      <div class="head">
        <h2 id="transcript-title" tabindex="-1">${key}</h2>
        <a href=${chatHashFor(key)} data-testid="session-continue">Continue in Chat</a>
        <button type="button" data-testid="session-reset" ?disabled=${this.confirming} @click=${() => void this.askReset()}>Reset…</button>
      </div>
      ${this.confirming
        ? html`<div class="confirm" role="alertdialog" aria-labelledby="confirm-text" @keydown=${(e: KeyboardEvent) => e.key === "Escape" && void this.cancelReset()}>
            <p id="confirm-text">Start a new transcript for <code>${key}</code>? The current one is archived, not deleted.</p>
            <button type="button" class="bad" data-testid="session-reset-confirm" @click=${() => void this.reset()}>Reset session</button>
            <button type="button" data-testid="session-reset-cancel" @click=${() => void this.cancelReset()}>Cancel</button>
          </div>`
        : nothing}
      ${this.notice ? html`<p class="ok" role="status" data-testid="session-notice">${this.notice}</p>` : nothing}
      <div class="msgs" aria-live="polite">
        ${this.entries.length === 0 ? html`<p class="muted" data-testid="transcript-empty">${this.loadingTranscript ? "Loading…" : "No messages."}</p>` : nothing}
        ${this.entries.map((e) => html`<div class="msg" data-testid="transcript-message" data-role=${e.role}>${e.text}</div>`)}
      </div>
    </section>`;
  }

  override render(): TemplateResult {
    const shown = filterSessions(this.rows, this.query);
    return html`<div class="bar" role="search">
        <label for="sessions-search">Search</label>
        <input id="sessions-search" type="search" data-testid="sessions-search" placeholder="key, label, channel or agent" autocomplete="off" spellcheck="false" @input=${this.onSearch} />
        <button type="button" data-testid="sessions-refresh" @click=${() => void this.refresh()}>Refresh</button>
      </div>
      ${this.error ? html`<p class="bad" role="alert" data-testid="sessions-error">${this.error}</p>` : nothing}
      <p class="muted" data-testid="sessions-count">${shown.length === this.rows.length ? "" : `${shown.length} of `}${this.rows.length} session${this.rows.length === 1 ? "" : "s"}</p>
      ${shown.length ? html`<ul aria-label="Sessions">${shown.map((r) => this.row(r))}</ul>` : nothing}
      ${this.selected ? this.transcript(this.selected) : nothing}`;
  }
}
