/**
 * What the webhook ingress counts: accepted requests by action, refused ones by reason, and what
 * became of the agent turns they started (turn outcome, delivery). Shown in `status`, `health` and
 * `/metrics`; never a token, a payload or a message.
 */

/** Why a hook request was refused (each also logged once with the caller's address). */
export type HookRefusal =
  | "query-token"
  | "method"
  | "unauthorized"
  | "rate-limited"
  | "too-large"
  | "body-timeout"
  | "unsupported-media-type"
  | "invalid-json"
  | "invalid-payload"
  | "not-found"
  | "policy"
  | "dispatch-failed";

export class HookCounters {
  readonly accepted = { agent: 0, wake: 0 };
  readonly refused = new Map<HookRefusal, number>();
  readonly turns = { ok: 0, failed: 0 };
  readonly deliveries = { sent: 0, failed: 0, skipped: 0 };
  lastRefusal: { reason: HookRefusal; at: number } | undefined;

  refuse(reason: HookRefusal): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
    this.lastRefusal = { reason, at: Date.now() };
  }

  snapshot(): Record<string, unknown> {
    return {
      accepted: { ...this.accepted },
      refused: Object.fromEntries([...this.refused].sort(([a], [b]) => a.localeCompare(b))),
      turns: { ...this.turns },
      deliveries: { ...this.deliveries },
      ...(this.lastRefusal ? { lastRefusal: { ...this.lastRefusal } } : {}),
    };
  }

  prometheus(): string[] {
    const lines = ["# HELP openclaw_hooks_requests_total Webhook requests accepted, by action.", "# TYPE openclaw_hooks_requests_total counter"];
    for (const [action, n] of Object.entries(this.accepted)) lines.push(`openclaw_hooks_requests_total{action="${action}"} ${n}`);
    lines.push("# HELP openclaw_hooks_refused_total Webhook requests refused, by reason.", "# TYPE openclaw_hooks_refused_total counter");
    for (const [reason, n] of this.refused) lines.push(`openclaw_hooks_refused_total{reason="${reason}"} ${n}`);
    lines.push("# HELP openclaw_hooks_turns_total Agent turns started by webhooks, by outcome.", "# TYPE openclaw_hooks_turns_total counter");
    for (const [status, n] of Object.entries(this.turns)) lines.push(`openclaw_hooks_turns_total{status="${status}"} ${n}`);
    lines.push("# HELP openclaw_hooks_deliveries_total Hook turn replies delivered to a channel, by outcome.", "# TYPE openclaw_hooks_deliveries_total counter");
    for (const [outcome, n] of Object.entries(this.deliveries)) lines.push(`openclaw_hooks_deliveries_total{outcome="${outcome}"} ${n}`);
    return lines;
  }
}
