/** Telegram's message limit; splitting is the shared channel chunker's (paragraph → line → word → hard cut, code fences kept). */
import { chunkText } from "../chunk.js";

/** Telegram rejects `sendMessage` text longer than this. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Splits `text` into pieces of at most `limit` characters (the shared chunker at Telegram's limit). */
export function chunkTelegramText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  return chunkText(text, limit);
}
