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

/** Keys a dotenv file may not set: they decide which state dir (and so which files) are read at all. */
const PATH_KEYS = new Set(["HOME", "USERPROFILE", "OPENCLAW_HOME", "OPENCLAW_PROFILE", "OPENCLAW_STATE_DIR", "OPENCLAW_CONFIG_PATH", "CLAWDBOT_STATE_DIR", "CLAWDBOT_CONFIG_PATH"]);

export interface EnvFill {
  /** The environment with the files' values added where a key was absent. */
  env: Record<string, string | undefined>;
  /** For every key a file filled: that file. */
  sources: Record<string, string>;
  /** Keys two files set to different values (values are never kept here); the first file won. */
  conflicts: Array<{ key: string; used: string; ignored: string }>;
}

/**
 * Spec §1.5: fills keys the environment does not have from dotenv files, earlier files first,
 * never overriding. A key present in the environment counts as set even when empty (as dotenv
 * does), so an exported empty variable is reported as empty everywhere, never filled behind the
 * user's back. Path keys (state dir, config path, profile, home) are never taken from a file.
 */
export function fillEnvFromFiles(env: Record<string, string | undefined>, files: readonly string[]): EnvFill {
  const out = { ...env };
  const sources: Record<string, string> = {};
  const seen = new Map<string, { file: string; value: string }>();
  const conflicts: EnvFill["conflicts"] = [];
  for (const file of files) {
    for (const [key, value] of Object.entries(loadDotEnvFile(file))) {
      if (PATH_KEYS.has(key) || env[key] !== undefined) continue;
      const first = seen.get(key);
      if (first) {
        if (first.value !== value) conflicts.push({ key, used: first.file, ignored: file });
        continue;
      }
      seen.set(key, { file, value });
      out[key] = value;
      sources[key] = file;
    }
  }
  return { env: out, sources, conflicts };
}
