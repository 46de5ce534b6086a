/**
 * The method table: every RPC the gateway serves, with its params validator, the keys its result
 * must carry and the scope it needs. The server's dispatcher and the client's typed `call()` both
 * derive from this one table; no method name appears as a loose string elsewhere.
 */

import { AGENT_METHODS } from "./methods-agents.js";
import { CHANNEL_METHODS } from "./methods-channels.js";
import { CRON_EVENTS, CRON_METHODS } from "./methods-cron.js";
import { HEARTBEAT_EVENTS, HEARTBEAT_METHODS } from "./methods-heartbeat.js";
import { MEMORY_METHODS } from "./methods-memory.js";
import { TURN_EVENTS, TURN_METHODS } from "./methods-turns.js";
import type { Scope } from "./scopes.js";
import { type Validator, v } from "./validate.js";

export interface MethodSpec<P = unknown> {
  scope: Scope;
  description: string;
  params: Validator<P>;
  /** Keys a result must have (clients check them; OpenClaw's CLI reads these). */
  resultKeys: readonly string[];
}

function method<P>(scope: Scope, description: string, params: Validator<P>, resultKeys: readonly string[] = []): MethodSpec<P> {
  return { scope, description, params, resultKeys };
}

const configWrite = v.object({
  raw: v.string(),
  baseHash: v.optional(v.string()),
  sessionKey: v.optional(v.string()),
  note: v.optional(v.string()),
  continuePrompt: v.optional(v.string()),
  restartDelayMs: v.optional(v.int({ min: 0, max: 600_000 })),
});

export const METHODS = {
  health: method("operator.read", "Health snapshot: channels, agents, sessions, config reload state.", v.object({ probe: v.optional(v.boolean()) }), [
    "ok",
    "ts",
    "durationMs",
    "channels",
    "channelOrder",
    "channelLabels",
    "heartbeatSeconds",
    "defaultAgentId",
    "agents",
    "sessions",
  ]),
  status: method(
    "operator.read",
    "Runtime summary: version, pid, sessions, channels, memory.",
    v.object({ includeChannelSummary: v.optional(v.boolean()), includeCliProjection: v.optional(v.boolean()) }, { passthrough: true }),
    ["runtimeVersion", "heartbeat", "channelSummary", "queuedSystemEvents", "sessions", "tasks", "pid"],
  ),
  "logs.tail": method(
    "operator.read",
    "Lines from the gateway's file log; pass back cursor for new lines.",
    v.object({ cursor: v.optional(v.int({ min: 0 })), limit: v.optional(v.int({ min: 1, max: 5000 })), maxBytes: v.optional(v.int({ min: 1, max: 1_000_000 })) }),
    ["file", "cursor", "size", "lines"],
  ),
  "config.get": method("operator.admin", "The config file snapshot (secrets redacted) and its hash.", v.object({}, { passthrough: true }), ["path", "exists", "hash", "valid", "config"]),
  "config.set": method("operator.admin", "Validate and replace the whole config file (no restart).", configWrite, ["ok", "path", "hash"]),
  "config.apply": method("operator.admin", "Validate, replace the config file and restart the gateway.", configWrite, ["ok", "path", "hash"]),
  "config.patch": method("operator.admin", "JSON merge patch on the config file (null deletes), comments kept.", configWrite, ["ok", "path", "hash"]),
  "config.schema": method("operator.admin", "The config JSON Schema.", v.object({}, { passthrough: true }), ["schema", "version"]),
  "system-presence": method("operator.read", "Connected clients and this gateway.", v.object({}, { passthrough: true })),
  "diagnostics.stability": method(
    "operator.read",
    "Recent diagnostic events (lifecycle, reloads, warnings and errors), newest last.",
    v.object({ limit: v.optional(v.int({ min: 1, max: 1000 })), type: v.optional(v.string({ min: 1, max: 200 })) }, { passthrough: true }),
    ["generatedAt", "capacity", "count", "dropped", "firstSeq", "lastSeq", "events", "summary"],
  ),
  "models.list": method("operator.read", "Configured models.", v.object({ view: v.optional(v.enum(["default", "configured", "all"])) }), ["models"]),
  "sessions.list": method(
    "operator.read",
    "Sessions from the agents' session stores.",
    v.object({ limit: v.optional(v.int({ min: 1, max: 10_000 })), agentId: v.optional(v.string()), activeMinutes: v.optional(v.int({ min: 1 })) }, { passthrough: true }),
    ["sessions", "count"],
  ),
  ...AGENT_METHODS,
  ...TURN_METHODS,
  ...CHANNEL_METHODS,
  ...MEMORY_METHODS,
  ...HEARTBEAT_METHODS,
  ...CRON_METHODS,
  // biome-ignore lint/suspicious/noExplicitAny: each entry keeps its own params type.
} as const satisfies Record<string, MethodSpec<any>>;

export type MethodName = keyof typeof METHODS;
export type MethodParams<M extends MethodName> = ReturnType<(typeof METHODS)[M]["params"]>;

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}

/** Events the gateway emits. */
export const EVENTS = ["connect.challenge", "tick", "shutdown", "health", "presence", "system-event", ...TURN_EVENTS, ...HEARTBEAT_EVENTS, ...CRON_EVENTS] as const;
export type EventName = (typeof EVENTS)[number];
