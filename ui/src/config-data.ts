/**
 * The config page's pure parts: the `config.get` snapshot as the page shows it, what an edit changes
 * (JSON5 parse with line:col, changed key paths, and whether the running gateway applies them hot or
 * restarts, from the same reload table the gateway uses), and how a `config.apply` answer or refusal
 * reads (saved hot or restarting; a stale `baseHash` with the keys changed since; invalid keys; rate limit).
 */
import { diffConfigPaths, Json5SyntaxError, parseJson5, planReload, type ReloadPlan, reloadRuleOf } from "../../src/shared/index.js";

/** One problem with a config, by dotted key path. */
export interface ConfigIssueView {
  path: string;
  message: string;
}

/** The `config.get` answer as the page uses it (secrets arrive masked and stay masked). */
export interface ConfigSnapshotView {
  path: string;
  exists: boolean;
  raw: string;
  hash: string | undefined;
  valid: boolean;
  issues: ConfigIssueView[];
}

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function issuesOf(v: unknown): ConfigIssueView[] {
  if (!Array.isArray(v)) return [];
  return v.map((i) => ({ path: str(obj(i).path) ?? "", message: str(obj(i).message) ?? String(i) }));
}

/** Reads a `config.get` result. */
export function parseConfigSnapshot(result: unknown): ConfigSnapshotView {
  const r = obj(result);
  return {
    path: str(r.path) ?? "",
    exists: r.exists !== false,
    raw: str(r.raw) ?? "",
    hash: str(r.hash) ?? undefined,
    valid: r.valid === true,
    issues: issuesOf(r.issues),
  };
}

/** A JSON5 syntax error in the editor, with its 1-based position. */
export interface EditParseError {
  message: string;
  line: number;
  column: number;
}

/** What the text in the editor would change, compared with the loaded file. */
export interface EditAnalysis {
  parseError: EditParseError | undefined;
  /** Dotted key paths whose values differ from the loaded file (empty when unparseable). */
  changedPaths: string[];
  /** What the running gateway does with those paths (undefined when nothing changed). */
  plan: ReloadPlan | undefined;
}

function tryParse(text: string): { value: unknown } | { error: EditParseError } {
  // A blank file is an empty config to the gateway.
  if (text.trim() === "") return { value: {} };
  try {
    return { value: parseJson5(text) };
  } catch (error) {
    if (error instanceof Json5SyntaxError) return { error: { message: error.message, line: error.line, column: error.column } };
    return { error: { message: error instanceof Error ? error.message : String(error), line: 1, column: 1 } };
  }
}

/** Parses `edited` and compares it with `original` (both as the page holds them, secrets masked alike). */
export function analyzeEdit(original: string, edited: string): EditAnalysis {
  const after = tryParse(edited);
  if ("error" in after) return { parseError: after.error, changedPaths: [], plan: undefined };
  const before = tryParse(original);
  // A loaded file that does not parse: every key of the edit counts as changed.
  const changedPaths = diffConfigPaths("value" in before ? before.value : {}, after.value);
  return { parseError: undefined, changedPaths, plan: changedPaths.length ? planReload(changedPaths) : undefined };
}

/** The reload plan in words: hot, a subsystem restart, or a gateway restart, naming the paths that force a restart. */
export function describePlan(plan: ReloadPlan): string {
  if (plan.kind === "none") return "No effect on the running gateway (read when needed).";
  if (plan.kind === "hot") return "Applied hot: the running gateway takes the change in place.";
  const owners = [...new Set(plan.restartPaths.map((p) => reloadRuleOf(p).owner))];
  const what = plan.restartGateway ? "Restarts the gateway" : `Restarts the ${owners.join(", ")} subsystem${owners.length > 1 ? "s" : ""} (not the gateway)`;
  return `${what}: ${plan.restartPaths.join(", ")}.`;
}

/** What a successful `config.apply` did. */
export interface SaveOutcome {
  changed: boolean;
  /** The gateway restarts (after `restartDelayMs`). */
  restart: boolean;
  text: string;
  reloadError: string | undefined;
}

/** Reads a `config.apply` result (`reload`, `restart?`, `reloadError?`). */
export function describeSaveResult(result: unknown): SaveOutcome {
  const r = obj(result);
  const reload = obj(r.reload);
  const changed = r.changed !== false;
  const restart = r.restart !== undefined && r.restart !== null;
  const reloadError = str(r.reloadError) ?? str(obj(r.reloadError).message);
  let text: string;
  if (!changed) text = "Saved: nothing changed.";
  else if (restart) text = "Saved: the gateway restarts to apply it.";
  else if (reload.kind === "hot" || reload.kind === "restart") text = "Saved and applied hot (no gateway restart).";
  else text = "Saved (nothing to apply in the running gateway).";
  if (reloadError) text += ` The reload reported an error: ${reloadError}`;
  return { changed, restart, text, reloadError };
}

/** Why a save was refused, as the page explains it. */
export type SaveFailure =
  | { kind: "conflict"; message: string; changedPaths: string[] }
  | { kind: "invalid"; message: string; issues: ConfigIssueView[] }
  | { kind: "rate-limited"; message: string; retryAfterMs: number | undefined }
  | { kind: "other"; message: string; lost: boolean };

/**
 * Sorts a `config.apply` error: the client's error carries the gateway's code (`code`) and the wire
 * error under `details.wire` (its `details` hold `changedPaths`, `issues` or `retryAfterMs`).
 */
export function classifySaveError(error: unknown, isLost: (error: unknown) => boolean): SaveFailure {
  const e = obj(error);
  const wire = obj(obj(e.details).wire);
  const details = obj(wire.details);
  const code = str(e.code) ?? str(details.code);
  const message = str(wire.message) ?? str(e.message) ?? String(error);
  if (code === "CONFIG_CONFLICT") {
    const changedPaths = Array.isArray(details.changedPaths) ? details.changedPaths.filter((p): p is string => typeof p === "string") : [];
    return { kind: "conflict", message, changedPaths };
  }
  if (code === "CONFIG_INVALID") return { kind: "invalid", message, issues: issuesOf(details.issues) };
  if (code === "RATE_LIMITED") {
    const after = typeof wire.retryAfterMs === "number" ? wire.retryAfterMs : typeof details.retryAfterMs === "number" ? details.retryAfterMs : undefined;
    return { kind: "rate-limited", message: `Too many config writes; try again${after !== undefined ? ` in ${Math.ceil(after / 1000)} s` : " in a minute"}.`, retryAfterMs: after };
  }
  return { kind: "other", message, lost: isLost(error) };
}
