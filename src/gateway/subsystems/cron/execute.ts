/**
 * Running a job's payload through the gateway's other subsystems (ports, never their internals):
 * `systemEvent` → presence's queue (source `cron:<jobId>`); `agentTurn` → the agent runtime in the
 * agent's main session or the isolated `cron:<jobId>` session, then `announce` delivery of the reply
 * through the channels' one send path. Every outcome is returned for the run log; nothing is dropped
 * silently (a delivery that cannot happen is an error, or a logged `not-delivered` with bestEffort).
 */
import type { RunHandle, RunRequest } from "../../../agent/index.js";
import type { CronExecution, CronJob } from "../../../cron/index.js";
import type { SystemEventInput } from "../presence/index.js";

export interface CronPorts {
  /** Presence's system-event queue. */
  enqueue(input: SystemEventInput): unknown;
  /** The agent runtime's run queue. */
  runs(): { start(req: RunRequest): RunHandle };
  /** The channels' send path (`send` RPC). */
  send(req: { channel?: string | undefined; accountId?: string | undefined; to: string; text: string }): Promise<unknown>;
}

const SUMMARY_MAX = 2000;

/** The session a job's agent turn runs in (OpenClaw's keys: main, or `cron:<jobId>` for isolated). */
export function cronSessionKey(job: CronJob): string | undefined {
  const target = job.sessionTarget;
  if (target === "isolated") return `cron:${job.id}`;
  if (target.startsWith("session:")) return target.slice("session:".length);
  if (target === "current" && job.sessionKey) return job.sessionKey;
  return undefined; // main: the agent's main session
}

export async function executeCronJob(job: CronJob, ports: CronPorts, runId: string): Promise<CronExecution> {
  const payload = job.payload;
  if (payload.kind === "systemEvent") {
    ports.enqueue({ text: payload.text, source: `cron:${job.id}`, ...(job.agentId ? { agentId: job.agentId } : {}) });
    return { status: "ok", summary: payload.text.slice(0, SUMMARY_MAX), deliveryStatus: "not-requested" };
  }
  if (payload.kind !== "agentTurn") return { status: "skipped", error: `payload kind "${(payload as { kind: string }).kind}" is not supported by this gateway` };
  const sessionKey = cronSessionKey(job);
  const handle = ports.runs().start({
    message: payload.message,
    ...(job.agentId ? { agentId: job.agentId } : {}),
    ...(sessionKey ? { sessionKey } : {}),
    ...(typeof payload.model === "string" && payload.model ? { model: payload.model } : {}),
    ...(typeof payload.thinking === "string" && payload.thinking ? { thinking: payload.thinking } : {}),
    ...(typeof payload.timeoutSeconds === "number" ? { timeoutSeconds: payload.timeoutSeconds } : {}),
    idempotencyKey: `cron:${job.id}:${runId}`,
  });
  const result = await handle.done;
  const base = { sessionKey: result.sessionKey, sessionId: result.sessionId };
  if (result.status !== "ok") return { ...base, status: "error", error: result.errorMessage ?? `the agent turn ended with ${result.status}` };
  const text = result.text.trim();
  const summary = text.slice(0, SUMMARY_MAX);
  const delivery = job.delivery;
  if (!delivery || delivery.mode === "none") return { ...base, status: "ok", summary, deliveryStatus: "not-requested" };
  const fail = (error: string): CronExecution =>
    delivery.bestEffort ? { ...base, status: "ok", summary, delivered: false, deliveryStatus: "not-delivered", deliveryError: error } : { ...base, status: "error", summary, error, delivered: false, deliveryStatus: "not-delivered", deliveryError: error };
  if (delivery.mode !== "announce") return fail(`delivery mode "${delivery.mode}" is not supported by this gateway (use announce or none)`);
  if (!delivery.to) return fail("delivery.to is required for announce (pass --to <chat id>)");
  if (!text) return { ...base, status: "ok", summary, delivered: false, deliveryStatus: "not-delivered", deliveryError: "the agent's reply was empty" };
  try {
    await ports.send({ channel: delivery.channel, accountId: delivery.accountId, to: delivery.to, text });
    return { ...base, status: "ok", summary, delivered: true, deliveryStatus: "delivered" };
  } catch (error) {
    return fail(`delivery to ${delivery.channel ?? "the default channel"}:${delivery.to} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
