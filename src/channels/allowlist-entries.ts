/**
 * Allowlist entries as channels spell them: placeholder detection, prefix stripping (`tg:123`,
 * `telegram:123`) and matching. Shared by the access policy and the allowlist lint.
 */

/** Entries people leave from templates: `+46XXXXXXXXX`, `<phone>`, `your-id`, runs of X. */
export function isPlaceholder(entry: unknown): boolean {
  if (typeof entry !== "string") return false;
  const s = entry.trim();
  return /X{4,}/.test(s) || /^<.*>$/.test(s) || /your[_ -]?(number|phone|id|user|name)/i.test(s) || /^(phone|number|user-?id|sender-?id|todo|changeme)$/i.test(s);
}

/** Channels whose sender allowlists are phone numbers in E.164 (`+15551234567`). */
export const E164_CHANNELS: ReadonlySet<string> = new Set(["whatsapp", "signal", "sms"]);

/** `+` then 7 to 15 digits, the first not zero. */
export function isE164(entry: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(entry);
}

const PREFIXES: Record<string, string[]> = {
  telegram: ["telegram:", "tg:"],
  whatsapp: ["whatsapp:"],
  googlechat: ["googlechat:", "google-chat:", "gchat:"],
  signal: ["signal:"],
  webchat: ["webchat:"],
  discord: ["discord:", "user:"],
};

/** Resource prefixes that name the same sender with or without them (Google Chat: `users/123` is `123`, as OpenClaw matches). */
const ID_PREFIXES: Record<string, RegExp> = { googlechat: /^users\//i };

/** An entry (or sender id) in the form compared at runtime: trimmed, channel prefix stripped, lower-case. */
export function normalizeAllowEntry(channel: string, entry: string | number): string {
  let s = String(entry).trim();
  for (const p of PREFIXES[channel] ?? [`${channel}:`]) {
    if (s.toLowerCase().startsWith(p)) {
      s = s.slice(p.length);
      break;
    }
  }
  const idPrefix = ID_PREFIXES[channel];
  if (idPrefix) s = s.replace(idPrefix, "");
  // Discord ids are also written as mentions (`<@123>`, `<@!123>`).
  if (channel === "discord") s = s.replace(/^<@!?(\d+)>$/, "$1");
  return s.toLowerCase();
}

/** The list as strings (numbers allowed in config), empty and non-string entries dropped. */
export function allowEntries(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.filter((x): x is string | number => (typeof x === "string" && x.trim() !== "") || typeof x === "number").map(String);
}

/** Whether `senderId` is admitted by `list` (`"*"` admits everyone). */
export function allowListMatches(channel: string, list: readonly string[], senderId: string): boolean {
  const sender = normalizeAllowEntry(channel, senderId);
  return list.some((e) => e.trim() === "*" || normalizeAllowEntry(channel, e) === sender);
}
