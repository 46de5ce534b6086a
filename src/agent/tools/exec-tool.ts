/**
 * The `exec` tool: runs a shell command in the workspace under the effective exec policy
 * (exec-policy.ts). `deny` refuses; `allowlist` runs only commands whose binaries match the host
 * allowlist; `ask` asks an operator through `ctx.requestApproval` (allow-always adds each binary with
 * its exact arguments to the allowlist file); a refusal, a denial or an unanswered request comes
 * back as a tool error.
 */
import fs from "node:fs";
import path from "node:path";
import { addAllowlistPatterns, execApprovalsPath, loadExecApprovals } from "./approvals-file.js";
import { type CommandSegment, type ExecPolicy, matchAllowlist, resolveExecPolicy } from "./exec-policy.js";
import { runShellCommand } from "./exec-run.js";
import { execIsSandboxed, runSandboxedExec } from "./exec-sandbox.js";
import { guarded, toolError } from "./fs-tools.js";
import { capToolOutput, TOOL_OUTPUT_MAX_BYTES } from "./output-cap.js";
import { withoutGatewaySecrets } from "./secrets.js";
import type { AgentTool, ApprovalDecision, ToolContext, ToolResult } from "./types.js";

/** How long an approval request stays open before it counts as `timeout`. */
export const DEFAULT_APPROVAL_TIMEOUT_MS = 120_000;

/** Env overrides host exec refuses (binary hijacking, injected code). */
const BLOCKED_ENV = /^(PATH|LD_.*|DYLD_.*)$/;

function decideWithoutAsking(policy: ExecPolicy, matched: boolean): "run" | "ask" | "refuse" {
  if (policy.security === "deny") return "refuse";
  if (policy.ask === "always") return "ask";
  if (matched) return "run";
  if (policy.ask === "on-miss") return "ask";
  return policy.security === "full" ? "run" : "refuse";
}

async function askOperator(ctx: ToolContext, command: string, cwd: string, reason: string): Promise<ApprovalDecision> {
  try {
    return await ctx.requestApproval({ command, cwd, agentId: ctx.agentId, sessionKey: ctx.sessionKey, reason, timeoutMs: DEFAULT_APPROVAL_TIMEOUT_MS });
  } catch {
    // No approval channel (or it failed): the same as nobody answering.
    return "timeout";
  }
}

/** An anchored regex matching exactly these arguments joined by single spaces. */
export function exactArgsPattern(args: readonly string[]): string {
  return `^${args.join(" ").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`;
}

function allowAlways(ctx: ToolContext, segments: CommandSegment[] | undefined): string[] {
  if (!segments) return [];
  // Bound to the exact arguments, as OpenClaw's "always allow" is (a plain argv regex it also reads).
  const entries = segments.map((s) => ({
    pattern: s.bin.includes("/") && s.resolved ? s.resolved : s.bin,
    argPattern: exactArgsPattern(s.args),
    ...(s.resolved ? { lastResolvedPath: s.resolved } : {}),
  }));
  return addAllowlistPatterns(execApprovalsPath(ctx.stateDir), ctx.agentId, entries);
}

function childEnv(ctx: ToolContext, overrides: unknown): Record<string, string | undefined> | string {
  const env: Record<string, string | undefined> = { ...withoutGatewaySecrets(ctx.env), OPENCLAW_SHELL: "exec" };
  if (overrides && typeof overrides === "object" && !Array.isArray(overrides)) {
    for (const [k, v] of Object.entries(overrides as Record<string, unknown>)) {
      if (BLOCKED_ENV.test(k)) return `exec: env.${k} cannot be overridden (PATH and loader variables are fixed for host exec)`;
      if (typeof v !== "string") return `exec: env.${k} must be a string`;
      env[k] = v;
    }
  }
  return env;
}

/** A sandboxed session's exec: policy `deny` still refuses; the command runs in the session's container. */
async function runSandboxed(ctx: ToolContext, command: string, a: Record<string, unknown>): Promise<ToolResult> {
  const policy = resolveExecPolicy({ config: ctx.config, agentId: ctx.agentId, approvals: loadExecApprovals(execApprovalsPath(ctx.stateDir)) });
  const facts = { security: policy.security, ask: policy.ask, sandboxed: true };
  if (policy.security === "deny") return toolError("exec denied: exec is disabled by policy (tools.exec.security=deny).", { ...facts, denied: "security" });
  const env: Record<string, string> = {};
  if (a.env && typeof a.env === "object" && !Array.isArray(a.env)) {
    for (const [k, v] of Object.entries(a.env as Record<string, unknown>)) {
      if (typeof v !== "string") return toolError(`exec: env.${k} must be a string`);
      env[k] = v;
    }
  }
  const timeoutSeconds = typeof a.timeoutSeconds === "number" && a.timeoutSeconds >= 0 ? a.timeoutSeconds : policy.timeoutSeconds;
  const workdir = typeof a.workdir === "string" && a.workdir ? a.workdir : undefined;
  return runSandboxedExec(ctx, { command, ...(workdir ? { workdir } : {}), env, timeoutSeconds, maxBytes: TOOL_OUTPUT_MAX_BYTES, facts });
}

