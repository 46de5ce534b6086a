/**
 * Temp cleanup (seed 004 Step 6's `find … -mtime +7 -delete`, built in): regular files older than
 * `maxAgeMs` under the state dir's temp and media dirs (`<state>/tmp/`, `<state>/media/`, where
 * OpenClaw stages inbound media) are removed, then directories left empty. Symlinks are never
 * followed and never removed, and a dir whose real path leaves the state dir is skipped, so nothing
 * outside the state dir is ever touched.
 */
import { lstatSync, readdirSync, realpathSync, rmdirSync, unlinkSync } from "node:fs";
import path from "node:path";

/** Dirs under the state dir that hold only disposable files. */
export const TEMP_DIRS = ["tmp", "media"] as const;

/** Default age after which a temp file goes (OpenClaw's docs suggest 7 days for generated media). */
export const DEFAULT_TEMP_MAX_AGE_MS = 7 * 86_400_000;

export interface TempCleanupResult {
  removed: string[];
  removedDirs: string[];
  skipped: Array<{ path: string; reason: string }>;
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

export function runTempCleanup(o: { stateDir: string; now: number; maxAgeMs?: number }): TempCleanupResult {
  const maxAge = o.maxAgeMs ?? DEFAULT_TEMP_MAX_AGE_MS;
  const out: TempCleanupResult = { removed: [], removedDirs: [], skipped: [] };
  let realState: string;
  try {
    realState = realpathSync(o.stateDir);
  } catch {
    return out;
  }
  const visit = (dir: string, top: boolean): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (!inside(real, realState)) {
      out.skipped.push({ path: dir, reason: "resolves outside the state dir" });
      return;
    }
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      out.skipped.push({ path: dir, reason: (error as Error).message });
      return;
    }
    for (const name of names) {
      const p = path.join(dir, name);
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isSymbolicLink()) continue;
      if (st.isDirectory()) visit(p, false);
      else if (st.isFile() && o.now - st.mtimeMs > maxAge) {
        try {
          unlinkSync(p);
          out.removed.push(p);
        } catch (error) {
          out.skipped.push({ path: p, reason: (error as Error).message });
        }
      }
    }
    if (!top) {
      try {
        if (readdirSync(dir).length === 0) {
          rmdirSync(dir);
          out.removedDirs.push(dir);
        }
      } catch {
        // in use or not empty: kept
      }
    }
  };
  for (const name of TEMP_DIRS) {
    const dir = path.join(o.stateDir, name);
    const st = lstatSync(dir, { throwIfNoEntry: false });
    if (!st) continue;
    if (!st.isDirectory()) {
      out.skipped.push({ path: dir, reason: st.isSymbolicLink() ? "a symlink (never followed)" : "not a directory" });
      continue;
    }
    visit(dir, true);
  }
  return out;
}
