/**
 * Outbound text chunking (issue 14 item 2): split a reply to a channel's limit on paragraph, then
 * line, then word boundaries, and never inside a fenced code block when a boundary outside one fits;
 * when a block must be split, the chunk closes the fence and the next chunk reopens it (same info
 * string), so every chunk renders on its own.
 */

/** Per-channel default `textChunkLimit` (OpenClaw documents 4000 for Telegram, Slack, WhatsApp; Discord 2000). */
export const DEFAULT_TEXT_CHUNK_LIMITS: Record<string, number> = { telegram: 4000, whatsapp: 4000, slack: 4000, discord: 2000, googlechat: 4000, signal: 4000, webchat: 100_000 };

const FENCE = /^\s{0,3}(`{3,}|~{3,})(.*)$/;

interface Candidate {
  /** Cut here: the chunk is `rest.slice(0, at)`. */
  at: number;
  /** Where the next chunk starts. */
  next: number;
  kind: "paragraph" | "line" | "fence-line";
  /** The fence opener line that is open after the cut (fence-line only). */
  opener?: string;
  marker?: string;
}

/** Split points among the lines of `rest` that fit `budget` (fence state carried in from the previous chunk). */
function candidates(rest: string, budget: number, open: { opener: string; marker: string } | undefined): Candidate[] {
  const out: Candidate[] = [];
  let fence = open;
  let start = 0;
  while (start < rest.length) {
    const nl = rest.indexOf("\n", start);
    const end = nl < 0 ? rest.length : nl;
    if (end > budget) break;
    const line = rest.slice(start, end);
    const m = FENCE.exec(line);
    let opened = false;
    if (m) {
      if (!fence) {
        fence = { opener: line.trim(), marker: m[1]! };
        opened = true;
      } else if (m[1]!.startsWith(fence.marker) && m[2]!.trim() === "") fence = undefined;
    }
    if (nl < 0) break;
    // Cutting right after an opener would leave an empty block: not a candidate.
    if (fence && opened) {
      start = nl + 1;
      continue;
    }
    if (fence) out.push({ at: end, next: nl + 1, kind: "fence-line", opener: fence.opener, marker: fence.marker });
    else out.push({ at: end, next: nl + 1, kind: line.trim() === "" ? "paragraph" : "line" });
    start = nl + 1;
  }
  return out;
}

/** The last word boundary at or before `budget`, else a hard cut that never splits a surrogate pair. */
function wordCut(rest: string, budget: number): { at: number; next: number } {
  const window = rest.slice(0, budget + 1);
  const ws = Math.max(window.lastIndexOf(" "), window.lastIndexOf("\t"));
  if (ws > budget / 3) return { at: ws, next: ws + 1 };
  let at = budget;
  const code = rest.charCodeAt(at - 1);
  if (code >= 0xd800 && code <= 0xdbff) at -= 1;
  return { at, next: at };
}

/**
 * Splits `text` into chunks of at most `limit` characters (UTF-16 code units, what the Bot API counts).
 * Empty or whitespace-only text gives no chunks.
 */
export function chunkText(text: string, limit: number): string[] {
  if (!Number.isFinite(limit) || limit < 20) throw new RangeError(`chunk limit must be at least 20 characters (got ${limit})`);
  const chunks: string[] = [];
  let rest = text.replace(/\r\n/g, "\n").replace(/^\n+/, "").trimEnd();
  let open: { opener: string; marker: string } | undefined;
  while (rest.length > 0) {
    const prefix = open ? `${open.opener}\n` : "";
    if (prefix.length + rest.length <= limit) {
      chunks.push(prefix + rest);
      break;
    }
    const budget = limit - prefix.length;
    const all = candidates(rest, budget, open);
    const min = budget * 0.3;
    const outside = all.filter((c) => c.kind !== "fence-line");
    const inside = all.filter((c) => c.kind === "fence-line" && c.at + 1 + c.marker!.length <= budget);
    const pick =
      [...outside].reverse().find((c) => c.kind === "paragraph" && c.at >= min) ??
      [...outside].reverse().find((c) => c.at >= min) ??
      [...inside].reverse().find((c) => c.at >= min) ??
      outside.filter((c) => c.at > 0).at(-1) ??
      inside.filter((c) => c.at > 0).at(-1);
    if (pick) {
      const body = rest.slice(0, pick.at);
      if (pick.kind === "fence-line") {
        chunks.push(`${prefix}${body}\n${pick.marker}`);
        open = { opener: pick.opener!, marker: pick.marker! };
        rest = rest.slice(pick.next);
      } else {
        const piece = (prefix + body).trimEnd();
        if (piece.trim()) chunks.push(piece);
        open = undefined;
        rest = rest.slice(pick.next).replace(/^\n+/, "");
      }
      continue;
    }
    // One line longer than the budget: cut at a word (or hard), keeping the fence state.
    const fenceState = candidatesFenceAtStart(rest, open);
    const reserve = fenceState ? fenceState.marker.length + 1 : 0;
    const cut = wordCut(rest, budget - reserve);
    chunks.push(fenceState ? `${prefix}${rest.slice(0, cut.at)}\n${fenceState.marker}` : `${prefix}${rest.slice(0, cut.at)}`);
    open = fenceState;
    rest = rest.slice(cut.next);
  }
  return chunks;
}

/** The fence state during the first line of `rest` (an opener on that line counts as open). */
function candidatesFenceAtStart(rest: string, open: { opener: string; marker: string } | undefined): { opener: string; marker: string } | undefined {
  if (open) return open;
  const nl = rest.indexOf("\n");
  const first = nl < 0 ? rest : rest.slice(0, nl);
  const m = FENCE.exec(first);
  return m ? { opener: first.trim(), marker: m[1]! } : undefined;
}
