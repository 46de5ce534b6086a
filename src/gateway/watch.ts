/**
 * Watches the config file and its includes, including atomic rename-over writes (the directory is
 * watched, not the inode), and calls back once per burst of changes (debounced).
 */
import { type FSWatcher, watch } from "node:fs";
import path from "node:path";

export interface ConfigWatcher {
  close(): void;
}

export function watchConfigFiles(files: readonly string[], debounceMs: number, onChange: () => void): ConfigWatcher {
  const byDir = new Map<string, Set<string>>();
  for (const f of files) {
    const dir = path.dirname(f);
    byDir.set(dir, (byDir.get(dir) ?? new Set()).add(path.basename(f)));
  }
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || names.has(name.toString())) fire();
      });
      w.on("error", () => undefined);
      watchers.push(w);
    } catch {
      // The directory does not exist yet; a later restart re-arms the watcher.
    }
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
