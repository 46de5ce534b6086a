/**
 * The effective exec policy for one agent: the requested `tools.exec` policy (per-agent block
 * first; `mode` or the legacy `security`/`ask` pair) combined with the host approvals document,
 * where the stricter of the two wins; and allowlist matching of a shell command's binaries.
 */
import fs from "node:fs";
import path from "node:path";
import type { AllowlistEntry, ExecApprovalsDoc } from "./approvals-file.js";
import { agentToolsConfig, record } from "./fs-paths.js";

export type ExecSecurity = "deny" | "allowlist" | "full";
export type ExecAsk = "off" | "on-miss" | "always";

export const EXEC_SECURITY_VALUES: readonly ExecSecurity[] = ["deny", "allowlist", "full"];
export const EXEC_ASK_VALUES: readonly ExecAsk[] = ["off", "on-miss", "always"];

/** `tools.exec.mode` → security/ask (OpenClaw's table; `auto` has no reviewer here, so it asks on a miss). */
const MODES: Record<string, { security: ExecSecurity; ask: ExecAsk }> = {
  deny: { security: "deny", ask: "off" },
  allowlist: { security: "allowlist", ask: "off" },
  ask: { security: "allowlist", ask: "on-miss" },
  auto: { security: "allowlist", ask: "on-miss" },
  full: { security: "full", ask: "off" },
};

export interface ExecPolicy {
  security: ExecSecurity;
  ask: ExecAsk;
  askFallback: ExecSecurity;
  /** Entries for this agent plus those under `agents["*"]`. */
  allowlist: AllowlistEntry[];
  /** Where each part came from, for `approvals get`. */
  requested: { security: ExecSecurity; ask: ExecAsk; source: string };
  host: { security?: string; ask?: string; askFallback?: string };
  timeoutSeconds: number;
  /** Config values that were not understood (exec is denied while there are any). */
  problems: string[];
}

/** OpenClaw's default per-command timeout. */
export const DEFAULT_EXEC_TIMEOUT_SECONDS = 1800;

function asSecurity(v: unknown): ExecSecurity | undefined {
  return typeof v === "string" && (EXEC_SECURITY_VALUES as readonly string[]).includes(v) ? (v as ExecSecurity) : undefined;
}
function asAsk(v: unknown): ExecAsk | undefined {
  return typeof v === "string" && (EXEC_ASK_VALUES as readonly string[]).includes(v) ? (v as ExecAsk) : undefined;
}

/** The requested policy of one `exec` block; values it does not know are reported (and fail closed). */
function requestedFrom(exec: Record<string, unknown>, where: string, problems: string[]): { security?: ExecSecurity; ask?: ExecAsk } {
  const bad = (key: string, allowed: readonly string[]) => problems.push(`${where}.${key} is ${JSON.stringify(exec[key])}; use one of ${allowed.join(", ")}`);
  if (exec.mode !== undefined && !(typeof exec.mode === "string" && Object.hasOwn(MODES, exec.mode))) bad("mode", Object.keys(MODES));
  if (exec.security !== undefined && !asSecurity(exec.security)) bad("security", EXEC_SECURITY_VALUES);
  if (exec.ask !== undefined && !asAsk(exec.ask)) bad("ask", EXEC_ASK_VALUES);
  const mode = typeof exec.mode === "string" && Object.hasOwn(MODES, exec.mode) ? MODES[exec.mode] : undefined;
  return { security: asSecurity(exec.security) ?? mode?.security, ask: asAsk(exec.ask) ?? mode?.ask };
}

const SEC_RANK: Record<ExecSecurity, number> = { deny: 0, allowlist: 1, full: 2 };
const ASK_RANK: Record<ExecAsk, number> = { off: 0, "on-miss": 1, always: 2 };

/** The effective policy for `agentId` (config defaults: security `full`, ask `off`, as on a gateway host). */
export function resolveExecPolicy(options: { config: Record<string, unknown>; agentId: string; approvals: ExecApprovalsDoc }): ExecPolicy {
  const globalExec = record(record(options.config.tools).exec);
  const agentExec = record(record(agentToolsConfig(options.config, options.agentId)).exec);
  const problems: string[] = [];
  const g = requestedFrom(globalExec, "tools.exec", problems);
  const a = requestedFrom(agentExec, `agent ${options.agentId} tools.exec`, problems);
  // An unrecognised value (a typo of "deny") must not leave exec wide open: it denies until fixed.
  const security = problems.length > 0 ? "deny" : (a.security ?? g.security ?? "full");
  const ask = a.ask ?? g.ask ?? "off";
  const source = a.security || a.ask ? `agent ${options.agentId} tools.exec` : g.security || g.ask ? "tools.exec" : "default";
  const defaults = record(options.approvals.defaults);
  const agents = record(options.approvals.agents);
  // Legacy `agents.default` is OpenClaw's old name for `agents.main`.
  const mine = record(agents[options.agentId] ?? (options.agentId === "main" ? agents.default : undefined));
  const wildcard = record(agents["*"]);
  const hostSecurity = asSecurity(mine.security) ?? asSecurity(defaults.security);
  const hostAsk = asAsk(mine.ask) ?? asAsk(defaults.ask);
  const hostFallback = asSecurity(mine.askFallback) ?? asSecurity(defaults.askFallback);
  const effSecurity = hostSecurity && SEC_RANK[hostSecurity] < SEC_RANK[security] ? hostSecurity : security;
  const effAsk = hostAsk && ASK_RANK[hostAsk] > ASK_RANK[ask] ? hostAsk : ask;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((e): e is AllowlistEntry => !!e && typeof e === "object" && typeof (e as AllowlistEntry).pattern === "string") : []);
  const timeoutRaw = agentExec.timeoutSeconds ?? globalExec.timeoutSeconds;
  return {
    security: effSecurity,
    ask: effAsk,
    askFallback: hostFallback ?? "deny",
    allowlist: [...list(mine.allowlist), ...list(wildcard.allowlist)],
    requested: { security, ask, source },
    host: { ...(hostSecurity ? { security: hostSecurity } : {}), ...(hostAsk ? { ask: hostAsk } : {}), ...(hostFallback ? { askFallback: hostFallback } : {}) },
    timeoutSeconds: typeof timeoutRaw === "number" && timeoutRaw >= 0 ? timeoutRaw : DEFAULT_EXEC_TIMEOUT_SECONDS,
    problems,
  };
}

