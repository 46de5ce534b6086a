/**
 * `<openclaw-app>`: the Control UI's shell. It takes the token from the URL or sessionStorage,
 * connects, explains a refusal (wrong token, or an insecure context/origin with the three fixes), and
 * shows the page named by the hash route (`#/overview`, `#/chat`, … from the page table in pages.ts).
 */
import { css, html, LitElement, type TemplateResult } from "lit";
import { html as staticHtml, unsafeStatic } from "lit/static-html.js";
import type { ProtocolClient } from "../../src/client/core/index.js";
import { createTokenStore, readUrlHandoff, resolveGatewayWsUrl, type TokenStore } from "./auth.js";
import { classifyConnectError, connectGateway } from "./gateway.js";
import { PAGES, type Route, routeFromHash } from "./pages.js";
import { baseStyles } from "./styles.js";

type Phase = "connecting" | "need-token" | "auth-error" | "insecure" | "unreachable" | "ready";

/** The page's sessionStorage, or nothing where reading it throws (storage disabled, sandboxed frames). */
function sessionStorageOrNothing(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

/** The root element. */
export class OpenClawApp extends LitElement {
  static override properties = {
    phase: { state: true },
    route: { state: true },
    detail: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 16px;
        padding: 10px 16px;
        border-bottom: 1px solid var(--border);
      }
      header h1 {
        font-size: 1.05rem;
        margin: 0;
      }
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 6px;
      }
      nav a {
        padding: 4px 10px;
        border-radius: 6px;
        text-decoration: none;
      }
      nav a[aria-current="page"] {
        background: var(--panel);
        outline: 1px solid var(--border);
      }
      main {
        padding: 14px 16px;
        max-width: 960px;
        margin: 0 auto;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      form input {
        flex: 1 1 220px;
      }
      ol {
        padding-left: 1.3em;
      }
    `,
  ];

  declare phase: Phase;
  declare route: Route;
  declare detail: string;
  private client: ProtocolClient | undefined;
  private readonly wsUrl = resolveGatewayWsUrl(location);
  private readonly store: TokenStore = createTokenStore(sessionStorageOrNothing(), this.wsUrl);
  private token: string | undefined;
  /** Reconnect attempts since the last good connection (backoff 1 s, 2 s, 4 s … 15 s). */
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onHash = () => {
    this.route = routeFromHash(location.hash);
  };

  constructor() {
    super();
    this.phase = "connecting";
    this.route = "overview";
    this.detail = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const handoff = readUrlHandoff(location.href);
    if (handoff.from === "query") console.warn("OpenClaw Control UI: ?token= in the query string reaches the server and its logs; use #token= instead.");
    if (handoff.changed) history.replaceState(history.state, "", handoff.cleanUrl);
    this.token = handoff.token ?? this.store.load();
    this.route = routeFromHash(location.hash);
    addEventListener("hashchange", this.onHash);
    void this.connect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener("hashchange", this.onHash);
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    client?.close();
  }

  /** Connects with the current token; a refusal or failure is shown, never thrown. */
  private async connect(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.phase = "connecting";
    const previous = this.client;
    this.client = undefined;
    previous?.close();
    try {
      let client: ProtocolClient | undefined;
      // A socket that closes after the handshake (gateway restart, network) reconnects at once.
      client = await connectGateway(this.wsUrl, this.token, () => {
        if (client && this.client === client) this.onLost();
      });
      this.client = client;
      this.attempts = 0;
      if (this.token) this.store.save(this.token);
      this.phase = "ready";
    } catch (error) {
      const failure = classifyConnectError(error);
      this.detail = failure.message;
      if (failure.kind === "auth") {
        this.store.clear();
        this.phase = this.token ? "auth-error" : "need-token";
      } else this.phase = failure.kind;
      if (failure.kind === "unreachable") {
        const delay = Math.min(15_000, 1000 * 2 ** this.attempts++);
        this.retryTimer = setTimeout(() => void this.connect(), delay);
      }
    }
  }

  private submitToken(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('[data-testid="token-input"]');
    const value = input?.value.trim() ?? "";
    if (!value) return;
    this.token = value;
    if (input) input.value = "";
    void this.connect();
  }

  /** The connection is gone: reconnect with the same token. */
  private readonly onLost = () => {
    if (this.phase === "ready" && this.isConnected) void this.connect();
  };

  private tokenForm(): TemplateResult {
    return html`<form data-testid="token-form" @submit=${this.submitToken}>
      <label for="token">Gateway token</label>
      <input id="token" data-testid="token-input" type="password" autocomplete="off" spellcheck="false" placeholder="paste the gateway token" />
      <button data-testid="token-submit" type="submit">Connect</button>
    </form>`;
  }

  private body(): TemplateResult {
    switch (this.phase) {
      case "connecting":
        return html`<p class="muted" data-testid="connecting">Connecting to ${this.wsUrl}…</p>`;
      case "need-token":
        return html`<section class="panel"><p>This gateway needs its token.</p>${this.tokenForm()}${this.whereIsTheToken()}</section>`;
      case "auth-error":
        return html`<section class="panel">
          <p class="bad" data-testid="auth-error" role="alert">The gateway refused this token (${this.detail}). ${this.whereIsTheToken()}</p>
          ${this.tokenForm()}
        </section>`;
      case "insecure":
        return html`<section class="panel" data-testid="insecure-context" role="alert">
          <p class="bad"><strong>Device identity required.</strong> The gateway refused this page: ${this.detail}</p>
          <p>This usually means the page was opened over plain HTTP from another machine (a LAN or tailnet address), where browsers block what the login needs. Any one of these fixes it:</p>
          <ol>
            <li><strong>Tailscale Serve</strong>: run <code>openclaw gateway --tailscale serve</code> and open the <code>https://…ts.net/</code> address it prints.</li>
            <li><strong>Open it on loopback</strong>: on the gateway host use <code>http://127.0.0.1:${location.port || "18789"}/</code> (from elsewhere, tunnel it: <code>ssh -N -L ${location.port || "18789"}:127.0.0.1:${location.port || "18789"} user@gateway-host</code>).</li>
            <li><strong>Allow insecure auth</strong>: set <code>gateway.controlUi.allowInsecureAuth: true</code> in <code>openclaw.json</code> (weakens protection; and add this origin to <code>gateway.controlUi.allowedOrigins</code>).</li>
          </ol>
        </section>`;
      case "unreachable":
        return html`<section class="panel" data-testid="unreachable" role="alert">
          <p class="bad">Cannot reach the gateway: ${this.detail}</p>
          <p class="muted">Retrying on its own; or</p>
          <button @click=${() => void this.connect()}>Retry now</button>
        </section>`;
      case "ready": {
        const tag = unsafeStatic(PAGES.find((p) => p.route === this.route)?.tag ?? "oc-overview");
        return staticHtml`<${tag} .client=${this.client} @gateway-lost=${this.onLost}></${tag}>`;
      }
    }
  }

  private whereIsTheToken(): TemplateResult {
    return html`<span class="muted"
      >The token is <code>gateway.auth.token</code> in <code>~/.openclaw/openclaw.json</code>, or the <code>OPENCLAW_GATEWAY_TOKEN</code> environment variable of the gateway; <code>openclaw dashboard</code> opens
      this page with it.</span
    >`;
  }

  override render(): TemplateResult {
    const link = (route: Route, label: string) =>
      html`<a href="#/${route}" data-testid="nav-${route}" aria-current=${this.route === route ? "page" : "false"}>${label}</a>`;
    return html`<header>
        <h1>OpenClaw Control</h1>
        <nav aria-label="Pages">${PAGES.map((p) => link(p.route, p.label))}</nav>
      </header>
      <main data-conn-id=${this.client?.hello.server?.connId ?? ""}>${this.body()}</main>`;
  }
}

