/**
 * The `exec` tool's sandboxed path: when the session is sandboxed (agents.*.sandbox mode `all`, or
 * `non-main` outside the agent's main session) the command runs in the session's Docker container
 * through the sandbox port the gateway supplies. Any failure to get a container (Docker unreachable,
 * image missing, no port) is a tool error naming the cause: a sandboxed command never runs on the host.
 */

import { isSessionSandboxed, resolveSandboxSettings, sandboxMainSessionKey } from "../../sandbox/index.js";
import { AppError } from "../../shared/index.js";
import { toolError } from "./fs-tools.js";
import { capToolOutput } from "./output-cap.js";
import type { ToolContext, ToolResult } from "./types.js";

/** Whether this call must run in a container (the port decides when present; the config otherwise). */
export function execIsSandboxed(ctx: ToolContext): boolean {
  if (ctx.sandbox) return ctx.sandbox.isSandboxed(ctx.agentId, ctx.sessionKey);
  return isSessionSandboxed(resolveSandboxSettings(ctx.config, ctx.agentId), ctx.sessionKey, sandboxMainSessionKey(ctx.config, ctx.agentId));
}

const refused = (why: string, hint?: string) => toolError(`sandboxed session: ${why}; exec refused (a sandboxed command never runs on the host)${hint ? `. Fix: ${hint}` : ""}`, { sandboxed: true, refused: true });

/** Runs `command` in the session's container and shapes the result as host exec does. */
export async function runSandboxedExec(ctx: ToolContext, o: { command: string; workdir?: string; env: Record<string, string>; timeoutSeconds: number; maxBytes: number; facts: Record<string, unknown> }): Promise<ToolResult> {
  if (!ctx.sandbox) return refused("no sandbox runtime is available in this process", "run the turn through the gateway, or set agents.defaults.sandbox.mode off");
  let r: Awaited<ReturnType<NonNullable<ToolContext["sandbox"]>["exec"]>>;
  try {
    r = await ctx.sandbox.exec({
      agentId: ctx.agentId,
      sessionKey: ctx.sessionKey,
      workspace: ctx.workspace,
      command: o.command,
      ...(o.workdir ? { workdir: o.workdir } : {}),
      env: o.env,
      timeoutMs: Math.round(o.timeoutSeconds * 1000),
      signal: ctx.signal,
      maxBytes: o.maxBytes,
    });
  } catch (error) {
    if (error instanceof AppError) return refused(error.message, error.hint);
    return refused((error as Error)?.message ?? String(error));
  }
  const combined = r.stdout && r.stderr ? `${r.stdout.replace(/\n?$/, "\n")}${r.stderr}` : r.stdout || r.stderr;
  let text = capToolOutput(combined).text;
  if (r.droppedBytes > 0) text += `\n[truncated: ${r.droppedBytes} more bytes of output]`;
  const withNote = (note: string) => `${text.replace(/\n$/, "")}${text ? "\n\n" : ""}${note}`;
  const details = { ...o.facts, sandboxed: true, container: r.container, cwd: r.cwd, exitCode: r.exitCode, ...(r.droppedBytes ? { droppedBytes: r.droppedBytes } : {}) };
  if (r.timedOut) return toolError(withNote(`Command timed out after ${o.timeoutSeconds} seconds`), { ...details, timedOut: true });
  if (r.aborted) return toolError(withNote("Command aborted"), { ...details, aborted: true });
  if (r.exitCode !== 0) return { content: withNote(`Command exited with code ${r.exitCode ?? "unknown"}`), isError: true, details };
  return { content: text || "(no output)", details };
}
