/**
 * Doctor's transcript findings from the snapshot's read-only scan: a poisoned transcript (the
 * detection `migrate` and `sessions check` share) gets a repair that moves it into
 * `sessions/quarantine/` (never deletes); a torn last line is reported with the command that
 * repairs it keeping its bytes (the gateway also cuts it on its next load).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Repair } from "../repair.js";
import type { JsonlFact } from "../snapshot.js";

/** A doctor finding (structurally `DoctorFinding`; declared here so checks.ts can import this file). */
export interface TranscriptDoctorFinding {
  checkId: string;
  step: "state";
  severity: "info" | "warn";
  title: string;
  detail: string;
  fix: string;
  repair?: Repair;
}

/** A free path for `file` in its dir's `quarantine/` (a quarantined copy is never overwritten). */
function quarantinePathFor(file: string): string {
  const base = path.join(path.dirname(file), "quarantine", path.basename(file));
  if (!existsSync(base)) return base;
  for (let i = 1; ; i++) if (!existsSync(`${base}.${i}`)) return `${base}.${i}`;
}

/** Findings for torn and poisoned transcripts. Pure apart from choosing a free quarantine name. */
export function checkTranscriptFacts(facts: JsonlFact[]): TranscriptDoctorFinding[] {
  const out: TranscriptDoctorFinding[] = [];
  for (const j of facts) {
    if (j.poisoned) {
      const to = quarantinePathFor(j.path);
      out.push({
        checkId: "state.transcript_poisoned",
        step: "state",
        severity: "warn",
        title: `${j.path}: poisoned (${j.poisoned})`,
        detail: "Every turn in this session replays it and fails the same way.",
        fix: "openclaw sessions check --fix (moves it to sessions/quarantine/; the session starts a fresh transcript)",
        repair: { id: `state.quarantine_transcript.${path.basename(j.path)}`, summary: `move ${j.path} → ${to}`, safe: false, actions: [{ kind: "mkdir", path: path.dirname(to), mode: 0o700 }, { kind: "rename", from: j.path, to }] },
      });
    }
    if (j.tornTail) {
      out.push({
        checkId: "state.transcript_torn",
        step: "state",
        severity: "info",
        title: `${j.path}: torn last line ${j.tornTail.line} (${j.tornTail.bytes} bytes; a crash mid-write)`,
        detail: "Every complete record is intact; the partial line is cut on the session's next load.",
        fix: "openclaw sessions check --fix (cuts it now and keeps its bytes in sessions/quarantine/)",
      });
    }
  }
  return out;
}
