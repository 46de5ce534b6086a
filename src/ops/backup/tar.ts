/**
 * A small POSIX tar (ustar + pax headers for long names) writer and reader: enough for backups of
 * regular files, directories and symlinks, streamed through gzip. Anything else read from an
 * archive (devices, fifos, hard links) is reported so callers can refuse it.
 */

export type TarType = "file" | "dir" | "symlink" | "other";

export interface TarHeader {
  path: string;
  type: TarType;
  size: number;
  mode: number;
  mtime: number;
  linkname?: string;
  /** The raw typeflag (for "other"). */
  flag: string;
}

const BLOCK = 512;

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, "0")}\0`;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function rawHeader(name: string, flag: string, size: number, mode: number, mtime: number, linkname = ""): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, "utf8");
  h.write(octal(mode & 0o7777, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii");
  h.write(octal(0, 8), 116, "ascii");
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(Math.floor(mtime), 12), 136, "ascii");
  h.write("        ", 148, "ascii");
  h.write(flag, 156, "ascii");
  h.write(linkname, 157, 100, "utf8");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return h;
}

/** The header block(s) for an entry: a pax header first when the name or link does not fit. */
export function encodeHeader(e: { path: string; type: Exclude<TarType, "other">; size: number; mode: number; mtime: number; linkname?: string }): Buffer {
  const flag = e.type === "file" ? "0" : e.type === "dir" ? "5" : "2";
  const name = e.type === "dir" && !e.path.endsWith("/") ? `${e.path}/` : e.path;
  const link = e.linkname ?? "";
  const long = Buffer.byteLength(name) > 99 || Buffer.byteLength(link) > 99 || !/^[\x20-\x7e]*$/.test(name + link);
  const parts: Buffer[] = [];
  if (long) {
    const pax = Buffer.from(paxRecord("path", name) + (link ? paxRecord("linkpath", link) : ""), "utf8");
    parts.push(rawHeader("PaxHeader", "x", pax.length, 0o644, e.mtime), pax, Buffer.alloc(padding(pax.length)));
  }
  parts.push(rawHeader(long ? name.slice(0, 99).replace(/[^\x20-\x7e]/g, "_") : name, flag, e.type === "file" ? e.size : 0, e.mode, e.mtime, long ? link.slice(0, 99) : link));
  return Buffer.concat(parts);
}

export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

function cstr(b: Buffer, start: number, len: number): string {
  const slice = b.subarray(start, start + len);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul < 0 ? len : nul).toString("utf8");
}

function parseOctal(b: Buffer, start: number, len: number): number {
  const s = cstr(b, start, len).trim();
  return s ? Number.parseInt(s, 8) : 0;
}

/**
 * Incremental reader: push decompressed bytes, get entries with their content. File contents are
 * handed out in chunks so large archives never sit in memory.
 */
export class TarReader {
  private buf: Buffer = Buffer.alloc(0);
  private pending: { header: TarHeader; left: number; pad: number } | undefined;
  private pax: Record<string, string> | undefined;
  private ended = false;

  constructor(
    private readonly handlers: {
      entry(h: TarHeader): void;
      data(chunk: Buffer): void;
      entryEnd(): void;
    },
  ) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.ended) return;
      if (this.pending) {
        const p = this.pending;
        if (p.left > 0) {
          if (this.buf.length === 0) return;
          const n = Math.min(p.left, this.buf.length);
          this.handlers.data(this.buf.subarray(0, n));
          this.buf = this.buf.subarray(n);
          p.left -= n;
          if (p.left > 0) return;
        }
        if (this.buf.length < p.pad) return;
        this.buf = this.buf.subarray(p.pad);
        this.pending = undefined;
        this.handlers.entryEnd();
        continue;
      }
      if (this.buf.length < BLOCK) return;
      const h = this.buf.subarray(0, BLOCK);
      if (h.every((b) => b === 0)) {
        this.ended = true;
        return;
      }
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
      if (sum !== parseOctal(h, 148, 8)) throw new Error("tar: bad header checksum (not a tar archive, or corrupted)");
      const flag = String.fromCharCode(h[156] || 48);
      const size = parseOctal(h, 124, 12);
      if (flag === "x" || flag === "g") {
        const total = BLOCK + size + padding(size);
        if (this.buf.length < total) return;
        const text = this.buf.subarray(BLOCK, BLOCK + size).toString("utf8");
        if (flag === "x") {
          this.pax = {};
          for (const m of text.matchAll(/\d+ ([^=]+)=([^\n]*)\n/g)) this.pax[m[1]!] = m[2]!;
        }
        this.buf = this.buf.subarray(total);
        continue;
      }
      const prefix = cstr(h, 345, 155);
      let path = this.pax?.path ?? (prefix ? `${prefix}/${cstr(h, 0, 100)}` : cstr(h, 0, 100));
      const linkname = this.pax?.linkpath ?? cstr(h, 157, 100);
      this.pax = undefined;
      const type: TarType = flag === "0" || flag === "\0" || flag === "7" ? "file" : flag === "5" ? "dir" : flag === "2" ? "symlink" : "other";
      if (type === "dir") path = path.replace(/\/+$/, "");
      const header: TarHeader = { path, type, size: type === "file" ? size : 0, mode: parseOctal(h, 100, 8), mtime: parseOctal(h, 136, 12), flag, ...(type === "symlink" ? { linkname } : {}) };
      this.buf = this.buf.subarray(BLOCK);
      this.handlers.entry(header);
      const dataSize = type === "file" || type === "other" ? size : 0;
      this.pending = { header, left: dataSize, pad: padding(dataSize) };
    }
  }

  get done(): boolean {
    return this.ended;
  }
}
