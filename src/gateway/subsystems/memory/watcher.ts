/**
 * Watches one agent's memory sources: the workspace root (for `MEMORY.md`, `memory.md`, `USER.md`
 * and the `memory/` directory appearing), every directory under `memory/`, and the configured extra
 * paths. Each directory gets its own non-recursive `fs.watch` (recursive watching exists on Linux
 * since Node 20 but is emulated in JavaScript there and differs between Node 20 and 24 in the
 * events it reports); a new or removed directory re-walks the tree. Symlinks and dot-directories
 * are never followed, as the indexer skips them. The watcher only says "something changed": the
 * sync that follows compares contents.
 */
import { type FSWatcher, lstatSync, readdirSync, watch } from "node:fs";
import path from "node:path";

const ROOT_NAMES = new Set(["MEMORY.md", "memory.md", "USER.md", "memory"]);

export interface MemoryWatchRoots {
  workspace: string;
  extraPaths: ReadonlyArray<{ path: string }>;
}

export interface MemoryWatcherOptions {
  onChange(file: string): void;
  /** A directory that could not be watched (the caller falls back to syncing before each search). */
  onError(dir: string, error: Error): void;
}

function isDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The directory and every sub-directory (no symlinks, no dot-directories). */
function walkDirs(root: string, out: string[] = []): string[] {
  if (!isDir(root)) return out;
  out.push(root);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return out;
  }
  for (const name of names) if (!name.startsWith(".")) walkDirs(path.join(root, name), out);
  return out;
}

export class MemoryWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private closed = false;
  private rescanTimer: NodeJS.Timeout | undefined;
  /** Directories that failed to watch (shown in status; the caller syncs before searching). */
  readonly failed = new Set<string>();

  constructor(
    private readonly roots: MemoryWatchRoots,
    private readonly options: MemoryWatcherOptions,
  ) {}

  /** Starts watching (the current trees). */
  start(): void {
    this.rescan();
  }

  /** Directories being watched. */
  get directories(): string[] {
    return [...this.watchers.keys()];
  }

  private trees(): string[] {
    return [path.join(this.roots.workspace, "memory"), ...this.roots.extraPaths.map((e) => e.path).filter(isDir)];
  }

  private inTree(dir: string): boolean {
    return this.trees().some((t) => dir === t || dir.startsWith(t + path.sep));
  }

  /**
   * Whether a rename in `dir` may have added or removed a directory the watch set depends on (a
   * `.md` file never does; the agent's other workspace files never do).
   */
  private mayMoveDirectory(dir: string, name: string | null): boolean {
    if (name === null) return true;
    if (name.toLowerCase().endsWith(".md")) return false;
    if (this.inTree(dir)) return true;
    const full = path.join(dir, name);
    return (dir === this.roots.workspace && name === "memory") || this.roots.extraPaths.some((e) => e.path === full || e.path.startsWith(full + path.sep));
  }

  /** Whether an event for `name` in `dir` can concern a memory source. */
  private relevant(dir: string, name: string | null, event: string): boolean {
    if (this.inTree(dir)) return name === null || event === "rename" || name.toLowerCase().endsWith(".md");
    if (name === null) return true;
    if (dir === this.roots.workspace && ROOT_NAMES.has(name)) return true;
    const file = path.join(dir, name);
    return this.roots.extraPaths.some((e) => e.path === file);
  }

  /** Re-walks soon (a burst of new directories costs one walk). */
  private scheduleRescan(): void {
    if (this.rescanTimer || this.closed) return;
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = undefined;
      this.rescan();
    }, 50);
    this.rescanTimer.unref?.();
  }

  /** Adds watchers for new directories of the trees and drops those of vanished ones. */
  private rescan(): void {
    if (this.closed) return;
    const wanted = new Set<string>([this.roots.workspace]);
    for (const tree of this.trees()) for (const dir of walkDirs(tree)) wanted.add(dir);
    // An extra path that is one file (or not there yet): watch its directory for that name.
    for (const e of this.roots.extraPaths) if (!isDir(e.path)) wanted.add(path.dirname(e.path));
    for (const [dir, w] of this.watchers) {
      if (wanted.has(dir)) continue;
      w.close();
      this.watchers.delete(dir);
    }
    for (const dir of wanted) this.watchDir(dir);
  }

  private watchDir(dir: string): void {
    if (this.watchers.has(dir) || this.closed) return;
    try {
      const w = watch(dir, { persistent: false }, (event, raw) => {
        const name = raw === null || raw === undefined ? null : String(raw);
        if (event === "rename" && this.mayMoveDirectory(dir, name)) this.scheduleRescan();
        if (this.relevant(dir, name, event)) this.options.onChange(name ? path.join(dir, name) : dir);
      });
      w.on("error", (error) => {
        // The directory went away (or the watch broke): drop it; the next rescan re-adds it if it is back.
        w.close();
        if (this.watchers.get(dir) === w) this.watchers.delete(dir);
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "ENOENT" && code !== "EPERM") this.fail(dir, error);
        this.options.onChange(dir);
        this.scheduleRescan();
      });
      this.watchers.set(dir, w);
      this.failed.delete(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      this.fail(dir, error as Error);
    }
  }

  private fail(dir: string, error: Error): void {
    if (this.failed.has(dir)) return;
    this.failed.add(dir);
    this.options.onError(dir, error);
  }

  close(): void {
    this.closed = true;
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
