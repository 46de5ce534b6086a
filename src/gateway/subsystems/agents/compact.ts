/**
 * `sessions.compact`: summarises a session's older history with a model call (through failover,
 * the agent's own credentials) and appends the compaction record to its transcript; the entry's
 * `compactionCount` in `sessions.json` goes up by one. The transcript is never rewritten.
 */
import path from "node:path";
import { compactSession, parseModelRef, streamWithFailover } from "../../../agent/index.js";
import { AppError } from "../../../shared/index.js";
import { updateSessionStore } from "../../../storage/index.js";
import type { GatewayCore, MethodHandlers } from "../../subsystem.js";
import { agentIdFromSessionKey, agentOrThrow } from "./rpc.js";
import { loadStoreForEdit, transcriptPath } from "./session-edit.js";

/** The system prompt of the summarising call. */
export const COMPACTION_SYSTEM_PROMPT = [
  "You compact a conversation between a user and an AI assistant so the assistant can continue it.",
  "Write a concise summary of the conversation you are given: the user's goals and requests, decisions made,",
  "facts learned, files and commands involved (keep paths, ids and names exactly), tool results that matter,",
  "and what is still open. Write it as notes for the assistant, in the conversation's language. Output only the summary.",
].join(" ");

/** How long `sessions.compact` waits for a running turn to release the transcript. */
const LOCK_WAIT_MS = 15_000;
const SUMMARY_MAX_TOKENS = 4096;

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const posInt = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);

/** The `sessions.compact` handler. */
export function compactMethods(core: () => GatewayCore): MethodHandlers {
  return {
    "sessions.compact": async (p, ctx) => {
      const agent = agentOrThrow(core(), p.agentId ?? agentIdFromSessionKey(p.key));
      const storeFile = core().paths.layout.sessionStoreFile(agent.id);
      const entry = loadStoreForEdit(storeFile)[p.key];
      if (!entry || typeof entry !== "object") throw new AppError("NOT_FOUND", `session "${p.key.slice(0, 200)}" is not in ${path.basename(storeFile)} of agent ${agent.id}`, { hint: "List sessions with `openclaw sessions`." });
      const transcriptFile = transcriptPath(agent.sessionsDir, entry);
      if (!transcriptFile) return { ok: true, key: p.key, agentId: agent.id, compacted: false, reason: "no transcript" };
      const config = ctx.config() as unknown as Record<string, unknown>;
      const compaction = obj(obj(obj(config.agents).defaults).compaction);
      const chain = typeof compaction.model === "string" && compaction.model ? [parseModelRef(compaction.model, config)] : undefined;
      const summarize = async (text: string): Promise<string> => {
        let out = "";
        const stream = streamWithFailover({
          config,
          env: core().env,
          authStoreFile: path.join(agent.agentDir, "auth-profiles.json"),
          agentId: agent.id,
          chain,
          system: COMPACTION_SYSTEM_PROMPT,
          messages: [{ role: "user", content: `Summarise this conversation:\n\n${text}` }],
          maxTokens: SUMMARY_MAX_TOKENS,
        });
        for await (const ev of stream) if (ev.type === "text") out += ev.text;
        return out;
      };
      const r = await compactSession({
        transcriptFile,
        summarize,
        keepRecentTokens: posInt(compaction.keepRecentTokens),
        keepRecentMessages: p.maxLines,
        lockTimeoutMs: LOCK_WAIT_MS,
      });
      let compactionCount: number | undefined;
      if (r.compacted) {
        compactionCount = await updateSessionStore(storeFile, (entries) => {
          const current = entries[p.key];
          if (!current) return { result: undefined };
          const next = (posInt(current.compactionCount) ?? 0) + 1;
          return { entries: { ...entries, [p.key]: { ...current, compactionCount: next } }, result: next };
        });
        ctx.log.info(`session ${p.key} compacted: ${r.summarizedMessages} message(s) summarised, ~${r.tokensBefore} → ~${r.tokensAfter} tokens`);
      }
      return {
        ok: true,
        key: p.key,
        agentId: agent.id,
        compacted: r.compacted,
        ...(r.reason ? { reason: r.reason } : {}),
        tokensBefore: r.tokensBefore,
        tokensAfter: r.tokensAfter,
        summarizedMessages: r.summarizedMessages,
        ...(compactionCount !== undefined ? { compactionCount } : {}),
      };
    },
  };
}
