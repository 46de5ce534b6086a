/**
 * One agent's memory in the gateway: its index (opened on first need, and only when the workspace
 * has memory files or the index file exists), the watcher that marks it dirty, and the syncs that
 * follow: debounced (1.5 s, OpenClaw's figure), one at a time (a change during a sync schedules
 * another), off the critical path (the engine yields between batches). A failed sync is logged
 * with the agent and the reason, counted and kept as `lastError`; it never throws out of here.
 */
import { type Dirent, existsSync, lstatSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Logger } from "../../../logging/index.js";
import { MemoryIndex, type MemorySearchResponse, type MemorySettings, readMemoryExcerpt, type SyncResult, searchMemory, syncMemory } from "../../../memory/index.js";
import { AppError } from "../../../shared/index.js";
import { MemoryWatcher } from "./watcher.js";

/** OpenClaw's watcher debounce. */
export const MEMORY_SYNC_DEBOUNCE_MS = 1500;
/** How long a search waits for a pending sync before answering from the index as it is. */
export const MEMORY_SEARCH_SYNC_BUDGET_MS = 2000;

/** The watcher's side of an agent's memory (what status and health show next to the engine's view). */
export interface MemoryWatchState {
  dirty: boolean;
  syncing: boolean;
  watching: boolean;
  lastSyncAt?: number;
  lastSyncMs?: number;
  lastError?: string;
  syncs: number;
  failures: number;
  /** From the last successful sync. */
  files?: number;
  chunks?: number;
  keywordOnly?: boolean;
  /** Directories that could not be watched (the agent then syncs before each search). */
  unwatched?: string[];
}

export interface AgentMemoryOptions {
  log: Logger;
  /** False under OPENCLAW_SKIP_MEMORY=1: no watcher, no background syncs (search reads the index as it is). */
  background: boolean;
  debounceMs?: number;
  /** First retry after a failed sync (doubling per failure, at most 10 minutes). */
  retryBaseMs?: number;
}

/** A failed background sync is retried after 30 s, then 1, 2, 4, … minutes (at most 10). */
export const MEMORY_SYNC_RETRY_BASE_MS = 30_000;
const MEMORY_SYNC_RETRY_MAX_MS = 10 * 60_000;
/** Text per write transaction in a background sync: each batch holds the event loop for tens of ms, not hundreds. */
const BACKGROUND_BATCH_BYTES = 256 * 1024;

const message = (e: unknown) => ((e as Error)?.message ?? String(e)).split("\n")[0]!;

export class AgentMemory {
  private index_: MemoryIndex | undefined;
  private watcher: MemoryWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private readonly abort = new AbortController();
  private state: MemoryWatchState = { dirty: true, syncing: false, watching: false, syncs: 0, failures: 0 };

  constructor(
    readonly settings: MemorySettings,
    private readonly options: AgentMemoryOptions,
  ) {}

  get agentId(): string {
    return this.settings.agentId;
  }

  /** Starts the watcher and an initial sync in the background (never awaited by the caller). */
  start(): void {
    if (!this.settings.enabled || !this.options.background || this.closed) return;
    this.watcher = new MemoryWatcher(this.settings, {
      onChange: () => this.markDirty(),
      onError: (dir, error) => this.options.log.warn(`memory watcher for agent ${this.agentId} cannot watch ${dir}: ${message(error)}; the index syncs before each search instead`),
    });
    this.watcher.start();
    this.state.watching = true;
    const t = setTimeout(() => void this.sync(), 0);
    t.unref?.();
  }

  /** The watcher's view (a copy). */
  watchState(): MemoryWatchState {
    const unwatched = this.watcher ? [...this.watcher.failed] : [];
    return { ...this.state, syncing: this.running !== undefined, ...(unwatched.length ? { unwatched } : {}) };
  }

