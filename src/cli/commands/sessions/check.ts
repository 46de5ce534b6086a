/**
 * `openclaw sessions check [--fix] [--agent|--all-agents] [--json]`: finds torn, corrupt, poisoned
 * and unreadable transcripts (the same detection `migrate` and doctor use). Without `--fix` it
 * changes nothing and exits 3 when it found problems; `--fix` quarantines into
 * `sessions/quarantine/` (never deletes) and repairs torn tails, keeping their bytes.
 */
import path from "node:path";
import { checkSessionTranscripts, fixTranscriptFinding, type TranscriptFixResult } from "../../../agent/index.js";
import { EXIT } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { resolveSessionsContext } from "./common.js";

const FIX_HINT: Record<string, string> = {
  poisoned: "quarantine it (the session starts a fresh transcript)",
  corrupt: "quarantine it",
  torn: "cut the partial last line (its bytes are kept in quarantine/)",
  unreadable: "fix its permissions or type by hand",
};

export const run: CommandHandler = (ctx) => {
  const sc = resolveSessionsContext(ctx);
  const fix = ctx.options.fix === true;
  const { scanned, findings } = checkSessionTranscripts(sc.targets.map((t) => t.sessionsDir));
  const results: TranscriptFixResult[] = fix ? findings.map((f) => fixTranscriptFinding(f)) : [];
  const unresolved = fix ? results.filter((r) => r.action === "skipped").length : findings.length;
  const human: string[] = [`Checked ${scanned} transcript(s) in ${sc.targets.map((t) => t.sessionsDir).join(", ")}`];
  if (!findings.length) human.push("No problems found.");
  for (const f of fix ? results : findings) {
    const name = path.basename(f.file);
    if ("action" in f) {
      const r = f as TranscriptFixResult;
      human.push(`  ${name}: ${r.kind} (${r.detail}) → ${r.action}${r.movedTo ? ` (${r.movedTo})` : ""}${r.why ? `: ${r.why}` : ""}`);
    } else human.push(`  ${name}: ${f.kind} (${f.detail}); --fix would ${FIX_HINT[f.kind]}`);
  }
  if (!fix && findings.length) human.push("Run openclaw sessions check --fix to quarantine (nothing is deleted).");
  const data = { ok: unresolved === 0, scanned, fixed: fix, findings: fix ? results : findings };
  return { data, human, exitCode: unresolved === 0 ? EXIT.ok : EXIT.problems };
};
