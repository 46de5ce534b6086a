/**
 * How old a state dir is, for checks that are only worth a warning once an install has settled in
 * (no backup yet). There is no portable creation time, so the age is taken from the oldest
 * timestamp the dir shows: its birth time where the filesystem records one, and the modification
 * times of the dir and its top-level entries (config, credentials/, agents/, …). Adding a file
 * makes nothing look younger; files restored with their old times count as an old install.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

/** When the state dir began (ms since the epoch), or undefined when it does not exist. */
export function stateDirSince(stateDir: string): number | undefined {
  let oldest: number | undefined;
  const see = (file: string) => {
    try {
      const st = statSync(file);
      for (const t of [st.birthtimeMs, st.mtimeMs]) if (t > 0 && (oldest === undefined || t < oldest)) oldest = t;
    } catch {
      // vanished or unreadable: it tells us nothing
    }
  };
  see(stateDir);
  if (oldest === undefined) return undefined;
  try {
    for (const name of readdirSync(stateDir)) see(path.join(stateDir, name));
  } catch {
    // unreadable dir: its own times are all we have
  }
  return oldest;
}
