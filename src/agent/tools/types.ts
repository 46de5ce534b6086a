/**
 * The contract between the turn engine and the tools it offers the model: a tool is a `ToolSpec`
 * (name, description, JSON-Schema input) plus `run`. The engine passes a `ToolContext` per call
 * (workspace, policy inputs, an abort signal, the approval channel and a view of the sessions);
 * a tool answers text, capped before it enters the transcript, and marks failures `isError`
 * (a tool error goes back to the model, it never fails the turn).
 */
import type { MemoryExcerpt, MemorySearchResponse } from "../../memory/index.js";
import type { SandboxExecRequest, SandboxExecResult } from "../../sandbox/index.js";
import type { ToolSpec } from "../providers/types.js";

/** How an operator answered an exec approval; `timeout` when nobody answered in time. */
export type ApprovalDecision = "allow-once" | "allow-always" | "deny" | "timeout";

/** What an exec approval asks (the `exec.approval.requested` event carries it). */
export interface ApprovalRequest {
  /** The shell command as the model asked for it. */
  command: string;
  cwd: string;
  agentId: string;
  sessionKey: string;
  /** Why it needs asking (`ask: always`, not on the allowlist, …). */
  reason: string;
  /** How long the request stays open, in ms. */
  timeoutMs: number;
}

/** One line of `sessions_list`. */
export interface SessionSummary {
  key: string;
  sessionId: string;
  agentId: string;
  updatedAt?: number;
  label?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
}

/** The sessions the `sessions_*` tools see, supplied by the runtime. */
export interface SessionsPort {
  list(options: { agentId?: string; limit?: number; activeMinutes?: number }): SessionSummary[];
  /** The last `limit` messages (role + text) of a session. */
  history(key: string, options: { limit?: number }): Array<{ role: string; text: string; timestamp?: unknown }>;
  /** Runs a turn in another session and returns its reply text (a tool waits for it up to its timeout). */
  send(key: string, message: string, options: { timeoutMs?: number; signal?: AbortSignal }): Promise<{ runId: string; status: string; reply?: string }>;
  status(key: string): Record<string, unknown> | undefined;
}

/** What a memory search answers (the engine's shape: hits, mode, and why results may be incomplete). */
export type MemorySearchAnswer = Omit<MemorySearchResponse, "agentId" | "query" | "tookMs">;

/**
 * The agents' memory, supplied by the gateway (its memory subsystem): the `memory_*` tools call it.
 * Failures are thrown as errors whose message the model can act on (a refused path names the
 * allowed ones).
 */
export interface MemoryPort {
  /** Whether memory is enabled for the agent (the tools are offered only then). */
  enabled(agentId: string): boolean;
  search(agentId: string, query: string, options: { maxResults?: number; minScore?: number; signal: AbortSignal }): Promise<MemorySearchAnswer>;
  get(agentId: string, path: string, options: { from?: number; lines?: number }): Promise<MemoryExcerpt>;
}

/**
 * The Docker sandbox, supplied by the gateway (the agents subsystem): whether a session is
 * sandboxed and a way to run a command in its container. Errors are AppErrors with the cause.
 */
export interface SandboxPort {
  isSandboxed(agentId: string, sessionKey: string): boolean;
  exec(request: SandboxExecRequest): Promise<SandboxExecResult>;
}

export interface ToolContext {
  agentId: string;
  sessionKey: string;
  /** The agent's workspace (the default cwd, and the root when `tools.fs.workspaceOnly`). */
  workspace: string;
  /** The resolved config (tools.* and agents.list[].tools are read). */
  config: Record<string, unknown>;
  env: Record<string, string | undefined>;
  /** Aborted when the turn is aborted or times out. */
  signal: AbortSignal;
  /** Asks an operator (gateway `exec.approval.requested`); resolves with the decision. */
  requestApproval(request: ApprovalRequest): Promise<ApprovalDecision>;
  sessions: SessionsPort;
  /** `<state>` dir (for exec-approvals.json and other host state). */
  stateDir: string;
  /** The agents' memory (absent when the host runs without it: the memory tools then answer an error). */
  memory?: MemoryPort;
  /** The sandbox (absent: a sandboxed session's exec is refused, never run on the host). */
  sandbox?: SandboxPort;
}

export interface ToolResult {
  /** Text for the model (already capped). */
  content: string;
  isError?: boolean;
  /** Structured facts for events and logs (never secrets). */
  details?: Record<string, unknown>;
}

export interface AgentTool extends ToolSpec {
  run(input: unknown, ctx: ToolContext): Promise<ToolResult>;
}
