/** One streaming pass over a .tar.gz: every header, each file's size and sha256, and the small texts asked for. */
import { createHash } from "node:crypto";
import { closeSync, createReadStream, openSync, writeSync } from "node:fs";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { AppError } from "../../shared/index.js";
import { hasSqliteHeader, SQLITE_HEADER } from "../../storage/index.js";
import { type TarHeader, TarReader, type TarType } from "./tar.js";

/** Streams an archive's entries: `onEntry` returns a data sink (or undefined to skip the data). */
export async function readArchive(archive: string, onEntry: (h: TarHeader) => { data(chunk: Buffer): void; end(): void } | undefined): Promise<void> {
  let sink: ReturnType<typeof onEntry>;
  const reader = new TarReader({
    entry: (h) => {
      sink = onEntry(h);
    },
    data: (c) => sink?.data(c),
    entryEnd: () => {
      sink?.end();
      sink = undefined;
    },
  });
  await new Promise<void>((resolve, reject) => {
    const gunzip = createGunzip();
    const input = createReadStream(archive);
    input.on("error", reject);
    gunzip.on("error", (e) => reject(new AppError("CHECK_FAILED", `${archive} is not a readable .tar.gz: ${e.message}`)));
    gunzip.on("data", (c: Buffer) => {
      try {
        reader.push(c);
      } catch (e) {
        gunzip.destroy();
        input.destroy();
        reject(new AppError("CHECK_FAILED", `${archive}: ${(e as Error).message}`));
      }
    });
    gunzip.on("end", () => resolve());
    input.pipe(gunzip);
  });
}

/** One archive entry as read: its header facts and, for files, size and sha256 of the data. */
export interface ScannedEntry {
  path: string;
  type: TarType;
  flag: string;
  mode: number;
  size: number;
  linkname?: string;
  sha256?: string;
  /** A file that starts with SQLite's header. */
  sqlite?: boolean;
  /** Where its copy was written (`extractSqlite`). */
  extracted?: string;
}

/** Texts larger than this are not kept in memory (manifests and configs are far smaller). */
const TEXT_LIMIT = 8 << 20;

/**
 * Reads every entry; keeps the content of files `keep` selects (up to 8 MiB each) and notes which
 * files are SQLite databases (their first 16 bytes); with `extractSqlite`, copies each of those
 * into that directory for a deeper check.
 */
export async function scanArchive(
  archive: string,
  keep: (p: string, index: number) => boolean,
  o: { extractSqlite?: string } = {},
): Promise<{ entries: ScannedEntry[]; texts: Map<string, string>; error?: string }> {
  const entries: ScannedEntry[] = [];
  const texts = new Map<string, string>();
  try {
    await readArchive(archive, (h) => {
      const e: ScannedEntry = { path: h.path, type: h.type, flag: h.flag, mode: h.mode, size: 0, ...(h.type === "symlink" ? { linkname: h.linkname ?? "" } : {}) };
      const index = entries.length;
      entries.push(e);
      if (h.type !== "file") return undefined;
      const hash = createHash("sha256");
      const parts: Buffer[] | undefined = keep(h.path, index) && h.size <= TEXT_LIMIT ? [] : undefined;
      let head: Buffer | undefined = Buffer.alloc(0);
      let fd: number | undefined;
      const decide = () => {
        e.sqlite = hasSqliteHeader(head!);
        if (e.sqlite && o.extractSqlite) {
          e.extracted = path.join(o.extractSqlite, `${index}.sqlite`);
          fd = openSync(e.extracted, "wx", 0o600);
          writeSync(fd, head!);
        }
        head = undefined;
      };
      return {
        data: (c) => {
          hash.update(c);
          e.size += c.length;
          parts?.push(Buffer.from(c));
          if (head) {
            head = Buffer.concat([head, c]);
            if (head.length >= SQLITE_HEADER.length) decide();
          } else if (fd !== undefined) {
            let off = 0;
            while (off < c.length) off += writeSync(fd, c, off);
          }
        },
        end: () => {
          if (head) decide();
          if (fd !== undefined) closeSync(fd);
          e.sha256 = hash.digest("hex");
          if (parts && !texts.has(h.path)) texts.set(h.path, Buffer.concat(parts).toString("utf8"));
        },
      };
    });
  } catch (error) {
    return { entries, texts, error: error instanceof Error ? error.message : String(error) };
  }
  return { entries, texts };
}