/** One top-level command segment: its executable as written, where it resolves, and its arguments. */
export interface CommandSegment {
  bin: string;
  resolved: string | undefined;
  args: string[];
}

/**
 * Splits a shell command into top-level segments (`;`, `&&`, `||`, `|`, newlines) and tokenizes
 * each with shell quoting. Undefined when the command uses forms we cannot bind to one binary per
 * segment (command substitution, backticks, subshells, process substitution): those never match.
 */
export function parseCommandSegments(command: string, options: { cwd: string; env: Record<string, string | undefined> }): CommandSegment[] | undefined {
  const segments: string[][] = [[]];
  let cur = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  const endWord = () => {
    if (inWord) segments[segments.length - 1]!.push(cur);
    cur = "";
    inWord = false;
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "`" || (c === "$" && command[i + 1] === "(")) return undefined;
      else if (c === "\\" && i + 1 < command.length) cur += command[++i];
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < command.length) {
      cur += command[++i];
      inWord = true;
    } else if (c === "`" || c === "(" || c === ")" || (c === "$" && command[i + 1] === "(") || ((c === "<" || c === ">") && command[i + 1] === "(")) {
      return undefined;
    } else if (c === ";" || c === "|" || c === "&" || c === "\n") {
      endWord();
      if ((c === "&" || c === "|") && command[i + 1] === c) i++;
      segments.push([]);
    } else if (/\s/.test(c)) {
      endWord();
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) return undefined;
  endWord();
  const out: CommandSegment[] = [];
  for (const words of segments) {
    let k = 0;
    while (k < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]!)) k++;
    if (k >= words.length) continue;
    const bin = words[k]!;
    out.push({ bin, resolved: resolveBinary(bin, options), args: words.slice(k + 1) });
  }
  return out;
}

function isExecutable(file: string): boolean {
  try {
    return fs.statSync(file).isFile() && (process.platform === "win32" || (fs.statSync(file).mode & 0o111) !== 0);
  } catch {
    return false;
  }
}

/** Where a command name resolves: a path relative to cwd, or the first executable on PATH. */
export function resolveBinary(bin: string, options: { cwd: string; env: Record<string, string | undefined> }): string | undefined {
  if (bin.includes("/")) {
    const p = path.resolve(options.cwd, bin);
    return isExecutable(p) ? realOr(p) : undefined;
  }
  for (const dir of (options.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, bin);
    if (isExecutable(p)) return realOr(p);
  }
  return undefined;
}

function realOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** A glob (`**` any depth, `*` one path component, `?` one char) as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function entryMatches(entry: AllowlistEntry, seg: CommandSegment, home: string | undefined): boolean {
  const pattern = entry.pattern.trim();
  if (!pattern) return false;
  const isPath = pattern.includes("/") || pattern.startsWith("~");
  let binOk: boolean;
  if (isPath) {
    const expanded = home && pattern.startsWith("~") ? path.join(home, pattern.slice(1)) : pattern;
    binOk = seg.resolved !== undefined && globToRegExp(expanded).test(seg.resolved);
  } else {
    // A bare name matches only a command invoked through PATH.
    binOk = !seg.bin.includes("/") && seg.resolved !== undefined && globToRegExp(pattern).test(seg.bin);
  }
  if (!binOk) return false;
  if (entry.argPattern === undefined) return true;
  if (entry.argPattern.startsWith("sha256:")) return false;
  try {
    return new RegExp(entry.argPattern).test(seg.args.join(" "));
  } catch {
    return false;
  }
}

/** Whether every segment of `command` matches an allowlist entry, and the segments it found. */
export function matchAllowlist(command: string, allowlist: readonly AllowlistEntry[], options: { cwd: string; env: Record<string, string | undefined> }): { matched: boolean; segments: CommandSegment[] | undefined } {
  const segments = parseCommandSegments(command, options);
  if (!segments || segments.length === 0) return { matched: false, segments };
  const matched = segments.every((seg) => allowlist.some((e) => entryMatches(e, seg, options.env.HOME)));
  return { matched, segments };
}
