/**
 * The scheduler part of the method table (OpenClaw 2026.9's `cron.*` names, params and result
 * keys). Reads need `operator.read`; add/update/remove/run need `operator.admin`, as in OpenClaw.
 * Schedule, payload and delivery are unions there; here their objects are passed through and
 * checked field by field by the scheduler (one-line errors naming the field).
 */
import type { Scope } from "./scopes.js";
import { type Validator, v } from "./validate.js";

const spec = <P>(scope: Scope, description: string, params: Validator<P>, resultKeys: readonly string[]) => ({ scope, description, params, resultKeys });

const id = v.optional(v.string({ min: 1, max: 200 }));
const shape = v.object({}, { passthrough: true });
const common = {
  agentId: v.optional(v.any()),
  sessionKey: v.optional(v.any()),
  description: v.optional(v.string()),
  enabled: v.optional(v.boolean()),
  deleteAfterRun: v.optional(v.boolean()),
};

export const CRON_METHODS = {
  "cron.status": spec("operator.read", "Scheduler state: enabled, store path, job count, next wake.", v.object({}), ["enabled", "storePath", "jobs", "nextWakeAtMs"]),
  "cron.list": spec(
    "operator.read",
    "Jobs sorted by next run (disabled ones only with includeDisabled), paged.",
    v.object(
      {
        includeDisabled: v.optional(v.boolean()),
        limit: v.optional(v.int({ min: 1, max: 200 })),
        offset: v.optional(v.int({ min: 0 })),
        query: v.optional(v.string()),
        agentId: v.optional(v.string({ min: 1 })),
      },
      { passthrough: true },
    ),
    ["jobs", "total", "offset", "limit", "hasMore"],
  ),
  "cron.get": spec("operator.read", "One job by id (or legacy jobId).", v.object({ id, jobId: id }), ["id", "name", "schedule", "payload", "state"]),
  "cron.add": spec(
    "operator.admin",
    "Create a job: name, schedule (at|every|cron), sessionTarget, wakeMode, payload (systemEvent|agentTurn), delivery.",
    v.object(
      {
        name: v.string({ min: 1, max: 500 }),
        ...common,
        schedule: shape,
        sessionTarget: v.optional(v.string({ min: 1 })),
        wakeMode: v.optional(v.enum(["now", "next-heartbeat"])),
        payload: shape,
        delivery: v.optional(shape),
      },
      { passthrough: true },
    ),
    ["id", "name", "schedule", "payload", "state"],
  ),
  "cron.update": spec(
    "operator.admin",
    "Patch a job by id (null clears optional fields); a new schedule restarts its timing.",
    v.object({ id, jobId: id, patch: shape, expectedConfigRevision: v.optional(v.string()) }),
    ["id", "name", "schedule", "state"],
  ),
  "cron.remove": spec("operator.admin", "Remove a job and its run log.", v.object({ id, jobId: id }), ["ok", "removed"]),
  "cron.run": spec(
    "operator.admin",
    "Run a job now (mode force, default), only if due, or only if enabled; returns at once with the run id.",
    v.object({ id, jobId: id, mode: v.optional(v.enum(["due", "force", "if-enabled"])), expectedProcessInstanceId: v.optional(v.string()) }),
    ["ok", "ran"],
  ),
  "cron.runs": spec(
    "operator.read",
    "A job's run history, newest first.",
    v.object(
      { id, jobId: id, scope: v.optional(v.enum(["job", "all"])), limit: v.optional(v.int({ min: 1, max: 200 })), offset: v.optional(v.int({ min: 0 })) },
      { passthrough: true },
    ),
    ["entries", "total", "offset", "limit", "hasMore"],
  ),
};

/** Job added/updated/removed/started/finished (`{ jobId, action, … }`). */
export const CRON_EVENTS = ["cron"] as const;
