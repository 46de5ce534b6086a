/**
 * Caps tool output before it goes back to the model (and into the transcript): at most
 * `maxBytes` UTF-8 bytes and `maxLines` lines, keeping the head, with a `[truncated …]` marker that
 * says how much was dropped so the model can ask for a narrower slice.
 */

/** Default cap for one tool result: 64 KiB. */
export const TOOL_OUTPUT_MAX_BYTES = 64 * 1024;
/** Default cap for one tool result: 2000 lines. */
export const TOOL_OUTPUT_MAX_LINES = 2000;

export interface OutputCap {
  maxBytes?: number;
  maxLines?: number;
}

/** The capped text and whether anything was dropped. */
export function capToolOutput(text: string, cap: OutputCap = {}): { text: string; truncated: boolean } {
  const maxBytes = cap.maxBytes ?? TOOL_OUTPUT_MAX_BYTES;
  const maxLines = cap.maxLines ?? TOOL_OUTPUT_MAX_LINES;
  let kept = text;
  let droppedLines = 0;
  const lines = kept.split("\n");
  if (lines.length > maxLines) {
    droppedLines = lines.length - maxLines;
    kept = lines.slice(0, maxLines).join("\n");
  }
  const totalBytes = Buffer.byteLength(text, "utf8");
  let keptBytes = Buffer.byteLength(kept, "utf8");
  if (keptBytes > maxBytes) {
    // Cut on a character boundary: decode the byte prefix and drop a trailing partial character.
    kept = Buffer.from(kept, "utf8").subarray(0, maxBytes).toString("utf8").replace(/\uFFFD$/, "");
    keptBytes = Buffer.byteLength(kept, "utf8");
  }
  if (kept.length === text.length) return { text, truncated: false };
  const omittedLines = droppedLines > 0 ? droppedLines : text.split("\n").length - kept.split("\n").length;
  const marker = `\n[truncated: ${totalBytes - keptBytes} more bytes, ${omittedLines} more lines; limit ${maxBytes} bytes / ${maxLines} lines]`;
  return { text: kept + marker, truncated: true };
}
