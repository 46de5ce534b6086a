/**
 * What a finished turn reports to the gateway (metrics, health, logs). Figures only, no content
 * and no secrets.
 */

export type TurnStatus = "ok" | "error" | "aborted" | "timeout";

/** One provider attempt that failed (the failover that followed is counted separately). */
export interface ProviderErrorRecord {
  provider: string;
  model: string;
  /** The failure class (`auth`, `rate_limit`, `billing`, `overloaded`, `timeout`, `server`, …). */
  kind: string;
}

export interface TurnSummary {
  runId: string;
  agentId: string;
  sessionKey: string;
  status: TurnStatus;
  startedAt: number;
  endedAt: number;
  /** The model that answered (`provider/model`), when one did. */
  model?: string;
  provider?: string;
  inputTokens: number;
  outputTokens: number;
  /** Model calls made (one per tool round). */
  modelCalls: number;
  toolCalls: number;
  failovers: number;
  providerErrors: ProviderErrorRecord[];
  /** Request sent → first provider byte, summed over the turn's model calls, ms. */
  providerFirstByteMs: number;
  /** Request sent → last provider byte, summed over the turn's model calls, ms. */
  providerTotalMs: number;
  errorMessage?: string;
}
