/**
 * The rolling JSONL file sink. The current file keeps one stable name (`openclaw.log`), so
 * `tail -F` and `openclaw logs --follow` never guess a date; on a new day or past `maxFileBytes` it is
 * renamed to a dated archive (`openclaw-2026-11-21.log`, then `.1`, `.2` within a day). Archives
 * older than the retention or beyond the total-size cap are deleted, oldest first.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";

export interface RollingFileOptions {
  /** Configured path; `{date}` marks where archives put the date. */
  file: string;
  maxFileBytes: number;
  /** Total bytes of archives kept (default 5 × maxFileBytes). */
  maxTotalBytes?: number;
  retentionDays?: number;
  now?: () => Date;
}

/** Local calendar day `YYYY-MM-DD`. */
export function localDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The stable current-file path and the archive naming for a configured `logging.file`. */
export function resolveLogFiles(file: string): { current: string; archive(day: string, n: number): string; archivePattern: RegExp } {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let prefix: string;
  let suffix: string;
  if (base.includes("{date}")) {
    const [before, after] = base.split("{date}") as [string, string];
    prefix = before;
    suffix = after;
  } else {
    const ext = path.extname(base);
    prefix = `${base.slice(0, base.length - ext.length)}-`;
    suffix = ext;
  }
  const currentBase = base.includes("{date}") ? `${prefix.replace(/[-_.]$/, "")}${suffix}` || "openclaw.log" : base;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return {
    current: path.join(dir, currentBase),
    archive: (day, n) => path.join(dir, `${prefix}${day}${n > 0 ? `.${n}` : ""}${suffix}`),
    archivePattern: new RegExp(`^${esc(prefix)}\\d{4}-\\d{2}-\\d{2}(?:\\.\\d+)?${esc(suffix)}$`),
  };
}

export class RollingFileSink {
  private fd: number | undefined;
  private size = 0;
  private day = "";
  private failed = false;
  private readonly files: ReturnType<typeof resolveLogFiles>;
  private readonly now: () => Date;

  constructor(private readonly options: RollingFileOptions) {
    this.files = resolveLogFiles(options.file);
    this.now = options.now ?? (() => new Date());
  }

  get currentPath(): string {
    return this.files.current;
  }

  private open(): void {
    const dir = path.dirname(this.files.current);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const today = localDay(this.now());
    if (existsSync(this.files.current)) {
      const st = statSync(this.files.current);
      const fileDay = localDay(st.mtime);
      if (fileDay !== today && st.size > 0) this.rotate(fileDay);
    }
    this.fd = openSync(this.files.current, "a", 0o600);
    try {
      chmodSync(this.files.current, 0o600);
    } catch {
      // Not ours to chmod (shared dir); keep writing.
    }
    this.size = statSync(this.files.current).size;
    this.day = today;
    this.prune();
  }

  private rotate(day: string): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    if (!existsSync(this.files.current)) return;
    let n = 0;
    while (existsSync(this.files.archive(day, n))) n++;
    renameSync(this.files.current, this.files.archive(day, n));
  }

  /** Deletes archives past the retention, then the oldest ones past the total-size cap. */
  prune(): void {
    const dir = path.dirname(this.files.current);
    const retentionMs = (this.options.retentionDays ?? 7) * 86_400_000;
    const maxTotal = this.options.maxTotalBytes ?? this.options.maxFileBytes * 5;
    const nowMs = this.now().getTime();
    let archives: Array<{ file: string; mtime: number; size: number }> = [];
    for (const name of readdirSync(dir)) {
      if (!this.files.archivePattern.test(name)) continue;
      const file = path.join(dir, name);
      const st = statSync(file);
      archives.push({ file, mtime: st.mtimeMs, size: st.size });
    }
    archives.sort((a, b) => b.mtime - a.mtime);
    archives = archives.filter((a) => {
      if (nowMs - a.mtime <= retentionMs) return true;
      unlinkSync(a.file);
      return false;
    });
    let total = 0;
    for (const a of archives) {
      total += a.size;
      if (total > maxTotal) unlinkSync(a.file);
    }
  }

  /** Appends one line. A sink that fails (disk full, permissions) disables itself and reports once. */
  write(line: string, onError?: (error: unknown) => void): void {
    if (this.failed) return;
    try {
      if (this.fd === undefined) this.open();
      const today = localDay(this.now());
      const bytes = Buffer.byteLength(line) + 1;
      if (today !== this.day || (this.size > 0 && this.size + bytes > this.options.maxFileBytes)) {
        this.rotate(this.day);
        this.open();
      }
      writeSync(this.fd!, `${line}\n`);
      this.size += bytes;
    } catch (error) {
      this.failed = true;
      onError?.(error);
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The stable current log file for a configured `logging.file` (or the default dir). */
export function resolveCurrentLogFile(configured: string | undefined, defaultDir: string): string {
  return resolveLogFiles(configured ?? path.join(defaultDir, "openclaw.log")).current;
}
