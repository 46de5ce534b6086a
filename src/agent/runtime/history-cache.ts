/**
 * Parsed transcripts of recently active sessions, so a turn does not re-read and re-parse a long
 * transcript from disk: an entry is used only while the file (inode and size) is exactly what this process
 * last wrote (any other writer changes it, and the transcript is then read again). Bounded by
 * total bytes, least recently used first out.
 */
import { statSync } from "node:fs";
import type { TranscriptRecord } from "../../storage/index.js";

interface Entry {
  size: number;
  ino: number;
  records: TranscriptRecord[];
}

export class HistoryCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes = 24 * 1024 * 1024) {}

  /** The records of `file` if the cache still matches the file on disk (takes them out: the caller puts them back). */
  take(file: string): TranscriptRecord[] | undefined {
    const e = this.entries.get(file);
    if (!e) return undefined;
    this.entries.delete(file);
    this.bytes -= e.size;
    try {
      const st = statSync(file);
      return st.size === e.size && st.ino === e.ino ? e.records : undefined;
    } catch {
      return undefined;
    }
  }

  /** Keeps `records` as the content of `file` (as it is on disk now). */
  put(file: string, records: TranscriptRecord[]): void {
    let size: number;
    let ino: number;
    try {
      ({ size, ino } = statSync(file));
    } catch {
      return;
    }
    if (size > this.maxBytes / 4) return;
    this.entries.set(file, { size, ino, records });
    this.bytes += size;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.size;
    }
  }
}
