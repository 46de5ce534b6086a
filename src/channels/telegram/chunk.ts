/** Telegram's message limit and a simple splitter (paragraph → line → word → hard cut). */

/** Telegram rejects `sendMessage` text longer than this. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Splits `text` into pieces of at most `limit` characters, preferring line then word boundaries. */
export function chunkTelegramText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = window.lastIndexOf("\n\n", limit);
    if (cut < limit / 2) cut = window.lastIndexOf("\n", limit);
    if (cut < limit / 2) cut = window.lastIndexOf(" ", limit);
    if (cut <= 0) cut = limit;
    // Do not split a surrogate pair.
    const code = rest.charCodeAt(cut - 1);
    if (cut === limit && code >= 0xd800 && code <= 0xdbff) cut--;
    const piece = rest.slice(0, cut).replace(/\s+$/, "");
    if (piece) chunks.push(piece);
    rest = rest.slice(cut).replace(/^\s+/, "");
  }
  if (rest.trim()) chunks.push(rest);
  return chunks;
}
