/**
 * `sessions.compact`: summarises a session's older history with a model call (through failover,
 * the agent's own credentials) and appends the compaction record to its transcript; the entry's
 * `compactionCount` in `sessions.json` goes up by one. The transcript is never rewritten.
 */
import path from "node:path";
import { compactWithModel, transcriptPathOf } from "../../../agent/index.js";
import { AppError } from "../../../shared/index.js";
import { loadSessionStore } from "../../../storage/index.js";
import type { GatewayCore, MethodHandlers } from "../../subsystem.js";
import { agentIdFromSessionKey, agentOrThrow } from "./rpc.js";

/** How long `sessions.compact` waits for a running turn to release the transcript. */
const LOCK_WAIT_MS = 15_000;

/** The `sessions.compact` handler. */
export function compactMethods(core: () => GatewayCore): MethodHandlers {
  return {
    "sessions.compact": async (p, ctx) => {
      const agent = agentOrThrow(core(), p.agentId ?? agentIdFromSessionKey(p.key));
      const storeFile = core().paths.layout.sessionStoreFile(agent.id);
      const entry = loadSessionStore(storeFile).entries[p.key];
      if (!entry || typeof entry !== "object") throw new AppError("NOT_FOUND", `session "${p.key.slice(0, 200)}" is not in ${path.basename(storeFile)} of agent ${agent.id}`, { hint: "List sessions with `openclaw sessions`." });
      const transcriptFile = transcriptPathOf(storeFile, entry);
      if (!transcriptFile) return { ok: true, key: p.key, agentId: agent.id, compacted: false, reason: "no transcript" };
      const r = await compactWithModel({
        agent,
        config: ctx.config(),
        env: core().env,
        storeFile,
        sessionKey: p.key,
        transcriptFile,
        ...(p.maxLines ? { keepRecentMessages: p.maxLines } : {}),
        lockTimeoutMs: LOCK_WAIT_MS,
      });
      const compactionCount = r.compactionCount;
      if (r.compacted) ctx.log.info(`session ${p.key} compacted: ${r.summarizedMessages} message(s) summarised, ~${r.tokensBefore} → ~${r.tokensAfter} tokens`);
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
