/**
 * The heartbeat part of the method table (spec §4.9, OpenClaw's names and params): `system-event`
 * (queue a system event for the next heartbeat turn; `wake: true` runs one now), `wake` (the same
 * with a mode, what `openclaw system event` calls), `last-heartbeat` and `set-heartbeats`; and the
 * `heartbeat` event broadcast per heartbeat.
 */
import type { Scope } from "./scopes.js";
import { type Validator, v } from "./validate.js";

const spec = <P>(scope: Scope, description: string, params: Validator<P>, resultKeys: readonly string[] = []) => ({ scope, description, params, resultKeys });
const key = v.optional(v.string({ min: 1, max: 512 }));

export const HEARTBEAT_METHODS = {
  "system-event": spec(
    "operator.write",
    "Queue a system event for the main session (or sessionKey); it is shown to the agent in its next heartbeat turn. `wake: true` runs that heartbeat now.",
    v.object({ text: v.string({ min: 1, max: 10_000 }), wake: v.optional(v.boolean()), sessionKey: key, agentId: key }, { passthrough: true }),
    ["ok"],
  ),
  wake: spec(
    "operator.write",
    "Queue a system event and run a heartbeat now (mode now) or leave it for the next tick (next-heartbeat; with sessionKey it runs now).",
    v.object({ mode: v.enum(["now", "next-heartbeat"]), text: v.string({ min: 1, max: 10_000 }), sessionKey: key, agentId: key }, { passthrough: true }),
    ["ok"],
  ),
  "last-heartbeat": spec("operator.read", "The last heartbeat event: ts, status (sent|ok-token|ok-empty|skipped|failed), reason, preview, durationMs, channel (null when none).", v.object({}, { passthrough: true })),
  "set-heartbeats": spec("operator.admin", "Pause or resume heartbeats on this gateway (not persisted; a restart resumes them).", v.object({ enabled: v.boolean() }, { passthrough: true }), ["ok", "enabled"]),
};

export const HEARTBEAT_EVENTS = ["heartbeat"] as const;
