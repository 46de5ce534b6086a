/**
 * The runs of the agent runtime: where a request's session is, one run at a time per session
 * (a lane: later runs queue behind it), runs in parallel across sessions, idempotency keys
 * (a repeated request joins the run it already started), timeouts and aborts, waiting on a run,
 * and the sessions view the `sessions_*` tools use. The gateway owns the wire: it turns the
 * `RunEvent`s emitted here into `agent` and `chat` events.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { OpenClawConfig } from "../../config/index.js";
import type { Env, StateLayout } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import { readSessionStore } from "../../storage/index.js";
import { findAgent, listAgents, normalizeAgentId, type ResolvedAgent } from "../agents/resolve.js";
import { DEFAULT_MODEL_REF, parseModelRef, resolveModelChain } from "../providers/model-ref.js";
import { agentIdOfSessionKey, mainSessionKey, resolveSessionKey } from "../sessions/keys.js";
import { previewSession } from "../sessions/store-ops.js";
import type { AgentTool, ApprovalDecision, ApprovalRequest, MemoryPort, SandboxPort, SessionSummary, SessionsPort } from "../tools/types.js";
import { compactWithModel, shouldAutoCompact } from "./compact.js";
import { HistoryCache } from "./history-cache.js";
import { type MessageOrigin, runTurn, type TurnEvent, type TurnResult } from "./turn.js";
import type { TurnStatus, TurnSummary } from "./types.js";

/** `agents.defaults.timeoutSeconds` when unset (OpenClaw's default). */
export const DEFAULT_TURN_TIMEOUT_SECONDS = 600;
/** Finished runs kept for `agent.wait` and idempotent retries. */
const FINISHED_KEEP_MS = 10 * 60_000;
const FINISHED_KEEP_MAX = 2000;

export interface RunRequest {
  message: string;
  agentId?: string;
  sessionKey?: string;
  sessionId?: string;
  /** A peer (E.164 number or channel id) the session is derived from. */
  to?: string;
  channel?: string;
  /** The channel message this run answers (stamped on the session). */
  origin?: MessageOrigin;
  model?: string;
  /** Thinking level for this run (`off|minimal|low|medium|high|xhigh|adaptive|max`). */
  thinking?: string;
  /** Seconds; 0 means no timeout. */
  timeoutSeconds?: number;
  extraSystemPrompt?: string;
  idempotencyKey?: string;
}

/** What a run emits: the turn's events, then exactly one `end`. */
export type RunEvent = { runId: string; agentId: string; sessionKey: string; seq: number; ts: number } & (TurnEvent | { kind: "end"; result: TurnResult });

export interface RunHandle {
  runId: string;
  agentId: string;
  sessionKey: string;
  acceptedAt: number;
  /** True when an earlier request with the same idempotency key started this run. */
  deduped: boolean;
  done: Promise<TurnResult>;
  /** Resolves when the reply is complete (before the session's counters are written): what a channel sends. */
  reply: Promise<TurnResult>;
}

export interface RunWaitResult {
  runId: string;
  status: TurnStatus | "running" | "timeout";
  startedAt?: number;
  endedAt?: number;
  error?: string;
}

export interface AgentRunsDeps {
  config(): OpenClawConfig;
  layout: StateLayout;
  env: Env;
  /** The tools offered to one turn (policy applied for the agent and its primary model's provider). */
  tools(o: { agentId: string; config: OpenClawConfig; provider: string; model: string }): AgentTool[];
  /** Asks an operator; the signal is the run's (an aborted run withdraws its request). */
  requestApproval(request: ApprovalRequest & { signal?: AbortSignal }): Promise<ApprovalDecision>;
  emit(event: RunEvent): void;
  /** The agents' memory for the `memory_*` tools (the gateway's memory subsystem); absent: no memory. */
  memory?: MemoryPort;
  /** The Docker sandbox for sandboxed sessions' exec; absent: their exec is refused. */
  sandbox?: SandboxPort;
  /** Every finished turn (metrics). */
  onFinished?(summary: TurnSummary): void;
  warn?(message: string): void;
  info?(message: string): void;
}

