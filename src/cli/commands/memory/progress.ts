/**
 * Progress for `memory index`, in the three shapes a user or a script needs: on a terminal one
 * line redrawn in place (at most 10 times a second); with `--json` one NDJSON object per committed
 * batch on stderr (`{"type":"progress", …}`); otherwise (logs, pipes) a plain line every ~2 s so
 * whoever watches can see it is alive.
 */
import type { SyncProgress } from "../../../memory/index.js";
import type { Io } from "../../types.js";
import { renderBytes, renderDuration } from "./common.js";

const TTY_FRAME_MS = 100;
const PLAIN_EVERY_MS = 2000;

const BAR = 20;

/** `[########------------]  40 %` for the current phase (bytes while indexing, chunks while embedding). */
export function renderProgressBar(p: SyncProgress): string {
  const [done, total] = p.phase === "embed" ? [p.embedDone, p.embedTotal] : [p.bytesDone, p.bytesTotal];
  const share = p.phase === "done" ? 1 : total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(share * BAR);
  return `[${"#".repeat(filled)}${"-".repeat(BAR - filled)}] ${String(Math.floor(share * 100)).padStart(3)} %`;
}

/** One line describing where a run is (a terminal also gets the bar in front). */
export function renderProgressLine(p: SyncProgress, o: { bar?: boolean } = {}): string {
  const parts = [p.agentId, ...(o.bar && (p.phase === "index" || p.phase === "embed") ? [renderProgressBar(p)] : []), p.phase.padEnd(5)];
  if (p.phase === "embed") {
    parts.push(`${p.embedDone}/${p.embedTotal} chunks embedded`, `${p.rate.toFixed(0)} chunks/s`);
  } else {
    parts.push(`${p.filesDone}/${p.filesTotal} files`, `${renderBytes(p.bytesDone)}/${renderBytes(p.bytesTotal)}`, `${p.chunks} chunks`);
    if (p.phase === "index") parts.push(`${p.rate.toFixed(0)} files/s`);
  }
  if (p.etaMs !== undefined && p.phase !== "done") parts.push(`ETA ${renderDuration(p.etaMs)}`);
  parts.push(`(${renderDuration(p.elapsedMs)})`);
  return parts.join("  ");
}

export interface ProgressReporter {
  onProgress(p: SyncProgress): void;
  /** Stops the timer and clears the live line (before a summary or an error is printed). */
  stop(): void;
}

/** A reporter for one `memory index` run. */
export function createProgressReporter(o: { io: Io; json: boolean; now?: () => number; frameMs?: number }): ProgressReporter {
  const { stderr } = o.io;
  if (o.json) {
    return { onProgress: (p) => stderr.write(`${JSON.stringify({ type: "progress", ...p })}\n`), stop: () => {} };
  }
  const tty = stderr.isTTY === true;
  let latest: SyncProgress | undefined;
  let drawn: SyncProgress | undefined;
  let live = false;
  const now = o.now ?? Date.now;
  const started = now();
  const draw = () => {
    if (!latest) return;
    if (tty) {
      if (latest === drawn) return;
      stderr.write(`\r\x1b[2K${renderProgressLine(latest, { bar: true })}`);
      live = true;
    } else {
      // Unchanged since the last line (a slow batch): say so, with the time it has been running.
      stderr.write(latest === drawn ? `${latest.agentId}  ${latest.phase}  still working (${renderDuration(now() - started)})\n` : `${renderProgressLine(latest)}\n`);
    }
    drawn = latest;
  };
  const timer = setInterval(draw, o.frameMs ?? (tty ? TTY_FRAME_MS : PLAIN_EVERY_MS));
  timer.unref?.();
  return {
    onProgress: (p) => {
      latest = p;
    },
    stop: () => {
      clearInterval(timer);
      if (live) stderr.write("\r\x1b[2K");
      live = false;
    },
  };
}
