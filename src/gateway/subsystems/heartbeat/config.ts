/**
 * Heartbeat settings as the runner uses them (pure, no I/O): `agents.defaults.heartbeat` merged
 * under each agent's own `heartbeat` block (when any agent has one, only those agents run
 * heartbeats, as in OpenClaw), the active-hours window check in a time zone, and the reply
 * classification (a `HEARTBEAT_OK` at the start or end with at most `ackMaxChars` left is an ack).
 */
import { listAgents } from "../../../agent/index.js";
import type { OpenClawConfig } from "../../../config/index.js";

/** OpenClaw's legacy heartbeat prompt (the one that answers with the ack token). */
export const DEFAULT_HEARTBEAT_PROMPT =
  "Read HEARTBEAT.md if it exists (workspace context). Follow it strictly. Do not infer or repeat old tasks from prior chats. If nothing needs attention, reply HEARTBEAT_OK.";
export const HEARTBEAT_TOKEN = "HEARTBEAT_OK";
export const DEFAULT_EVERY = "30m";
/** What an ack may carry besides the token and still be dropped (OpenClaw's fixed budget). */
export const DEFAULT_ACK_MAX_CHARS = 300;
/** A heartbeat turn's timeout when neither heartbeat.timeoutSeconds nor agents.defaults.timeoutSeconds is set: the cadence, at most this. */
const MAX_DEFAULT_TIMEOUT_SECONDS = 600;

type Obj = Record<string, unknown>;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A heartbeat cadence as OpenClaw reads it: `30m`, `1h30m`, `45` (minutes: the default unit), a
 * number of minutes; undefined when it is not a duration (the cadence is then off).
 */
export function parseEvery(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.round(value * UNIT_MS.m!) : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim().toLowerCase();
  const single = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text);
  if (single) return Math.round(Number(single[1]) * UNIT_MS[single[2] ?? "m"]!);
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(total);
}
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export interface ActiveHours {
  start: string;
  end: string;
  timezone?: string;
}

/** One agent's resolved heartbeat. */
export interface HeartbeatSettings {
  agentId: string;
  isDefault: boolean;
  /** The recurring cadence runs (every > 0 and the agent is enrolled). */
  enabled: boolean;
  every: string;
  everyMs: number;
  /** `last` | `none` | a channel id. */
  target: string;
  to?: string;
  accountId?: string;
  prompt: string;
  ackMaxChars: number;
  activeHours?: ActiveHours;
  directPolicy: "allow" | "block";
  timeoutSeconds: number;
  model?: string;
}

/** Every configured agent's heartbeat, in the config's agent order. */
export function resolveHeartbeats(config: OpenClawConfig): HeartbeatSettings[] {
  const agents = listAgents(config);
  const defaults = isObj(config.agents?.defaults) ? (config.agents.defaults as Obj) : {};
  const base = isObj(defaults.heartbeat) ? defaults.heartbeat : {};
  const anyOwn = agents.some((a) => isObj(a.entry.heartbeat));
  const agentTimeout = typeof defaults.timeoutSeconds === "number" && defaults.timeoutSeconds > 0 ? defaults.timeoutSeconds : undefined;
  return agents.map((a) => {
    const own = isObj(a.entry.heartbeat) ? a.entry.heartbeat : undefined;
    const hb: Obj = { ...base, ...(own ?? {}) };
    const every = str(hb.every) ?? (typeof hb.every === "number" ? `${hb.every}m` : DEFAULT_EVERY);
    // An unparseable cadence is off, as in OpenClaw (the config schema names it first).
    const everyMs = parseEvery(hb.every ?? DEFAULT_EVERY) ?? 0;
    const enrolled = anyOwn ? own !== undefined : true;
    const active = isObj(hb.activeHours) && str(hb.activeHours.start) && str(hb.activeHours.end) ? hb.activeHours : undefined;
    const timeout = typeof hb.timeoutSeconds === "number" && hb.timeoutSeconds > 0 ? hb.timeoutSeconds : (agentTimeout ?? Math.max(1, Math.min(MAX_DEFAULT_TIMEOUT_SECONDS, Math.ceil(everyMs / 1000))));
    const ackMax = typeof hb.ackMaxChars === "number" && Number.isInteger(hb.ackMaxChars) && hb.ackMaxChars >= 0 ? hb.ackMaxChars : DEFAULT_ACK_MAX_CHARS;
    return {
      agentId: a.id,
      isDefault: a.isDefault,
      enabled: enrolled && everyMs > 0,
      every,
      everyMs,
      target: str(hb.target) ?? "last",
      ...(str(hb.to) ?? (typeof hb.to === "number" ? String(hb.to) : undefined) ? { to: str(hb.to) ?? String(hb.to) } : {}),
      ...(str(hb.accountId) ? { accountId: str(hb.accountId)! } : {}),
      prompt: str(hb.prompt) ?? DEFAULT_HEARTBEAT_PROMPT,
      ackMaxChars: ackMax,
      ...(active ? { activeHours: { start: str(active.start)!, end: str(active.end)!, ...(str(active.timezone) ? { timezone: str(active.timezone)! } : {}) } } : {}),
      directPolicy: hb.directPolicy === "block" ? "block" : "allow",
      timeoutSeconds: timeout,
      ...(str(hb.model) ? { model: str(hb.model)! } : {}),
    };
  });
}

