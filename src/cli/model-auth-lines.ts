/**
 * Model auth per agent as text lines, shared by `status` and `health`: the default model, each
 * provider's state and source, cooldowns, expiring logins, and each problem with its fix. Reads
 * the secret-free `AgentModelAuth` shape (loosely, since `health` gets it over the wire).
 */

type Loose = Record<string, unknown>;
const isObj = (v: unknown): v is Loose => v !== null && typeof v === "object" && !Array.isArray(v);
const list = (v: unknown): Loose[] => (Array.isArray(v) ? v.filter(isObj) : []);

function remaining(iso: unknown, now: number): string {
  const t = typeof iso === "string" ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(t)) return "?";
  const ms = t - now;
  if (ms <= 0) return `expired ${iso as string}`;
  const h = ms / 3_600_000;
  return h < 1 ? `${Math.ceil(ms / 60_000)}m left` : h < 48 ? `${Math.round(h)}h left` : `${Math.round(h / 24)}d left`;
}

/** Lines for one agent's model auth, indented by `indent`. */
export function renderModelAuthLines(auth: unknown, now: number, indent = "  "): string[] {
  if (!isObj(auth)) return [];
  const providers = list(auth.providers).map((p) => `${String(p.provider)} ${String(p.status)}${typeof p.source === "string" && p.source !== "none" ? ` (${p.source})` : ""}`);
  const lines = [`${indent}Model auth (${String(auth.agentId)}): ${String(auth.defaultModel)} · ${providers.length ? providers.join(" · ") : "no providers"}`];
  for (const c of list(auth.cooldowns)) lines.push(`${indent}  ${String(c.profileId)} ${String(c.kind)}${c.reason ? ` (${String(c.reason)})` : ""} until ${String(c.until)}`);
  for (const e of list(auth.expiring)) lines.push(`${indent}  ${String(e.profileId)} ${String(e.type)} ${String(e.status)} — ${remaining(e.expiresAt, now)}`);
  for (const p of Array.isArray(auth.problems) ? auth.problems : []) lines.push(`${indent}  problem: ${String(p)}`);
  return lines;
}
