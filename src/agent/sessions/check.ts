/**
 * `openclaw sessions check [--fix]` and doctor's transcript check: every `<id>.jsonl` in an agent's
 * sessions dir is loaded read-only and judged — torn tail, unparseable lines, poisoned, unreadable.
 * `--fix` never deletes: a poisoned or corrupt transcript moves to `sessions/quarantine/`; a torn
 * tail is repaired (cut off, or completed when whole) after its bytes are saved to
 * `quarantine/<name>.torn-<ts>`. A transcript whose
 * write lock is held by a live writer is left alone.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureDir } from "../../infra/index.js";
import { loadTranscript, tryAcquireSessionLock } from "../../storage/index.js";
import { poisonReasonOfRecords } from "./poison.js";

export type TranscriptIssueKind = "torn" | "corrupt" | "poisoned" | "unreadable";

export interface TranscriptFinding {
  file: string;
  kind: TranscriptIssueKind;
  detail: string;
}

export interface TranscriptFixResult extends TranscriptFinding {
  action: "quarantined" | "repaired" | "skipped";
  /** Where the file (or the torn bytes) went. */
  movedTo?: string;
  why?: string;
}

/** The live transcripts of a sessions dir (archives `*.jsonl.reset.*`/`.deleted.*` excluded). */
export function listTranscripts(sessionsDir: string): string[] {
  try {
    return readdirSync(sessionsDir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".jsonl"))
      .map((e) => path.join(sessionsDir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** Judges one transcript without changing it; the worst problem wins (poisoned > unreadable > corrupt > torn). */
export function checkTranscript(file: string): TranscriptFinding | undefined {
  const t = loadTranscript(file, { repair: false });
  const p = t.problems;
  if (p.unreadable) return { file, kind: "unreadable", detail: p.unreadable };
  const poisoned = poisonReasonOfRecords(t.records);
  if (poisoned) return { file, kind: "poisoned", detail: poisoned };
  if (p.badLines.length) return { file, kind: "corrupt", detail: `${p.badLines.length} unparseable line(s) (${p.badLines.slice(0, 5).join(", ")}${p.badLines.length > 5 ? ", …" : ""})` };
  if (p.tornTail) return { file, kind: "torn", detail: `torn last line ${p.tornTail.line} (${p.tornTail.bytes} bytes, a crash mid-write)` };
  return undefined;
}

/** Findings for every transcript in the given sessions dirs. */
export function checkSessionTranscripts(sessionsDirs: string[]): { scanned: number; findings: TranscriptFinding[] } {
  let scanned = 0;
  const findings: TranscriptFinding[] = [];
  for (const dir of sessionsDirs) {
    for (const file of listTranscripts(dir)) {
      scanned++;
      const f = checkTranscript(file);
      if (f) findings.push(f);
    }
  }
  return { scanned, findings };
}

/** A path in `<dir>/quarantine/` that does not exist yet. */
function quarantineTarget(file: string, suffix = ""): string {
  const qdir = path.join(path.dirname(file), "quarantine");
  ensureDir(qdir);
  const base = path.join(qdir, `${path.basename(file)}${suffix}`);
  if (!existsSync(base)) return base;
  for (let i = 1; ; i++) if (!existsSync(`${base}.${i}`)) return `${base}.${i}`;
}

/** Moves a transcript into `<sessions>/quarantine/` (never over an existing file); returns where it went. */
export function quarantineTranscript(file: string): string {
  const to = quarantineTarget(file);
  renameSync(file, to);
  return to;
}

/** Applies the fix for one finding under the transcript's write lock (re-checked under the lock). */
export function fixTranscriptFinding(finding: TranscriptFinding, now = Date.now()): TranscriptFixResult {
  if (finding.kind === "unreadable") return { ...finding, action: "skipped", why: "unreadable: fix its permissions or type by hand" };
  const lock = tryAcquireSessionLock(finding.file);
  if (!("release" in lock)) return { ...finding, action: "skipped", why: `a writer holds its lock${lock.held?.pid !== undefined ? ` (pid ${lock.held.pid})` : ""}; run again when it is idle` };
  try {
    const current = checkTranscript(finding.file);
    if (!current) return { ...finding, action: "skipped", why: "no longer has the problem" };
    if (current.kind !== "torn") return { ...current, action: "quarantined", movedTo: quarantineTranscript(current.file) };
    const before = loadTranscript(current.file, { repair: false });
    const tail = before.problems.tornTail!;
    const stamp = new Date(now).toISOString().replace(/[:.]/g, "-");
    const saved = quarantineTarget(current.file, `.torn-${stamp}`);
    const bytes = readFileSync(current.file);
    writeFileSync(saved, bytes.subarray(bytes.length - tail.bytes), { mode: 0o600 });
    const after = loadTranscript(current.file, { repair: true });
    return { ...current, action: "repaired", movedTo: saved, why: after.problems.tornTail?.action === "completed" ? "the last record was whole; its newline was added" : "the partial last line was cut off (its bytes are saved)" };
  } finally {
    lock.release();
  }
}
