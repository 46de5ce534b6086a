/**
 * The sandbox's `security audit` rules (pure): "Missing sandbox configuration" — open channels let
 * untrusted senders reach agents whose sessions run exec on this host (per agent, from the effective
 * settings, so an agent's own `sandbox.mode` counts) — and OpenClaw's
 * `sandbox.docker_config_mode_off` (docker settings that do nothing while the mode is off).
 */
import { resolveSandboxSettings } from "../../sandbox/index.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const hasKeys = (v: unknown) => Object.keys(obj(v)).length > 0;

/** An audit finding (rules.ts's AuditFinding shape; declared here so the two files do not import each other). */
export interface SandboxAuditFinding {
  checkId: string;
  severity: "warn";
  title: string;
  detail: string;
  remediation: string;
}

export function sandboxAuditFindings(input: Obj, agentIds: string[], openSurface: boolean): SandboxAuditFinding[] {
  const out: SandboxAuditFinding[] = [];
  const ids = agentIds.length > 0 ? agentIds : ["main"];
  const settings = ids.map((id) => resolveSandboxSettings(input, id));
  const unsandboxed = settings.filter((s) => s.mode === "off").map((s) => s.agentId);
  if (openSurface && unsandboxed.length > 0) {
    out.push({
      checkId: "sandbox.missing_for_untrusted",
      severity: "warn",
      title: "Missing sandbox configuration: open channels reach agents without a sandbox",
      detail: `Untrusted senders reach tools that run on this host (sandbox mode off for: ${unsandboxed.join(", ")}).`,
      remediation: "openclaw config set agents.defaults.sandbox.mode non-main (then check with openclaw sandbox explain)",
    });
  }
  const agents = obj(input.agents);
  const paths: string[] = [];
  if (hasKeys(obj(obj(agents.defaults).sandbox).docker) && settings.every((s) => s.mode === "off")) paths.push("agents.defaults.sandbox.docker");
  const list = Array.isArray(agents.list) ? agents.list : [];
  list.forEach((e, i) => {
    const id = obj(e).id;
    if (typeof id === "string" && hasKeys(obj(obj(e).sandbox).docker) && resolveSandboxSettings(input, id).mode === "off") paths.push(`agents.list[${i}].sandbox.docker`);
  });
  for (const [key, e] of Object.entries(obj(agents.entries))) if (hasKeys(obj(obj(e).sandbox).docker) && resolveSandboxSettings(input, key).mode === "off") paths.push(`agents.entries.${key}.sandbox.docker`);
  if (paths.length > 0) {
    out.push({
      checkId: "sandbox.docker_config_mode_off",
      severity: "warn",
      title: "Sandbox docker settings configured while sandbox mode is off",
      detail: `These docker settings take effect only with the sandbox on: ${paths.join(", ")}.`,
      remediation: 'Enable sandbox mode (agents.defaults.sandbox.mode "non-main" or "all") where needed, or remove the unused docker settings.',
    });
  }
  return out;
}
