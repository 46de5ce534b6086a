/**
 * Doctor's per-agent model auth check: the default model of each agent must have a usable
 * credential (a provider whose stored logins all expired counts as missing), and profiles cooling
 * down after failures are reported. Expiry of individual profiles is the auth-profiles check's.
 * Pure over the inputs; each finding names the command that fixes it.
 */
import { type AgentModelAuth, authFixCommand, resolveModelSelection } from "../../agent/index.js";
import type { Snapshot } from "../snapshot.js";
import { checkModelRef, type ModelAuthFacts } from "./model-auth.js";

/** A finding in doctor's shape (kept structural so this file does not import checks.ts). */
export interface AgentAuthFinding {
  checkId: string;
  step: "auth";
  severity: "info" | "warn";
  title: string;
  fix?: string;
}

/** Findings for every agent's model auth. */
export function checkAgentModelAuth(o: { snap: Snapshot; agentModelAuth?: AgentModelAuth[]; modelAuth?: ModelAuthFacts }): AgentAuthFinding[] {
  const out: AgentAuthFinding[] = [];
  for (const m of o.agentModelAuth ?? []) {
    const sel = resolveModelSelection(o.snap.input, m.agentId);
    // A configured ref with no credential at all is already reported by the model-credentials check.
    const reportedElsewhere = sel.primarySource !== "builtin" && o.modelAuth !== undefined && checkModelRef(sel.primary, o.modelAuth).length > 0;
    const primaryProvider = m.defaultModel.slice(0, Math.max(0, m.defaultModel.indexOf("/")));
    for (const p of m.providers) {
      if (p.status !== "missing" && p.status !== "expired") continue;
      if (p.provider === primaryProvider && reportedElsewhere) continue;
      const role = p.provider === primaryProvider ? `default model ${m.defaultModel}` : "a fallback model";
      out.push({
        checkId: p.status === "expired" ? "model.auth_expired" : "model.auth_missing",
        step: "auth",
        severity: "warn",
        title: `agent ${m.agentId}: ${role} has no usable ${p.provider} credential (${p.status === "expired" ? "every stored login expired" : "none found"})`,
        fix: authFixCommand(p.provider),
      });
    }
    for (const c of m.cooldowns) {
      out.push({ checkId: `model.auth_${c.kind}`, step: "auth", severity: "info", title: `agent ${m.agentId}: ${c.profileId} is in ${c.kind}${c.reason ? ` after ${c.reason} failures` : ""} until ${c.until}`, fix: c.kind === "disabled" ? "Check the provider account's billing; it re-enables by itself." : "It clears by itself; `openclaw models status --probe` tests it now." });
    }
  }
  return out;
}
