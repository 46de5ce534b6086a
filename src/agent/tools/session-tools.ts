/**
 * The session tools: `sessions_list`, `sessions_history`, `sessions_send` and `session_status`,
 * answered through `ctx.sessions` (the runtime's view of the session stores and its turn queue).
 * Results are JSON text, capped like every tool result.
 */
import { guarded, toolError } from "./fs-tools.js";
import { capToolOutput } from "./output-cap.js";
import type { AgentTool, ToolContext, ToolResult } from "./types.js";

/** How long `sessions_send` waits for the reply by default. */
export const DEFAULT_SESSIONS_SEND_TIMEOUT_SECONDS = 30;

function args(input: unknown): Record<string, unknown> {
  return input && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}

function json(value: unknown, details?: Record<string, unknown>): ToolResult {
  return { content: capToolOutput(JSON.stringify(value, null, 2)).text, ...(details ? { details } : {}) };
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined;
}

function targetKey(a: Record<string, unknown>, ctx: ToolContext): string | undefined {
  const k = a.sessionKey;
  if (k === undefined || k === "current") return ctx.sessionKey;
  return typeof k === "string" && k.trim() ? k.trim() : undefined;
}

export const sessionsListTool: AgentTool = {
  name: "sessions_list",
  description: "List sessions (key, id, agent, last update, model, token counts), newest first. Filter by agentId and activeMinutes; limit defaults to 100.",
  inputSchema: {
    type: "object",
    properties: {
      agentId: { type: "string", description: "Only this agent's sessions" },
      limit: { type: "number", description: "Maximum rows (default 100, at most 200)" },
      activeMinutes: { type: "number", description: "Only sessions updated within this many minutes" },
    },
  },
  run: (input, ctx) =>
    guarded("sessions_list", () => {
      const a = args(input);
      const limit = Math.min(positiveInt(a.limit) ?? 100, 200);
      const activeMinutes = positiveInt(a.activeMinutes);
      const rows = ctx.sessions.list({ ...(typeof a.agentId === "string" && a.agentId ? { agentId: a.agentId } : {}), limit, ...(activeMinutes ? { activeMinutes } : {}) });
      return json({ count: rows.length, sessions: rows.slice(0, limit) }, { count: rows.length });
    }),
};

export const sessionsHistoryTool: AgentTool = {
  name: "sessions_history",
  description: "Read the recent transcript of a session (role and text of the last `limit` messages). Use a session key from sessions_list.",
  inputSchema: {
    type: "object",
    properties: {
      sessionKey: { type: "string", description: "Session key (from sessions_list)" },
      limit: { type: "number", description: "Number of most recent messages (default 20)" },
    },
    required: ["sessionKey"],
  },
  run: (input, ctx) =>
    guarded("sessions_history", () => {
      const a = args(input);
      const key = targetKey(a, ctx);
      if (!key) return toolError("sessions_history: sessionKey is required (a key from sessions_list)");
      const messages = ctx.sessions.history(key, { limit: Math.min(positiveInt(a.limit) ?? 20, 200) });
      return json({ sessionKey: key, messages }, { sessionKey: key, count: messages.length });
    }),
};

export const sessionsSendTool: AgentTool = {
  name: "sessions_send",
  description:
    "Send a message to another session on this gateway and wait for its reply (timeoutSeconds, default 30; 0 = send and return at once). Use a session key from sessions_list.",
  inputSchema: {
    type: "object",
    properties: {
      sessionKey: { type: "string", description: "Target session key" },
      message: { type: "string", description: "Message to send" },
      timeoutSeconds: { type: "number", description: "How long to wait for the reply (0 = do not wait)" },
    },
    required: ["sessionKey", "message"],
  },
  run: (input, ctx) =>
    guarded("sessions_send", async () => {
      const a = args(input);
      const key = targetKey(a, ctx);
      if (!key) return toolError("sessions_send: sessionKey is required (a key from sessions_list)");
      if (key === ctx.sessionKey) return toolError("sessions_send: cannot send to the current session (it would wait on itself)");
      if (typeof a.message !== "string" || !a.message.trim()) return toolError("sessions_send: message is required");
      const t = typeof a.timeoutSeconds === "number" && a.timeoutSeconds >= 0 ? a.timeoutSeconds : DEFAULT_SESSIONS_SEND_TIMEOUT_SECONDS;
      const r = await ctx.sessions.send(key, a.message, { timeoutMs: Math.round(t * 1000), signal: ctx.signal });
      const out = { sessionKey: key, runId: r.runId, status: r.status, ...(r.reply !== undefined ? { reply: r.reply } : {}) };
      const failed = r.status === "error" || r.status === "timeout";
      return { ...json(out, { sessionKey: key, runId: r.runId, status: r.status }), ...(failed ? { isError: true } : {}) };
    }),
};

export const sessionStatusTool: AgentTool = {
  name: "session_status",
  description: "Show the status of the current session (or another by sessionKey): model, token usage, last update.",
  inputSchema: {
    type: "object",
    properties: { sessionKey: { type: "string", description: 'Session key; "current" or omitted for this session' } },
  },
  run: (input, ctx) =>
    guarded("session_status", () => {
      const key = targetKey(args(input), ctx);
      if (!key) return toolError("session_status: sessionKey must be a non-empty string");
      const status = ctx.sessions.status(key);
      if (!status) return toolError(`session_status: no session ${key}`);
      return json({ sessionKey: key, ...status }, { sessionKey: key });
    }),
};