  /** A memory source changed: sync after the debounce. */
  markDirty(): void {
    if (this.closed) return;
    this.state.dirty = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sync();
    }, this.options.debounceMs ?? MEMORY_SYNC_DEBOUNCE_MS);
    this.timer.unref?.();
  }

  /** The open index; with `create`, opened (and created) only when there is something to index. */
  openIndex(create: boolean): MemoryIndex | undefined {
    if (this.index_ || this.closed) return this.index_;
    const exists = existsSync(this.settings.dbPath);
    if (!exists && !(create && hasMemorySource(this.settings))) return undefined;
    this.index_ = MemoryIndex.open(this.settings, { create: true });
    return this.index_;
  }

  /** Runs a sync now, or joins the running one (which then runs once more). Never rejects. */
  sync(): Promise<void> {
    if (this.closed || !this.settings.enabled) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      this.state.dirty = false;
      const started = Date.now();
      try {
        const index = this.openIndex(true);
        if (index) this.recordResult(await syncMemory(index, { signal: this.abort.signal, batchBytes: BACKGROUND_BATCH_BYTES }), started);
        else Object.assign(this.state, { lastSyncAt: Date.now(), lastSyncMs: Date.now() - started, files: 0, chunks: 0, keywordOnly: !this.settings.provider });
        this.state.lastError = undefined;
        this.state.syncs++;
      } catch (error) {
        if (this.closed) return;
        this.state.dirty = true;
        this.state.failures++;
        this.state.lastError = message(error);
        const hint = (error as { hint?: unknown }).hint;
        this.options.log.warn(`memory sync failed for agent ${this.agentId}: ${this.state.lastError}`, { agentId: this.agentId, ...(typeof hint === "string" ? { hint } : {}) });
        this.scheduleRetry();
        return;
      }
    } while (this.again && !this.closed);
  }

  /** A background retry after a failure (a change or a search may run one sooner). */
  private scheduleRetry(): void {
    if (!this.options.background || this.closed || this.timer) return;
    const delay = Math.min(MEMORY_SYNC_RETRY_MAX_MS, (this.options.retryBaseMs ?? MEMORY_SYNC_RETRY_BASE_MS) * 2 ** Math.min(20, this.state.failures - 1));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sync();
    }, delay);
    this.timer.unref?.();
  }

  private recordResult(r: SyncResult, started: number): void {
    Object.assign(this.state, { lastSyncAt: Date.now(), lastSyncMs: Date.now() - started, files: r.files, chunks: r.chunks, keywordOnly: r.keywordOnly });
    if (r.indexed || r.removed) this.options.log.info(`memory index for agent ${this.agentId}: ${r.indexed} file(s) indexed, ${r.removed} removed, ${r.chunks} chunks (${r.durationMs} ms)`);
  }

  /**
   * Searches the index; a dirty index (or one whose sources cannot be watched) syncs first, bounded
   * by `budgetMs`, after which the index answers as it is.
   */
  async search(query: string, o: { maxResults?: number; minScore?: number; signal?: AbortSignal }, budgetMs = MEMORY_SEARCH_SYNC_BUDGET_MS): Promise<MemorySearchResponse> {
    if (!this.settings.enabled) throw new AppError("UNAVAILABLE", `memory search is disabled for agent ${this.agentId}`, { hint: "Set memory.search.enabled (or agents.defaults.memorySearch.enabled) to true." });
    if (!query.trim()) throw new AppError("USAGE", "memory search: query is empty", { hint: "Pass the words to look for." });
    if (this.options.background) {
      // Changed sources (or ones that cannot be watched) need a sync; a sync already running is waited for, not repeated.
      const pending = this.state.dirty || (this.watcher?.failed.size ?? 0) > 0 ? this.sync() : this.running;
      if (pending) await waitBounded(pending, budgetMs, o.signal);
    }
    const index = this.openIndex(this.options.background);
    if (!index) {
      return { agentId: this.agentId, query, mode: "keyword", results: [], warning: "no memory files yet: write MEMORY.md or notes under memory/ in the agent's workspace", tookMs: 0 };
    }
    return searchMemory(index, query, { ...o, embedTimeoutMs: 5000 });
  }

  /** An excerpt of an allowed memory file (FORBIDDEN / NOT_FOUND errors name what is allowed). */
  get(file: string, o: { from?: number; lines?: number }): ReturnType<typeof readMemoryExcerpt> {
    return readMemoryExcerpt(this.settings, file, o);
  }

  /** Stops the watcher, aborts a running sync and closes the index once it has stopped. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    this.state.watching = false;
    this.abort.abort(new DOMException("memory closing", "AbortError"));
    await this.running?.catch(() => undefined);
    this.index_?.close();
    this.index_ = undefined;
  }
}

/** Whether `dir` holds a `.md` file somewhere below (stops at the first; no symlinks, no dot-entries). */
function findMarkdown(dir: string): boolean {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) if (!e.name.startsWith(".") && e.isFile() && e.name.toLowerCase().endsWith(".md")) return true;
  return entries.some((e) => !e.name.startsWith(".") && e.isDirectory() && findMarkdown(path.join(dir, e.name)));
}

/**
 * Whether the agent has any memory source, without listing them all (a full scan of a large
 * memory tree would block the event loop for no reason: the sync scans anyway).
 */
export function hasMemorySource(settings: Pick<MemorySettings, "workspace" | "extraPaths">): boolean {
  const isFile = (p: string) => {
    try {
      return lstatSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (["MEMORY.md", "memory.md", "USER.md"].some((n) => isFile(path.join(settings.workspace, n)))) return true;
  return findMarkdown(path.join(settings.workspace, "memory")) || settings.extraPaths.some((e) => isFile(e.path) || findMarkdown(e.path));
}

/** Waits for `p` at most `ms` (or until `signal` aborts); never rejects. */
async function waitBounded(p: Promise<unknown>, ms: number, signal?: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  await Promise.race([
    p.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      onAbort = () => resolve();
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
  ]);
  if (timer) clearTimeout(timer);
  if (onAbort) signal?.removeEventListener("abort", onAbort);
}
