/**
 * `<oc-config>`: the gateway's config file from `config.get` (path, short hash, validity and issues;
 * secrets arrive masked and stay masked) in a plain-text JSON5 editor. While the user edits, the page
 * parses the text (syntax errors with line:col), lists the changed key paths and says whether the
 * running gateway would apply them hot or restart. Save sends `config.apply` with the loaded hash as
 * `baseHash`; a stale hash shows the keys changed on disk since and a Reload button, invalid keys are
 * shown by path, and a rate limit says when to try again.
 */
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { live } from "lit/directives/live.js";
import type { ProtocolClient } from "../../src/client/core/index.js";
import {
  analyzeEdit,
  type ConfigIssueView,
  type ConfigSnapshotView,
  classifySaveError,
  describePlan,
  describeSaveResult,
  type EditAnalysis,
  parseConfigSnapshot,
  type SaveFailure,
  type SaveOutcome,
} from "./config-data.js";
import { isConnectionLost } from "./overview-data.js";
import { baseStyles } from "./styles.js";

const NO_EDIT: EditAnalysis = { parseError: undefined, changedPaths: [], plan: undefined };

/** The config page. */
export class OcConfig extends LitElement {
  static override properties = {
    client: { attribute: false },
    snapshot: { state: true },
    draft: { state: true },
    analysis: { state: true },
    saving: { state: true },
    saved: { state: true },
    failure: { state: true },
    loadError: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      h2 {
        font-size: 1rem;
        margin: 0 0 8px;
      }
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
      label {
        display: block;
        margin-bottom: 6px;
      }
      textarea {
        display: block;
        width: 100%;
        min-height: 18em;
        resize: vertical;
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.88em;
        line-height: 1.4;
        white-space: pre;
        overflow: auto;
        tab-size: 2;
      }
      ul {
        margin: 4px 0 0;
        padding-left: 1.2em;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
        margin-top: 10px;
      }
      .box {
        margin-top: 10px;
      }
      .box p {
        margin: 0;
      }
    `,
  ];

  declare client: ProtocolClient | undefined;
  declare snapshot: ConfigSnapshotView | undefined;
  declare draft: string;
  declare analysis: EditAnalysis;
  declare saving: boolean;
  declare saved: SaveOutcome | undefined;
  declare failure: SaveFailure | undefined;
  declare loadError: string;

  constructor() {
    super();
    this.draft = "";
    this.analysis = NO_EDIT;
    this.saving = false;
    this.loadError = "";
  }

  override updated(changed: Map<string, unknown>): void {
    // A reconnect keeps an unsaved edit (and the hash it was based on): a save still detects a file changed meanwhile.
    const editing = this.snapshot !== undefined && this.draft !== this.snapshot.raw;
    if (changed.has("client") && this.client && !editing) void this.load();
  }

  private lost(error: unknown): void {
    if (isConnectionLost(error)) this.dispatchEvent(new CustomEvent("gateway-lost", { bubbles: true, composed: true }));
  }

  /** Loads the file afresh; the editor's text is replaced (callers decide when that is wanted). */
  private async load(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const snapshot = parseConfigSnapshot(await client.call("config.get", {}));
      this.snapshot = snapshot;
      this.draft = snapshot.raw;
      this.analysis = NO_EDIT;
      this.loadError = "";
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
      this.lost(error);
    }
  }

  private onInput(event: Event): void {
    this.draft = (event.target as HTMLTextAreaElement).value;
    this.analysis = analyzeEdit(this.snapshot?.raw ?? "", this.draft);
    this.saved = undefined;
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === "s" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.save();
    }
  }

  private get canSave(): boolean {
    return !this.saving && this.snapshot !== undefined && !this.analysis.parseError && this.analysis.changedPaths.length > 0;
  }

  private async save(): Promise<void> {
    const client = this.client;
    const snapshot = this.snapshot;
    if (!client || !snapshot || !this.canSave) return;
    this.saving = true;
    this.failure = undefined;
    this.saved = undefined;
    try {
      const result = await client.call("config.apply", { raw: this.draft, ...(snapshot.hash ? { baseHash: snapshot.hash } : {}) });
      this.saved = describeSaveResult(result);
      await this.load();
    } catch (error) {
      this.failure = classifySaveError(error, isConnectionLost);
      this.lost(error);
    } finally {
      this.saving = false;
    }
  }

  /** After a conflict: the current file replaces the user's edit (only on this explicit click). */
  private async reload(): Promise<void> {
    this.failure = undefined;
    this.saved = undefined;
    await this.load();
  }

  private renderIssues(issues: readonly ConfigIssueView[], testid: string): TemplateResult {
    return html`<ul>
      ${issues.map((i) => html`<li data-testid=${testid} data-path=${i.path}><code>${i.path || "(file)"}</code>: ${i.message}</li>`)}
    </ul>`;
  }

  private renderFile(s: ConfigSnapshotView): TemplateResult {
    return html`<section class="panel" aria-labelledby="cfg-file">
      <h2 id="cfg-file">Config file</h2>
      <dl>
        <dt>Path</dt>
        <dd><code data-testid="config-path">${s.path || "?"}</code></dd>
        <dt>Hash</dt>
        <dd><code data-testid="config-hash" title=${s.hash ?? ""}>${s.hash ? s.hash.slice(0, 12) : s.exists ? "?" : "no file yet"}</code></dd>
        <dt>Status</dt>
        <dd data-testid="config-valid" class=${s.valid ? "ok" : "bad"}>${s.valid ? "valid" : `invalid (${s.issues.length} issue${s.issues.length === 1 ? "" : "s"})`}</dd>
      </dl>
      ${s.issues.length ? this.renderIssues(s.issues, "config-file-issue") : nothing}
    </section>`;
  }

  private renderAnalysis(): TemplateResult {
    const a = this.analysis;
    if (a.parseError) {
      const p = a.parseError;
      return html`<p class="bad box" role="alert" data-testid="config-parse-error">Line ${p.line}, column ${p.column}: ${p.message}</p>`;
    }
    return html`<div class="box" data-testid="config-changes" aria-live="polite">
        ${a.changedPaths.length
          ? html`<p>Changed keys:</p>
              <ul>
                ${a.changedPaths.map((p) => html`<li data-testid="config-change"><code>${p}</code></li>`)}
              </ul>`
          : html`<p class="muted">No changes.</p>`}
      </div>
      ${a.plan ? html`<p class="box ${a.plan.kind === "restart" ? "warn" : "ok"}" data-testid="config-reload-plan">${describePlan(a.plan)}</p>` : nothing}`;
  }

  private renderFailure(f: SaveFailure): TemplateResult {
    switch (f.kind) {
      case "conflict":
        return html`<div class="box bad" role="alert" data-testid="config-conflict">
          <p>
            Not saved: the file changed since it was loaded${f.changedPaths.length ? html` (changed: ${f.changedPaths.map((p, i) => html`${i ? ", " : ""}<code>${p}</code>`)})` : nothing}.
            Reload to see the current file; your edit here is then lost.
          </p>
          <div class="actions"><button type="button" data-testid="config-reload" @click=${() => void this.reload()}>Reload</button></div>
        </div>`;
      case "invalid":
        return html`<div class="box bad" role="alert" data-testid="config-invalid">
          <p>Not saved: the config would be invalid. The file was not changed.</p>
          ${this.renderIssues(f.issues, "config-issue")}
        </div>`;
      case "rate-limited":
        return html`<p class="box warn" role="alert" data-testid="config-rate-limited">Not saved: ${f.message}</p>`;
      default:
        return html`<p class="box bad" role="alert" data-testid="config-save-error">Not saved: ${f.message}</p>`;
    }
  }

  override render(): TemplateResult {
    const s = this.snapshot;
    const loadErr = this.loadError ? html`<p class="bad" role="alert" data-testid="config-load-error">${this.loadError}</p>` : nothing;
    if (!s) return html`${loadErr}<p class="muted">Loading…</p>`;
    return html`${loadErr}${this.renderFile(s)}
      <section class="panel" aria-labelledby="cfg-edit">
        <h2 id="cfg-edit">Edit</h2>
        <label for="cfg-editor" class="muted">JSON5. Secret values are masked; leave a mask as it is to keep the stored secret.</label>
        <textarea
          id="cfg-editor"
          data-testid="config-editor"
          spellcheck="false"
          autocomplete="off"
          autocapitalize="off"
          wrap="off"
          .value=${live(this.draft)}
          @input=${this.onInput}
          @keydown=${this.onKey}
        ></textarea>
        ${this.renderAnalysis()}
        <div class="actions">
          <button type="button" data-testid="config-save" ?disabled=${!this.canSave} @click=${() => void this.save()}>${this.saving ? "Saving…" : "Save"}</button>
          ${this.saved ? html`<span role="status" data-testid="config-saved" class=${this.saved.reloadError ? "warn" : "ok"}>${this.saved.text}</span>` : nothing}
        </div>
        ${this.failure ? this.renderFailure(this.failure) : nothing}
      </section>`;
  }
}