/** `exec`: run a shell command (cwd = the workspace, or `workdir` relative to it). */
export const execTool: AgentTool = {
  name: "exec",
  description:
    "Run a shell command in the workspace and return its combined stdout and stderr (truncated to 64 KiB). Use workdir to run elsewhere (relative paths resolve against the workspace) and timeoutSeconds to bound it. Commands may need operator approval depending on the exec policy.",
  inputSchema: {
    type: "object",
    properties: {
      command: { type: "string", description: "Shell command to run" },
      workdir: { type: "string", description: "Working directory (default: the workspace)" },
      env: { type: "object", additionalProperties: { type: "string" }, description: "Environment overrides" },
      timeoutSeconds: { type: "number", description: "Kill the command after this many seconds (0 = no timeout; default tools.exec.timeoutSeconds)" },
    },
    required: ["command"],
  },
  run: (input, ctx) =>
    guarded("exec", async () => {
      const a = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
      const command = typeof a.command === "string" ? a.command : "";
      if (!command.trim()) return toolError("exec: command is required (a shell command string)");
      if (execIsSandboxed(ctx)) return runSandboxed(ctx, command, a);
      const cwd = typeof a.workdir === "string" && a.workdir ? path.resolve(ctx.workspace, a.workdir) : ctx.workspace;
      if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) return toolError(`exec: workdir ${cwd} does not exist or is not a directory`);
      const env = childEnv(ctx, a.env);
      if (typeof env === "string") return toolError(env);

      const policy = resolveExecPolicy({ config: ctx.config, agentId: ctx.agentId, approvals: loadExecApprovals(execApprovalsPath(ctx.stateDir)) });
      const match = matchAllowlist(command, policy.allowlist, { cwd, env });
      const verdict = decideWithoutAsking(policy, match.matched);
      const facts = { security: policy.security, ask: policy.ask, allowlisted: match.matched };
      if (verdict === "refuse") {
        if (policy.problems.length > 0) return toolError(`exec denied: the exec policy is invalid (${policy.problems.join("; ")}).`, { ...facts, denied: "invalid-policy" });
        return policy.security === "deny"
          ? toolError("exec denied: host exec is disabled by policy (tools.exec.security=deny).", { ...facts, denied: "security" })
          : toolError(`exec denied: ${command.split("\n")[0]} is not on the exec allowlist (tools.exec.security=allowlist, ask=off).`, { ...facts, denied: "allowlist" });
      }
      if (verdict === "ask") {
        const reason = policy.ask === "always" ? "ask=always: every command needs approval" : "not on the exec allowlist";
        const decision = await askOperator(ctx, command, cwd, reason);
        if (decision === "deny") return toolError("exec denied: the operator denied this command.", { ...facts, decision });
        if (decision === "timeout") {
          const fallbackRuns = policy.askFallback === "full" || (policy.askFallback === "allowlist" && match.matched);
          if (!fallbackRuns) return toolError(`exec denied: approval timed out (askFallback=${policy.askFallback}).`, { ...facts, decision });
        }
        if (decision === "allow-always") allowAlways(ctx, match.segments);
        Object.assign(facts, { decision });
      }
      if (ctx.signal.aborted) return toolError("exec aborted before it started", facts);

      const rawTimeout = typeof a.timeoutSeconds === "number" && a.timeoutSeconds >= 0 ? a.timeoutSeconds : policy.timeoutSeconds;
      const r = await runShellCommand({ command, cwd, env, timeoutMs: Math.round(rawTimeout * 1000), signal: ctx.signal, maxBytes: TOOL_OUTPUT_MAX_BYTES });
      let text = capToolOutput(r.output).text;
      if (r.droppedBytes > 0) text += `\n[truncated: ${r.droppedBytes} more bytes of output]`;
      const withNote = (note: string) => `${text.replace(/\n$/, "")}${text ? "\n\n" : ""}${note}`;
      const details = { ...facts, exitCode: r.exitCode, cwd, ...(r.signal ? { signal: r.signal } : {}), ...(r.droppedBytes ? { droppedBytes: r.droppedBytes } : {}) };
      if (r.timedOut) return toolError(withNote(`Command timed out after ${rawTimeout} seconds (killed)`), { ...details, timedOut: true });
      if (r.aborted) return toolError(withNote("Command aborted"), { ...details, aborted: true });
      if (r.exitCode !== 0) return { content: withNote(`Command exited with code ${r.exitCode ?? r.signal}`), isError: true, details } satisfies ToolResult;
      return { content: text || "(no output)", details };
    }),
};
