/**
 * `<oc-chat>`: WebChat. Pick an agent and session (default: the default agent's main session), see
 * its history (`chat.history`), send (`chat.send`), watch the reply stream in from `chat` events, and
 * abort a running turn (`chat.abort`). `#/chat?session=<key>` (the Sessions page's link) opens that session.
 */
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import type { ProtocolClient } from "../../src/client/core/index.js";
import { applyChatEvent, type ChatEntry, entriesFromHistory, mainSessionKey, parseChatEvent, sessionKeysFor } from "./chat-data.js";
import { onEvents } from "./gateway.js";
import { isConnectionLost } from "./overview-data.js";
import { agentOfKey, sessionFromHash } from "./sessions-data.js";
import { baseStyles } from "./styles.js";

/** The chat page. */
export class OcChat extends LitElement {
  static override properties = {
    client: { attribute: false },
    agents: { state: true },
    agentId: { state: true },
    sessionKeys: { state: true },
    sessionKey: { state: true },
    entries: { state: true },
    runId: { state: true },
    error: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      .pickers {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 12px;
        margin-bottom: 10px;
      }
      .log {
        display: flex;
        flex-direction: column;
        gap: 8px;
        min-height: 140px;
        max-height: 60vh;
        overflow-y: auto;
      }
      .msg {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        padding: 8px 10px;
        border-radius: 8px;
        max-width: 92%;
      }
      .msg[data-role="user"] {
        align-self: flex-end;
        background: var(--bg);
        border: 1px solid var(--border);
      }
      .msg[data-role="assistant"] {
        align-self: flex-start;
        border: 1px solid var(--border);
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
      textarea {
        flex: 1 1 100%;
        min-height: 70px;
        resize: vertical;
      }
    `,
  ];

  declare client: ProtocolClient | undefined;
  declare agents: string[];
  declare agentId: string;
  declare sessionKeys: string[];
  declare sessionKey: string;
  declare entries: ChatEntry[];
  declare runId: string | undefined;
  declare error: string;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.agents = [];
    this.agentId = "main";
    this.sessionKeys = [];
    this.sessionKey = mainSessionKey("main");
    this.entries = [];
    this.error = "";
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  override updated(changed: Map<string, unknown>): void {
    if (!changed.has("client")) return;
    this.unsubscribe?.();
    const client = this.client;
    this.unsubscribe = client
      ? onEvents(client, ["chat"], (event) => {
          const chat = parseChatEvent(event.payload);
          if (!chat || chat.sessionKey !== this.sessionKey) return;
          this.entries = applyChatEvent(this.entries, chat);
          if (chat.state !== "delta" && chat.runId === this.runId) this.runId = undefined;
        })
      : undefined;
    if (client) void this.loadAgents();
  }

  private fail(error: unknown): void {
    this.error = error instanceof Error ? error.message : String(error);
    if (isConnectionLost(error)) this.dispatchEvent(new CustomEvent("gateway-lost", { bubbles: true, composed: true }));
  }

  private async loadAgents(): Promise<void> {
    try {
      const result = (await this.client!.call("agents.list", {})) as { defaultId?: string; agents?: Array<{ id?: string }> };
      this.agents = (result.agents ?? []).map((a) => a.id).filter((id): id is string => typeof id === "string");
      const wanted = sessionFromHash(location.hash);
      await this.selectAgent((wanted && agentOfKey(wanted)) ?? result.defaultId ?? this.agents[0] ?? "main", wanted);
    } catch (error) {
      this.fail(error);
    }
  }

  private async selectAgent(agentId: string, sessionKey?: string): Promise<void> {
    this.agentId = agentId;
    try {
      this.sessionKeys = sessionKeysFor(agentId, await this.client!.call("sessions.list", {}));
    } catch (error) {
      this.sessionKeys = [mainSessionKey(agentId)];
      this.fail(error);
    }
    if (sessionKey && !this.sessionKeys.includes(sessionKey)) this.sessionKeys = [...this.sessionKeys, sessionKey];
    await this.selectSession(sessionKey ?? this.sessionKeys[0] ?? mainSessionKey(agentId));
  }

  private async selectSession(sessionKey: string): Promise<void> {
    this.sessionKey = sessionKey;
    this.entries = [];
    this.runId = undefined;
    try {
      const history = await this.client!.call("chat.history", { sessionKey, limit: 200 });
      if (this.sessionKey === sessionKey) this.entries = entriesFromHistory(history);
      this.error = "";
    } catch (error) {
      this.fail(error);
    }
  }

  private async send(event: Event): Promise<void> {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>('[data-testid="chat-input"]');
    const message = input?.value.trim() ?? "";
    if (!message || !this.client || this.runId) return;
    this.entries = [...this.entries, { role: "user", text: message, state: "final" }];
    if (input) input.value = "";
    try {
      const result = (await this.client.call("chat.send", { sessionKey: this.sessionKey, message, idempotencyKey: globalThis.crypto.randomUUID() })) as { runId?: string; status?: string };
      // The run may already have finished (its final event came first): only track it while it runs.
      if (result.runId && !this.entries.some((e) => e.runId === result.runId && e.state !== "streaming")) this.runId = result.runId;
      this.error = "";
    } catch (error) {
      this.fail(error);
    }
  }

  private async abort(): Promise<void> {
    if (!this.client) return;
    try {
      await this.client.call("chat.abort", { sessionKey: this.sessionKey, ...(this.runId ? { runId: this.runId } : {}) });
    } catch (error) {
      this.fail(error);
    }
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) void this.send(event);
  }

  override render(): TemplateResult {
    return html`<div class="pickers">
        <label
          >Agent
          <select data-testid="chat-agent" @change=${(e: Event) => void this.selectAgent((e.target as HTMLSelectElement).value)}>
            ${(this.agents.length ? this.agents : [this.agentId]).map((id) => html`<option value=${id} ?selected=${id === this.agentId}>${id}</option>`)}
          </select></label
        >
        <label
          >Session
          <select data-testid="chat-session" @change=${(e: Event) => void this.selectSession((e.target as HTMLSelectElement).value)}>
            ${(this.sessionKeys.length ? this.sessionKeys : [this.sessionKey]).map((k) => html`<option value=${k} ?selected=${k === this.sessionKey}>${k}</option>`)}
          </select></label
        >
      </div>
      ${this.error ? html`<p class="bad" role="alert" data-testid="chat-error">${this.error}</p>` : nothing}
      <section class="panel log" aria-live="polite" aria-label="Transcript" data-testid="chat-log">
        ${this.entries.length === 0 ? html`<p class="muted">No messages yet.</p>` : nothing}
        ${this.entries.map((e) => html`<div class="msg" data-testid="chat-message" data-role=${e.role} data-state=${e.state ?? "final"}>${e.text}</div>`)}
      </section>
      <form @submit=${(e: Event) => void this.send(e)}>
        <label class="muted" for="chat-input">Message (Ctrl+Enter sends)</label>
        <textarea id="chat-input" data-testid="chat-input" @keydown=${this.onKey}></textarea>
        <button type="submit" data-testid="chat-send" ?disabled=${Boolean(this.runId)}>Send</button>
        <button type="button" data-testid="chat-abort" ?disabled=${!this.runId} @click=${() => void this.abort()}>Abort</button>
      </form>`;
  }
}