interface RunState {
  handle: RunHandle;
  controller: AbortController;
  startedAt?: number;
  endedAt?: number;
  result?: TurnResult;
  seq: number;
}

/** The provider and model a run starts with (the request's model, else the agent's primary). */
function primaryModel(config: OpenClawConfig, agentId: string, requested: string | undefined): { provider: string; model: string } {
  try {
    const ref = requested ? parseModelRef(requested, config as never) : resolveModelChain(config as never, agentId)[0];
    if (ref) return { provider: ref.provider, model: ref.model };
  } catch {
    // An unparseable ref fails the turn itself with a clear error; tools use the builtin default.
  }
  const [provider = "anthropic", ...rest] = DEFAULT_MODEL_REF.split("/");
  return { provider, model: rest.join("/") };
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export class AgentRuns {
  private readonly runs = new Map<string, RunState>();
  private readonly byIdempotency = new Map<string, string>();
  private readonly lanes = new Map<string, Promise<unknown>>();
  private stopping = false;
  private readonly historyCache = new HistoryCache();

  constructor(private readonly deps: AgentRunsDeps) {}

  /** The agent and session key a request goes to; USAGE errors name the fix. */
  resolveTarget(req: Pick<RunRequest, "agentId" | "sessionKey" | "sessionId" | "to" | "channel">): { agent: ResolvedAgent; sessionKey: string } {
    const config = this.deps.config();
    const explicit = str(req.sessionKey);
    const fromKey = explicit ? agentIdOfSessionKey(explicit) : undefined;
    const wanted = req.agentId ? normalizeAgentId(req.agentId) : fromKey ? normalizeAgentId(fromKey) : undefined;
    if (req.agentId && fromKey && normalizeAgentId(fromKey) !== wanted) {
      throw new AppError("USAGE", `session key ${explicit} belongs to agent "${fromKey}", not "${req.agentId}"`, { hint: "Drop --agent, or use a key of the form agent:<agent-id>:<key>." });
    }
    const agentId = wanted ?? listAgents(config).find((a) => a.isDefault)!.id;
    const agent = findAgent({ config, layout: this.deps.layout, env: this.deps.env }, agentId);
    if (!agent) throw new AppError("USAGE", `unknown agent id "${agentId}"`, { hint: "Run openclaw agents list to see configured agents." });
    const session = (config.session ?? {}) as Record<string, unknown>;
    let sessionKey: string;
    if (explicit) sessionKey = explicit.startsWith("agent:") || ((explicit === "global" || explicit === "unknown") && !req.agentId) ? explicit : `agent:${agent.id}:${explicit}`;
    else if (str(req.sessionId)) {
      const found = readSessionStore(this.storeFile(agent)).find((e) => e.sessionId === req.sessionId);
      sessionKey = found?.key ?? `agent:${agent.id}:explicit:${req.sessionId}`;
    } else if (str(req.to)) {
      sessionKey = resolveSessionKey({ agentId: agent.id, chatType: "direct", peerId: req.to!, ...(req.channel ? { channel: req.channel } : {}) }, { dmScope: session.dmScope as never, mainKey: str(session.mainKey) });
    } else sessionKey = mainSessionKey(agent.id, str(session.mainKey));
    return { agent, sessionKey };
  }

  storeFile(agent: Pick<ResolvedAgent, "sessionsDir">): string {
    return path.join(agent.sessionsDir, "sessions.json");
  }

  /** Starts (or, for a known idempotency key, joins) a run; it queues behind the session's current run. */
  start(req: RunRequest): RunHandle {
    if (this.stopping) throw new AppError("UNAVAILABLE", "the gateway is shutting down; the run was not started", { hint: "Retry once the gateway is back." });
    this.sweep();
    const idem = req.idempotencyKey ? this.byIdempotency.get(req.idempotencyKey) : undefined;
    const known = idem ? this.runs.get(idem) : undefined;
    if (known) return { ...known.handle, deduped: true };
    const { agent, sessionKey } = this.resolveTarget(req);
    const runId = randomUUID();
    const controller = new AbortController();
    const state: RunState = { controller, seq: 0, handle: undefined as never };
    const emit = (event: TurnEvent | { kind: "end"; result: TurnResult }) => {
      this.deps.emit({ runId, agentId: agent.id, sessionKey, seq: ++state.seq, ts: Date.now(), ...event } as RunEvent);
    };
    const lane = this.lanes.get(sessionKey) ?? Promise.resolve();
    let replied!: (r: TurnResult) => void;
    const repliedP = new Promise<TurnResult>((r) => (replied = r));
    const done = lane.then(() => this.execute(req, agent, sessionKey, runId, state, emit, replied));
    // The next run of this session may start once the reply is out (the transcript is complete and
    // unlocked); the previous run's counters still land in sessions.json in order behind it.
    const tail = Promise.race([repliedP.then(() => undefined), done.catch(() => undefined)]);
    this.lanes.set(sessionKey, tail);
    void tail.then(() => {
      if (this.lanes.get(sessionKey) === tail) this.lanes.delete(sessionKey);
    });
    state.handle = { runId, agentId: agent.id, sessionKey, acceptedAt: Date.now(), deduped: false, done, reply: Promise.race([repliedP, done]) };
    this.runs.set(runId, state);
    if (req.idempotencyKey) this.byIdempotency.set(req.idempotencyKey, runId);
    return state.handle;
  }

  private async execute(
    req: RunRequest,
    agent: ResolvedAgent,
    sessionKey: string,
    runId: string,
    state: RunState,
    emit: (e: TurnEvent | { kind: "end"; result: TurnResult }) => void,
    replied: (r: TurnResult) => void,
  ): Promise<TurnResult> {
    state.startedAt = Date.now();
    const config = this.deps.config();
    const defaults = ((config.agents as Record<string, unknown> | undefined)?.defaults ?? {}) as Record<string, unknown>;
    const seconds = req.timeoutSeconds ?? (typeof defaults.timeoutSeconds === "number" ? defaults.timeoutSeconds : DEFAULT_TURN_TIMEOUT_SECONDS);
    const timer = seconds > 0 ? setTimeout(() => state.controller.abort(new DOMException("the agent run timed out", "TimeoutError")), seconds * 1000) : undefined;
    timer?.unref?.();
    let result: TurnResult;
    let ended = false;
    const end = (r: TurnResult) => {
      if (ended) return;
      ended = true;
      state.endedAt = Date.now();
      state.result = r;
      emit({ kind: "end", result: r });
      replied(r);
    };
    try {
      if (state.controller.signal.aborted) throw new AppError("INTERRUPTED", "aborted before it started");
      result = await runTurn({
        runId,
        agent,
        sessionKey,
        message: req.message,
        config,
        env: this.deps.env,
        storeFile: this.storeFile(agent),
        ...(req.model ? { model: req.model } : {}),
        ...(req.thinking ? { thinking: req.thinking } : {}),
        ...(req.extraSystemPrompt ? { extraSystemPrompt: req.extraSystemPrompt } : {}),
        ...(req.origin ? { origin: req.origin } : req.channel ? { origin: { channel: req.channel } } : {}),
        tools: this.deps.tools({ agentId: agent.id, config, ...primaryModel(config, agent.id, req.model) }),
        toolContext: {
          config: config as Record<string, unknown>,
          env: this.deps.env,
          requestApproval: (r) => this.deps.requestApproval({ ...r, signal: state.controller.signal }),
          sessions: this.sessionsPort(),
          stateDir: this.deps.layout.stateDir,
          ...(this.deps.memory ? { memory: this.deps.memory } : {}),
          ...(this.deps.sandbox ? { sandbox: this.deps.sandbox } : {}),
        },
        signal: state.controller.signal,
        emit,
        onReply: end,
        historyCache: this.historyCache,
        warn: (m) => this.deps.warn?.(m),
      });
    } catch (error) {
      // Only a run aborted while queued gets here (runTurn itself never rejects).
      const now = Date.now();
      const status: TurnStatus = state.controller.signal.aborted ? "aborted" : "error";
      result = {
        status,
        text: "",
        sessionId: "",
        sessionKey,
        errorMessage: (error as Error).message,
        summary: { runId, agentId: agent.id, sessionKey, status, startedAt: now, endedAt: now, inputTokens: 0, outputTokens: 0, modelCalls: 0, toolCalls: 0, failovers: 0, providerErrors: [], providerFirstByteMs: 0, providerTotalMs: 0 },
      };
    } finally {
      if (timer) clearTimeout(timer);
    }
    end(result);
    this.deps.onFinished?.(result.summary);
    if (result.status === "ok" && result.transcriptFile && result.contextTokens && shouldAutoCompact(config, result.summary.model, result.contextTokens)) {
      this.autoCompact(agent, config, sessionKey, result.transcriptFile, result.contextTokens);
    }
    return result;
  }

  private readonly compactions = new Set<Promise<unknown>>();
  private readonly compactionAbort = new AbortController();

  /**
   * Compacts a session whose context is near the model's window, after its reply went out (it
   * waits for the transcript lock, so a next turn already running finishes first). Failures are
   * logged; the conversation stays whole either way.
   */
  private autoCompact(agent: ResolvedAgent, config: OpenClawConfig, sessionKey: string, transcriptFile: string, contextTokens: number): void {
    const job = compactWithModel({ agent, config, env: this.deps.env, storeFile: this.storeFile(agent), sessionKey, transcriptFile, signal: this.compactionAbort.signal })
      .then((r) => {
        if (r.compacted) this.deps.info?.(`session ${sessionKey} auto-compacted at ~${contextTokens} context tokens: ${r.summarizedMessages} message(s) summarised, ~${r.tokensBefore} → ~${r.tokensAfter} tokens`);
      })
      .catch((error) => this.deps.warn?.(`session ${sessionKey}: auto-compaction failed (history kept whole): ${(error as Error).message}`))
      .finally(() => this.compactions.delete(job));
    this.compactions.add(job);
  }

  /** Waits for a run's end (or `timeoutMs`); unknown ids are NOT_FOUND. */
  async wait(runId: string, timeoutMs = 30_000): Promise<RunWaitResult> {
    const state = this.runs.get(runId) ?? this.runs.get(this.byIdempotency.get(runId) ?? "");
    if (!state) throw new AppError("NOT_FOUND", `no run ${runId}`, { hint: "Runs are kept 10 minutes after they end; check the session transcript." });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const r = await Promise.race([state.handle.done, timedOut]);
    clearTimeout(timer);
    if (r === "timeout") return { runId: state.handle.runId, status: "timeout", ...(state.startedAt ? { startedAt: state.startedAt } : {}) };
    return { runId: state.handle.runId, status: r.status, startedAt: state.startedAt!, endedAt: state.endedAt!, ...(r.errorMessage ? { error: r.errorMessage } : {}) };
  }

  /** Aborts a session's running and queued runs (or just `runId`); the ids aborted. */
  abort(o: { sessionKey?: string; runId?: string }): string[] {
    const out: string[] = [];
    for (const [id, s] of this.runs) {
      if (s.result || s.controller.signal.aborted) continue;
      if (o.runId ? id === o.runId || this.byIdempotency.get(o.runId) === id : s.handle.sessionKey === o.sessionKey) {
        s.controller.abort(new DOMException("aborted by request", "AbortError"));
        out.push(id);
      }
    }
    return out;
  }

  /** The session key a key/agent pair names (`chat.*` take bare keys too). */
  canonicalKey(sessionKey: string): { agent: ResolvedAgent; sessionKey: string } {
    return this.resolveTarget({ sessionKey });
  }

  /** Runs not finished yet (running or queued). */
  activeCount(): { running: number; queued: number } {
    let running = 0;
    let queued = 0;
    for (const s of this.runs.values()) if (!s.result) s.startedAt ? running++ : queued++;
    return { running, queued };
  }

  /** Aborts every run and waits for them to end (bounded by the caller's drain). */
  async stop(): Promise<void> {
    this.stopping = true;
    const runs = [...this.runs.values()];
    for (const s of runs) if (!s.result) s.controller.abort(new DOMException("the gateway is stopping", "AbortError"));
    this.compactionAbort.abort(new DOMException("the gateway is stopping", "AbortError"));
    // A run that has replied may still be writing its transcript and session entry: wait for those too.
    await Promise.allSettled([...runs.map((s) => s.handle.done), ...this.compactions]);
  }

  private sweep(): void {
    const cutoff = Date.now() - FINISHED_KEEP_MS;
    let finished = 0;
    for (const s of this.runs.values()) if (s.endedAt) finished++;
    for (const [id, s] of this.runs) {
      if (!s.endedAt || (s.endedAt > cutoff && finished <= FINISHED_KEEP_MAX)) continue;
      this.runs.delete(id);
      finished--;
    }
    for (const [k, id] of this.byIdempotency) if (!this.runs.has(id)) this.byIdempotency.delete(k);
  }

  /** What the `sessions_*` tools see. */
  sessionsPort(): SessionsPort {
    const config = () => this.deps.config();
    const agents = () => listAgents(config()).map((a) => findAgent({ config: config(), layout: this.deps.layout, env: this.deps.env }, a.id)!);
    const entryOf = (key: string) => {
      const { agent, sessionKey } = this.canonicalKey(key);
      const entry = readSessionStore(this.storeFile(agent)).find((e) => e.key === sessionKey);
      return { agent, sessionKey, entry };
    };
    return {
      list: (o) => {
        const cutoff = o.activeMinutes ? Date.now() - o.activeMinutes * 60_000 : 0;
        const rows: SessionSummary[] = agents()
          .filter((a) => !o.agentId || a.id === normalizeAgentId(o.agentId))
          .flatMap((a) => readSessionStore(this.storeFile(a)).map((e) => ({ ...e, agentId: a.id })))
          .filter((e) => (e.updatedAt ?? 0) >= cutoff)
          .sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0))
          .map((e) => ({ key: e.key, sessionId: e.sessionId ?? "", agentId: e.agentId, ...(e.updatedAt ? { updatedAt: e.updatedAt } : {}), ...(str((e as { label?: unknown }).label) ? { label: String((e as { label?: unknown }).label) } : {}) }));
        return rows.slice(0, o.limit ?? 50);
      },
      history: (key, o) => {
        const { agent, entry } = entryOf(key);
        if (!entry) return [];
        return previewSession(this.storeFile(agent), entry, o.limit ?? 20).items;
      },
      send: async (key, message, o) => {
        const handle = this.start({ message, sessionKey: key, ...(o.timeoutMs ? { timeoutSeconds: Math.ceil(o.timeoutMs / 1000) } : {}) });
        const onAbort = () => this.abort({ runId: handle.runId });
        o.signal?.addEventListener("abort", onAbort, { once: true });
        try {
          const r = await handle.done;
          return { runId: handle.runId, status: r.status, reply: r.text };
        } finally {
          o.signal?.removeEventListener("abort", onAbort);
        }
      },
      status: (key) => {
        const { sessionKey, entry } = entryOf(key);
        if (!entry) return undefined;
        const running = [...this.runs.values()].some((s) => !s.result && s.handle.sessionKey === sessionKey);
        return { ...entry, key: sessionKey, running };
      },
    };
  }
}