/** `HH:MM` → minutes of the day (`24:00` only for an end); null when malformed. */
export function parseClock(value: string, allow24: boolean): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59) return null;
  if (h === 24 && min === 0 && allow24) return 24 * 60;
  if (h > 23) return null;
  return h * 60 + min;
}

function validZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** The zone a window is read in: an IANA id, `local` (the host), or `user`/unset (agents.defaults.userTimezone, else the host). */
export function resolveZone(config: OpenClawConfig, timezone: string | undefined): string {
  const host = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (timezone === "local") return host;
  const explicit = timezone && timezone !== "user" ? validZone(timezone) : undefined;
  if (explicit) return explicit;
  const defaults = isObj(config.agents?.defaults) ? (config.agents.defaults as Obj) : {};
  return validZone(str(defaults.userTimezone)) ?? host;
}

/** Minutes since midnight of `now` in `zone`. */
export function minutesInZone(now: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(now));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return (get("hour") % 24) * 60 + get("minute");
}

/** True inside the window (start inclusive, end exclusive, may wrap midnight); a malformed window never blocks; equal ends never match. */
export function withinActiveHours(config: OpenClawConfig, active: ActiveHours | undefined, now: number): boolean {
  if (!active) return true;
  const start = parseClock(active.start, false);
  const end = parseClock(active.end, true);
  if (start === null || end === null) return true;
  if (start === end) return false;
  const current = minutesInZone(now, resolveZone(config, active.timezone));
  return end > start ? current >= start && current < end : current >= start || current < end;
}

export type ReplyClass = { kind: "ok-empty" } | { kind: "ok-token" } | { kind: "alert"; text: string };

/**
 * A reply that is empty, or carries `HEARTBEAT_OK` at its start or end with at most `ackMaxChars`
 * of other text, is an acknowledgment (never delivered); anything else is an alert (the token
 * stripped from its ends).
 */
export function classifyReply(text: string, ackMaxChars: number): ReplyClass {
  const trimmed = text.trim();
  if (!trimmed) return { kind: "ok-empty" };
  let rest = trimmed;
  let hadToken = false;
  const strip = /^(?:\*\*|`)?HEARTBEAT_OK(?:\*\*|`)?[.!]?/;
  const stripEnd = /(?:\*\*|`)?HEARTBEAT_OK(?:\*\*|`)?[.!]?$/;
  if (strip.test(rest)) {
    rest = rest.replace(strip, "").trim();
    hadToken = true;
  }
  if (stripEnd.test(rest)) {
    rest = rest.replace(stripEnd, "").trim();
    hadToken = true;
  }
  if (hadToken && rest.length <= ackMaxChars) return { kind: "ok-token" };
  return { kind: "alert", text: hadToken ? rest : trimmed };
}

/** Blank lines, headings, comments, fences and empty checklist items only: nothing to act on. */
export function isEffectivelyEmpty(markdown: string): boolean {
  const body = markdown.replace(/<!--[\s\S]*?-->/g, "");
  return body.split("\n").every((line) => {
    const l = line.trim();
    return l === "" || /^#{1,6}(\s|$)/.test(l) || /^(```|~~~)/.test(l) || /^[-*+]\s*(\[[ xX]?\])?\s*$/.test(l);
  });
}
