/** Test-only: a real ToolContext over a temp workspace (kept out of index.ts). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ApprovalDecision, ApprovalRequest, SessionsPort, ToolContext } from "./types.js";

export interface TestToolContext extends ToolContext {
  approvals: ApprovalRequest[];
  root: string;
}

/** A temp root with `workspace/` and `state/`; `decide` answers approval requests. */
export function createTestToolContext(
  options: { config?: Record<string, unknown>; agentId?: string; decide?: (r: ApprovalRequest) => ApprovalDecision | Promise<ApprovalDecision>; signal?: AbortSignal; sessions?: SessionsPort } = {},
): TestToolContext {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-tools-")));
  const workspace = path.join(root, "workspace");
  const stateDir = path.join(root, "state");
  fs.mkdirSync(workspace);
  fs.mkdirSync(stateDir);
  const approvals: ApprovalRequest[] = [];
  const noSessions: SessionsPort = {
    list: () => [],
    history: () => [],
    send: () => Promise.reject(new Error("no sessions in this test")),
    status: () => undefined,
  };
  return {
    root,
    approvals,
    agentId: options.agentId ?? "main",
    sessionKey: "agent:main:main",
    workspace,
    stateDir,
    config: options.config ?? {},
    env: { PATH: process.env.PATH, HOME: root },
    signal: options.signal ?? new AbortController().signal,
    sessions: options.sessions ?? noSessions,
    requestApproval: async (r) => {
      approvals.push(r);
      return options.decide ? options.decide(r) : "timeout";
    },
  };
}
