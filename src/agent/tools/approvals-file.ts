/**
 * The host approvals document, `<state>/exec-approvals.json` (OpenClaw's legacy file shape:
 * `{ version: 1, defaults: { security, ask, askFallback }, agents: { <id>: { security, ask,
 * askFallback, allowlist: [{ id, pattern, argPattern?, source?, lastUsedAt?, lastResolvedPath? }] } } }`).
 * Reads tolerate a missing file; writes are atomic at 0600 and keep every key we do not know.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { readSmallRegularFile, SECRET_FILE_MODE, writeFileAtomic } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";

/** File name of the approvals document inside the state dir. */
export const EXEC_APPROVALS_FILE = "exec-approvals.json";

/** One allowlist entry (unknown keys are kept as they are). */
export interface AllowlistEntry {
  id?: string;
  pattern: string;
  argPattern?: string;
  source?: string;
  lastUsedAt?: number;
  lastResolvedPath?: string;
  [key: string]: unknown;
}

/** Per-agent (or `defaults`) host policy. */
export interface ApprovalsPolicy {
  security?: string;
  ask?: string;
  askFallback?: string;
  allowlist?: AllowlistEntry[];
  [key: string]: unknown;
}

export interface ExecApprovalsDoc {
  version?: number;
  defaults?: ApprovalsPolicy;
  agents?: Record<string, ApprovalsPolicy>;
  [key: string]: unknown;
}

/** `<stateDir>/exec-approvals.json`. */
export function execApprovalsPath(stateDir: string): string {
  return path.join(stateDir, EXEC_APPROVALS_FILE);
}

/** Reads the approvals document; a missing file is `{ version: 1 }`. Bad JSON is an AppError naming the file. */
export function loadExecApprovals(file: string): ExecApprovalsDoc {
  const text = readSmallRegularFile(file, 4 * 1024 * 1024);
  if (text === null) {
    // Missing is empty; present but unreadable (a FIFO, too big, no permission) must not be overwritten.
    if (!fs.existsSync(file)) return { version: 1 };
    throw new AppError("FS", `cannot read ${file}: not a readable regular file under 4 MiB`, { hint: "Check the exec approvals file's type, size and permissions." });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppError("CONFIG_PARSE", `cannot parse ${file}: ${(error as Error).message}`, { hint: "Fix the JSON in the exec approvals file, or move it aside to start from an empty one." });
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new AppError("CONFIG_INVALID", `${file} must hold a JSON object`, { hint: "Fix the exec approvals file, or move it aside to start from an empty one." });
  }
  return parsed as ExecApprovalsDoc;
}

/** Writes the document atomically at 0600. */
export function saveExecApprovals(file: string, doc: ExecApprovalsDoc): void {
  writeFileAtomic(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: SECRET_FILE_MODE });
}

/**
 * Adds allowlist entries for one agent (read-modify-write; an entry already covered — same pattern
 * with no argPattern or the same one — is left alone). Returns the patterns actually added.
 */
export function addAllowlistPatterns(file: string, agentId: string, entries: Array<Pick<AllowlistEntry, "pattern" | "argPattern" | "lastResolvedPath">>, now = Date.now()): string[] {
  const doc = loadExecApprovals(file);
  doc.version ??= 1;
  if (!doc.agents || typeof doc.agents !== "object") doc.agents = {};
  const agents = doc.agents;
  if (!agents[agentId] || typeof agents[agentId] !== "object") agents[agentId] = {};
  const policy = agents[agentId]!;
  if (!Array.isArray(policy.allowlist)) policy.allowlist = [];
  const list = policy.allowlist;
  const added: string[] = [];
  for (const e of entries) {
    if (list.some((x) => x && x.pattern === e.pattern && (x.argPattern === undefined || x.argPattern === e.argPattern))) continue;
    list.push({
      id: randomUUID(),
      pattern: e.pattern,
      ...(e.argPattern !== undefined ? { argPattern: e.argPattern } : {}),
      source: "allow-always",
      lastUsedAt: now,
      ...(e.lastResolvedPath ? { lastResolvedPath: e.lastResolvedPath } : {}),
    });
    added.push(e.pattern);
  }
  if (added.length > 0) saveExecApprovals(file, doc);
  return added;
}
