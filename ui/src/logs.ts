/**
 * `<oc-logs>`: a live tail of the gateway's file log. The first `logs.tail` call (no cursor) gives the
 * last lines; then the page polls with the returned cursor about once a second while it is shown
 * and connected, noting rotation/truncation (`reset`) and a moved log file. Records show time,
 * level, subsystem and message (plain lines as text), filtered by minimum level and by text; a
 * pause/resume toggle; the view follows the newest line unless the user scrolled up; at most
 * 2000 lines are kept. The gateway redacts what `logs.tail` returns.
 */
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { repeat } from "lit/directives/repeat.js";
import type { ProtocolClient } from "../../src/client/core/index.js";
import { applyLogTail, EMPTY_TAIL, fileChanged, filterLogRows, formatLogTime, LOG_LEVELS, type LogLevelName, type LogRow, type LogTailState, parseLogTail } from "./logs-data.js";
import { isConnectionLost } from "./overview-data.js";
import { baseStyles } from "./styles.js";

const POLL_MS = 1000;
/** Lines kept in the page (oldest dropped). */
const MAX_LOG_ROWS = 2000;
const FIRST_READ = { limit: 500, maxBytes: 250_000 };
const NEXT_READ = { limit: MAX_LOG_ROWS, maxBytes: 1_000_000 };

