/**
 * Watches the job store for hand edits: the directory is watched (atomic writers replace the file),
 * events for the store's name are debounced, and the caller decides by content hash whether the
 * change is someone else's. The watcher and its timer never hold the process open.
 */
import { type FSWatcher, mkdirSync, watch } from "node:fs";
import path from "node:path";

export class StoreWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly onChange: () => void,
    private readonly debounceMs = 200,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  start(): void {
    const dir = path.dirname(this.file);
    const base = path.basename(this.file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      this.watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name !== null && name !== base) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.onChange();
        }, this.debounceMs);
        this.timer.unref();
      });
      this.watcher.on("error", (error) => this.onError(error));
    } catch (error) {
      this.onError(error as Error);
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.watcher?.close();
    this.watcher = undefined;
  }
}
