/**
 * Allowlist lint (issue 14 item 3): config shapes that make a channel drop messages silently or open
 * it wider than meant. Pure; doctor and `security audit` turn the findings into their own.
 */
import { allowEntries, E164_CHANNELS, isE164, isPlaceholder, normalizeAllowEntry } from "./allowlist-entries.js";
import { resolveDmAllowFrom, resolveDmPolicy } from "./policy.js";
import { NON_CHANNEL_KEYS } from "./registry.js";

export type AllowlistFindingKind = "placeholder" | "not-e164" | "email-entry" | "empty-allowlist" | "open-without-wildcard";

/** One lint finding: where (config path), how bad, what, and the exact fix. */
export interface AllowlistFinding {
  kind: AllowlistFindingKind;
  /** Dotted config path of the offending key (`channels.telegram.allowFrom`). */
  path: string;
  severity: "warn" | "critical";
  message: string;
  fix: string;
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const EXAMPLE_ID: Record<string, string> = { whatsapp: "+15551234567", signal: "+15551234567", telegram: "123456789", googlechat: "users/123456789" };
const quoted = (xs: string[]) => xs.map((x) => JSON.stringify(x)).join(", ");

const UUID_ENTRY = /^uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Signal admits more than phone numbers: `uuid:<ACI>` senders (signal-cli knows some only by ACI)
 * and, in `groupAllowFrom`, group ids (`group:<id>` or the raw base64 id).
 */
function isSignalNonPhoneEntry(channel: string, key: string, entry: string): boolean {
  if (channel !== "signal") return false;
  const e = normalizeAllowEntry(channel, entry);
  if (UUID_ENTRY.test(e)) return true;
  return key === "groupAllowFrom" && (/^group:\S+$/.test(e) || /^[a-z0-9+/_-]{16,}={0,2}$/.test(e));
}

/** Every finding for `channels.*` (and each `accounts.<id>`) in a config input object. */
export function lintChannelAllowlists(config: Record<string, unknown>): AllowlistFinding[] {
  const out: AllowlistFinding[] = [];
  for (const [channel, raw] of Object.entries(obj(config.channels))) {
    const base = obj(raw);
    if (NON_CHANNEL_KEYS.has(channel) || base.enabled === false) continue;
    const entries: Array<{ at: string; own: Record<string, unknown>; settings: Record<string, unknown> }> = [{ at: `channels.${channel}`, own: base, settings: base }];
    for (const [acc, a] of Object.entries(obj(base.accounts))) {
      if (obj(a).enabled === false) continue;
      entries.push({ at: `channels.${channel}.accounts.${acc}`, own: obj(a), settings: { ...base, ...obj(a) } });
    }
    const example = EXAMPLE_ID[channel] ?? "<sender-id>";
    for (const { at, own, settings } of entries) {
      const isAccount = at.includes(".accounts.");
      for (const key of ["allowFrom", "groupAllowFrom"]) {
        // An account inheriting the channel's list is reported once, where the list is written.
        if (isAccount && own[key] === undefined) continue;
        const list = allowEntries(settings[key]);
        const bad = list.filter(isPlaceholder);
        if (bad.length) {
          out.push({ kind: "placeholder", path: `${at}.${key}`, severity: "warn", message: `${at}.${key} has placeholder entr${bad.length === 1 ? "y" : "ies"} ${quoted(bad)}: messages from the real sender are dropped`, fix: `replace ${quoted(bad)} with the real sender id(s): openclaw config set ${at}.${key} '["${example}"]'` });
        }
        if (channel === "googlechat") {
          // Google Chat senders arrive as users/<id>; an email (or users/<email>) never matches one.
          const emails = list.filter((e) => e.includes("@") && !isPlaceholder(e));
          if (emails.length) out.push({ kind: "email-entry", path: `${at}.${key}`, severity: "warn", message: `${at}.${key} has email entr${emails.length === 1 ? "y" : "ies"} ${quoted(emails)}: Google Chat identifies senders as users/<id>, so ${emails.length === 1 ? "it never matches" : "they never match"}`, fix: `use the sender's stable id (the users/<id> in the drop log or the pairing request): openclaw config set ${at}.${key} '["${example}"]'` });
        }
        if (E164_CHANNELS.has(channel)) {
          const malformed = list.filter((e) => e.trim() !== "*" && !isPlaceholder(e) && !e.includes("accessGroup:") && !isE164(normalizeAllowEntry(channel, e).replace(/[\s()-]/g, "")) && !isSignalNonPhoneEntry(channel, key, e));
          if (malformed.length) out.push({ kind: "not-e164", path: `${at}.${key}`, severity: "warn", message: `${at}.${key} has entr${malformed.length === 1 ? "y" : "ies"} ${quoted(malformed)} that ${malformed.length === 1 ? "is" : "are"} not E.164 phone numbers: they never match`, fix: `write numbers as +<country code><number>, e.g. openclaw config set ${at}.${key} '["${example}"]'` });
        }
      }
      // Policies are reported where they are written (an account inheriting the channel's is skipped).
      if (isAccount && own.dmPolicy === undefined && own.allowFrom === undefined && own.dm === undefined) continue;
      const policy = resolveDmPolicy(settings);
      const allow = resolveDmAllowFrom(settings);
      if (policy === "allowlist" && allow.length === 0) {
        out.push({ kind: "empty-allowlist", path: `${at}.allowFrom`, severity: "warn", message: `${at}.dmPolicy is "allowlist" but ${at}.allowFrom is empty: every DM is dropped (approved pairings still pass)`, fix: `openclaw config set ${at}.allowFrom '["${example}"]' (or openclaw config set ${at}.dmPolicy pairing)` });
      }
      if (policy === "open" && !allow.some((e) => e.trim() === "*")) {
        out.push({ kind: "open-without-wildcard", path: `${at}.dmPolicy`, severity: "warn", message: `${at}.dmPolicy is "open" but ${at}.allowFrom has no "*": only ${allow.length ? "the listed senders" : "nobody"} can DM (pairing approvals do not widen it)`, fix: `openclaw config set ${at}.dmPolicy ${allow.length ? "allowlist" : "pairing"} (or add "*" to ${at}.allowFrom to make DMs public on purpose)` });
      }
    }
  }
  return out;
}
