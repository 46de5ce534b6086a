/**
 * Compaction with a model: the older part of a session's transcript is summarised (through
 * failover, with the agent's own credentials, `agents.defaults.compaction.model` when set) and a
 * compaction record is appended; the entry's `compactionCount` goes up. Used by `sessions.compact`
 * and by the engine when a turn leaves the context near the model's window.
 */
import path from "node:path";
import type { OpenClawConfig } from "../../config/index.js";
import type { Env } from "../../infra/index.js";
import { updateSessionStore } from "../../storage/index.js";
import type { ResolvedAgent } from "../agents/resolve.js";
import { contextWindowOf } from "../providers/catalog.js";
import { streamWithFailover } from "../providers/failover.js";
import { parseModelRef } from "../providers/model-ref.js";
import { type CompactionResult, compactSession } from "../sessions/compaction.js";

/** The system prompt of the summarising call. */
export const COMPACTION_SYSTEM_PROMPT = [
  "You compact a conversation between a user and an AI assistant so the assistant can continue it.",
  "Write a concise summary of the conversation you are given: the user's goals and requests, decisions made,",
  "facts learned, files and commands involved (keep paths, ids and names exactly), tool results that matter,",
  "and what is still open. Write it as notes for the assistant, in the conversation's language. Output only the summary.",
].join(" ");

const SUMMARY_MAX_TOKENS = 4096;
/** Pi's default reserve below the window; OpenClaw's floor (`reserveTokensFloor`) is 20 000. */
const DEFAULT_RESERVE_TOKENS = 16_384;
const DEFAULT_RESERVE_FLOOR = 20_000;

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const posInt = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);

function compactionSettings(config: OpenClawConfig): Record<string, unknown> {
  return obj(obj(obj((config as Record<string, unknown>).agents).defaults).compaction);
}

/**
 * Whether a turn that used `contextTokens` of `model`'s window should compact: above the window
 * minus the reserve (`reserveTokens`, at least `reserveTokensFloor`); never with `enabled: false`.
 */
export function shouldAutoCompact(config: OpenClawConfig, model: string | undefined, contextTokens: number): boolean {
  const c = compactionSettings(config);
  if (c.enabled === false || !model || contextTokens <= 0) return false;
  const floor = typeof c.reserveTokensFloor === "number" && c.reserveTokensFloor >= 0 ? c.reserveTokensFloor : DEFAULT_RESERVE_FLOOR;
  const reserve = Math.max(posInt(c.reserveTokens) ?? DEFAULT_RESERVE_TOKENS, floor);
  const window = contextWindowOf(config as never, model);
  return contextTokens > window - reserve;
}

export interface CompactWithModelOptions {
  agent: Pick<ResolvedAgent, "id" | "agentDir">;
  config: OpenClawConfig;
  env: Env;
  storeFile: string;
  sessionKey: string;
  transcriptFile: string;
  keepRecentMessages?: number;
  lockTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Summarises and appends the compaction record; bumps `compactionCount` when it compacted. */
export async function compactWithModel(o: CompactWithModelOptions): Promise<CompactionResult & { compactionCount?: number }> {
  const settings = compactionSettings(o.config);
  const chain = typeof settings.model === "string" && settings.model ? [parseModelRef(settings.model, o.config as never)] : undefined;
  const summarize = async (text: string): Promise<string> => {
    let out = "";
    const stream = streamWithFailover({
      config: o.config as never,
      env: o.env,
      authStoreFile: path.join(o.agent.agentDir, "auth-profiles.json"),
      agentId: o.agent.id,
      ...(chain ? { chain } : {}),
      system: COMPACTION_SYSTEM_PROMPT,
      messages: [{ role: "user", content: `Summarise this conversation:\n\n${text}` }],
      maxTokens: SUMMARY_MAX_TOKENS,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    for await (const ev of stream) if (ev.type === "text") out += ev.text;
    return out;
  };
  const r = await compactSession({
    transcriptFile: o.transcriptFile,
    summarize,
    keepRecentTokens: posInt(settings.keepRecentTokens),
    ...(o.keepRecentMessages ? { keepRecentMessages: o.keepRecentMessages } : {}),
    ...(o.lockTimeoutMs ? { lockTimeoutMs: o.lockTimeoutMs } : {}),
  });
  if (!r.compacted) return r;
  const compactionCount = await updateSessionStore(o.storeFile, (entries) => {
    const current = entries[o.sessionKey];
    if (!current) return { result: undefined };
    const next = (posInt(current.compactionCount) ?? 0) + 1;
    return { entries: { ...entries, [o.sessionKey]: { ...current, compactionCount: next } }, result: next };
  });
  return { ...r, ...(compactionCount !== undefined ? { compactionCount } : {}) };
}
