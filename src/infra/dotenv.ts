/** `.env` files (spec §1.5): they only fill variables the process environment does not have. */
import { readSmallRegularFile } from "./fs-safe.js";

/** Parses dotenv text: `KEY=value`, `export KEY=value`, quotes, `#` comments. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const q = value[0];
    if ((q === '"' || q === "'") && value.lastIndexOf(q) > 0) {
      value = value.slice(1, value.lastIndexOf(q));
      if (q === '"') value = value.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    } else {
      value = value.replace(/\s+#.*$/, "");
    }
    out[m[1]!] = value;
  }
  return out;
}

/** Reads a dotenv file; a missing file, or one that is not a small regular file (a FIFO, a device), is an empty set. */
export function loadDotEnvFile(file: string): Record<string, string> {
  const text = readSmallRegularFile(file);
  return text === null ? {} : parseDotEnv(text);
}
