/**
 * Allowlist lint (issue 14 item 3): config shapes that make a channel drop messages silently or open
 * it wider than meant. Pure; doctor and `security audit` turn the findings into their own.
 */
import { allowEntries, E164_CHANNELS, isE164, isPlaceholder, normalizeAllowEntry } from "./allowlist-entries.js";
import { resolveDmAllowFrom, resolveDmPolicy } from "./policy.js";
import { NON_CHANNEL_KEYS } from "./registry.js";

export type AllowlistFindingKind = "placeholder" | "not-e164" | "empty-allowlist" | "open-without-wildcard";

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
        if (E164_CHANNELS.has(channel)) {
          const malformed = list.filter((e) => e.trim() !== "*" && !isPlaceholder(e) && !e.includes("accessGroup:") && !isE164(normalizeAllowEntry(channel, e).replace(/[\s()-]/g, "")));
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