/** The logs page. */
export class OcLogs extends LitElement {
  static override properties = {
    client: { attribute: false },
    tail: { state: true },
    minLevel: { state: true },
    text: { state: true },
    paused: { state: true },
    following: { state: true },
    error: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
        margin-bottom: 8px;
      }
      .bar label {
        display: flex;
        align-items: center;
        gap: 6px;
      }
      .bar input {
        flex: 1 1 160px;
        min-width: 0;
      }
      .grow {
        flex: 1 1 200px;
        min-width: 0;
      }
      .lines {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.82em;
        height: 65vh;
        overflow-y: auto;
        padding: 6px 8px;
      }
      .line {
        display: flex;
        flex-wrap: wrap;
        gap: 0 8px;
        padding: 1px 0;
        border-bottom: 1px solid var(--border);
        overflow-wrap: anywhere;
      }
      .msg {
        flex: 1 1 60%;
        min-width: 0;
        white-space: pre-wrap;
      }
      .lvl {
        min-width: 5ch;
        font-weight: 600;
      }
      .lvl-trace,
      .lvl-debug {
        color: var(--muted);
      }
      .lvl-warn {
        color: var(--warn);
      }
      .lvl-error,
      .lvl-fatal {
        color: var(--bad);
      }
      .notice {
        color: var(--warn);
        font-style: italic;
      }
      .status {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 4px 12px;
        font-size: 0.88em;
        margin-top: 6px;
      }
    `,
  ];

  declare client: ProtocolClient | undefined;
  declare tail: LogTailState;
  declare minLevel: LogLevelName;
  declare text: string;
  declare paused: boolean;
  /** The view sticks to the newest line (false once the user scrolls up). */
  declare following: boolean;
  declare error: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped whenever polling starts or stops, so a late answer from an old loop is dropped. */
  private generation = 0;

  constructor() {
    super();
    this.tail = EMPTY_TAIL;
    this.minLevel = "trace";
    this.text = "";
    this.paused = false;
    this.following = true;
    this.error = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.client) this.startPolling();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopPolling();
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has("client")) {
      if (this.client && !this.paused) this.startPolling();
      else this.stopPolling();
    }
    if (this.following && (changed.has("tail") || changed.has("minLevel") || changed.has("text"))) {
      const box = this.renderRoot.querySelector<HTMLElement>(".lines");
      if (box) box.scrollTop = box.scrollHeight;
    }
  }

  private startPolling(): void {
    this.stopPolling();
    const generation = this.generation;
    this.timer = setTimeout(() => void this.poll(generation), 0);
  }

  private stopPolling(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One read, then the next one a second later (never overlapping), until the loop is stopped. */
  private async poll(generation: number): Promise<void> {
    const client = this.client;
    if (!client || generation !== this.generation) return;
    let lost = false;
    if (document.visibilityState !== "hidden") {
      try {
        const cursor = this.tail.cursor;
        let answer = parseLogTail(await client.call("logs.tail", cursor === undefined ? FIRST_READ : { cursor, ...NEXT_READ }));
        const moved = fileChanged(this.tail, answer);
        if (moved) answer = parseLogTail(await client.call("logs.tail", { cursor: 0, ...NEXT_READ }));
        if (generation !== this.generation) return;
        this.tail = applyLogTail(this.tail, answer, { cap: MAX_LOG_ROWS, moved });
        this.error = "";
      } catch (error) {
        if (generation !== this.generation) return;
        this.error = error instanceof Error ? error.message : String(error);
        lost = isConnectionLost(error);
        if (lost) this.dispatchEvent(new CustomEvent("gateway-lost", { bubbles: true, composed: true }));
      }
    }
    if (!lost && generation === this.generation) this.timer = setTimeout(() => void this.poll(generation), POLL_MS);
  }

  private togglePause(): void {
    this.paused = !this.paused;
    if (this.paused) this.stopPolling();
    else if (this.client) this.startPolling();
  }

  private onScroll(event: Event): void {
    const box = event.target as HTMLElement;
    const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 8;
    if (atBottom !== this.following) this.following = atBottom;
  }

  private jumpToLatest(): void {
    this.following = true;
    const box = this.renderRoot.querySelector<HTMLElement>(".lines");
    if (box) box.scrollTop = box.scrollHeight;
  }

  private line(r: LogRow): TemplateResult {
    if (r.kind === "notice") return html`<div class="line notice" data-testid="log-notice">— ${r.message} —</div>`;
    return html`<div class="line" data-testid="log-line" data-level=${r.level} data-kind=${r.kind}>
      ${r.kind === "log"
        ? html`<span class="muted" title=${r.time}>${formatLogTime(r.time)}</span> <span class="lvl lvl-${r.level}">${r.level.toUpperCase()}</span> ${r.subsystem ? html`<span class="muted">${r.subsystem}</span> ` : nothing}`
        : nothing}
      <span class="msg">${r.message}${r.extra ? html` <span class="muted">${r.extra}</span>` : nothing}</span>
    </div>`;
  }

  override render(): TemplateResult {
    const rows = filterLogRows(this.tail.rows, this.minLevel, this.text);
    const lines = this.tail.rows.filter((r) => r.kind !== "notice").length;
    const shown = rows.filter((r) => r.kind !== "notice").length;
    return html`<div class="bar">
        <label
          >Level
          <select data-testid="logs-level" @change=${(e: Event) => (this.minLevel = (e.target as HTMLSelectElement).value as LogLevelName)}>
            ${LOG_LEVELS.map((l) => html`<option value=${l} ?selected=${l === this.minLevel}>${l}${l === "trace" ? " (all)" : " and above"}</option>`)}
          </select></label
        >
        <label class="grow"
          >Filter
          <input type="search" data-testid="logs-filter" placeholder="text in any field" autocomplete="off" spellcheck="false" .value=${this.text} @input=${(e: Event) => (this.text = (e.target as HTMLInputElement).value)}
        /></label>
        <button type="button" data-testid="logs-pause" aria-pressed=${this.paused ? "true" : "false"} @click=${this.togglePause}>${this.paused ? "Resume" : "Pause"}</button>
      </div>
      ${this.error ? html`<p class="bad" role="alert" data-testid="logs-error">${this.error}</p>` : nothing}
      <section class="panel lines" data-testid="logs-lines" aria-label="Log lines" tabindex="0" @scroll=${this.onScroll}>
        ${this.tail.cursor === undefined ? html`<p class="muted">Loading…</p>` : shown === 0 ? html`<p class="muted" data-testid="logs-empty">No lines${lines ? " match the filter" : " yet"}.</p>` : nothing}
        ${repeat(rows, (r) => r.id, (r) => this.line(r))}
      </section>
      <div class="status muted">
        <span data-testid="logs-status">${this.paused ? "Paused" : "Following"} ${this.tail.file ? html`<code>${this.tail.file}</code>` : nothing} · ${shown === lines ? `${lines}` : `${shown} of ${lines}`} lines</span>
        ${this.following ? nothing : html`<button type="button" data-testid="logs-latest" @click=${this.jumpToLatest}>Jump to latest</button>`}
      </div>`;
  }
}
