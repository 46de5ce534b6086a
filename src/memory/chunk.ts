/**
 * Markdown-aware chunking: about `tokens` tokens per chunk (a token is estimated as 4 characters),
 * consecutive chunks overlapping by about `overlap` tokens of whole lines. A chunk prefers to end
 * before a heading or at a blank line, and to keep a fenced code block whole; a line longer than a
 * chunk is cut into pieces. Line numbers are 1-based and inclusive. Deterministic: the same text
 * and parameters always give the same chunks (a resumed index and a clean one agree).
 */
import { createHash } from "node:crypto";

export interface Chunk {
  startLine: number;
  endLine: number;
  text: string;
  /** sha256 of the text (hex): the embedding cache key. */
  hash: string;
}

const CHARS_PER_TOKEN = 4;

/** Estimated tokens of a text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const HEADING = /^#{1,6}\s/;
const FENCE = /^\s*(```|~~~)/;

interface Line {
  n: number;
  /** Position among the (split) lines. */
  i: number;
  text: string;
}

/** Splits a markdown text into overlapping chunks. */
export function chunkMarkdown(text: string, options: { tokens: number; overlap: number }): Chunk[] {
  const max = Math.max(64, options.tokens * CHARS_PER_TOKEN);
  const overlapChars = Math.max(0, Math.min(options.overlap * CHARS_PER_TOKEN, Math.floor(max / 2)));
  const lines: Line[] = [];
  let n = 0;
  for (const raw of text.split("\n")) {
    n++;
    const t = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (t.length <= max) lines.push({ n, i: lines.length, text: t });
    else for (let i = 0; i < t.length; i += max) lines.push({ n, i: lines.length, text: t.slice(i, i + max) });
  }
  const chunks: Chunk[] = [];
  let cur: Line[] = [];
  let size = 0;
  let inFence = false;
  let emittedTo = -1;
  const emit = () => {
    // Blank lines at either end belong to no chunk: the line range names text.
    let a = 0;
    let b = cur.length - 1;
    while (a <= b && cur[a]!.text.trim() === "") a++;
    while (b >= a && cur[b]!.text.trim() === "") b--;
    if (a > b) return;
    const body = cur
      .slice(a, b + 1)
      .map((l) => l.text)
      .join("\n");
    chunks.push({ startLine: cur[a]!.n, endLine: cur[b]!.n, text: body, hash: sha256(body) });
    emittedTo = cur[cur.length - 1]!.i;
  };
  const restart = (withOverlap: boolean) => {
    const prev = cur;
    cur = [];
    size = 0;
    if (!withOverlap || overlapChars === 0) return;
    for (let i = prev.length - 1; i > 0; i--) {
      const l = prev[i]!;
      if (size + l.text.length + 1 > overlapChars) break;
      cur.unshift(l);
      size += l.text.length + 1;
    }
  };
  for (const line of lines) {
    const len = line.text.length + 1;
    const fence = FENCE.test(line.text);
    // A heading starts a new chunk once the current one has some body (no overlap across sections).
    if (!inFence && HEADING.test(line.text) && size > max / 4 && cur.length) {
      emit();
      restart(false);
    } else if (size + len > max && cur.length) {
      emit();
      restart(true);
    }
    cur.push(line);
    size += len;
    if (fence) inFence = !inFence;
    // Near the end of a chunk, a blank line outside code is a good place to stop.
    if (!inFence && line.text.trim() === "" && size > max * 0.85) {
      emit();
      restart(true);
    }
  }
  // The last chunk may be pure overlap of the previous one: then it adds nothing.
  if (cur.length && cur[cur.length - 1]!.i > emittedTo) emit();
  return chunks;
}
