/**
 * `openclaw sessions [list] [--agent <id>|--all-agents] [--active <min>] [--limit <n|all>] [--json]`:
 * the stored sessions, newest first, read from `sessions.json` (never written). The `--json`
 * shape is OpenClaw's: `{ path, stores?, allAgents?, count, totalCount, limitApplied, hasMore,
 * activeMinutes, sessions: [{ key, kind, agentId, sessionId, updatedAt, ageMs, …, model }] }`.
 */
import { buildSessionRows } from "../../../agent/index.js";
import { AppError } from "../../../shared/index.js";
import { loadSessionStore } from "../../../storage/index.js";
import type { CommandHandler } from "../../types.js";
import { renderAge, renderTokens, resolveSessionsContext } from "./common.js";

type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** The model a session without its own uses: the agent's `model`, else `agents.defaults.model` (string or `{ primary }`). */
function defaultModel(agents: Obj, agentId: string): { provider?: string; model?: string } {
  const list = Array.isArray(agents.list) ? (agents.list as unknown[]) : [];
  const listed = list.find((a): a is Obj => !!a && typeof a === "object" && (a as Obj).id === agentId);
  const entry = listed ?? ((agents.entries as Obj | undefined)?.[agentId] as Obj | undefined);
  const refOf = (m: unknown) => (typeof m === "string" ? m : m && typeof m === "object" ? str((m as Obj).primary) : undefined);
  const ref = refOf(entry?.model) ?? refOf((agents.defaults as Obj | undefined)?.model);
  if (!ref) return {};
  const slash = ref.indexOf("/");
  return slash > 0 ? { provider: ref.slice(0, slash), model: ref.slice(slash + 1) } : { model: ref };
}

export const run: CommandHandler = (ctx) => {
  const sc = resolveSessionsContext(ctx);
  const now = Date.now();
  const active = ctx.options.active;
  if (active !== undefined && (typeof active !== "number" || !Number.isFinite(active) || active <= 0)) throw new AppError("USAGE", "--active needs a positive number of minutes", { hint: "e.g. openclaw sessions --active 120" });
  const limitRaw = ctx.options.limit;
  let limit: number | undefined = 100;
  if (limitRaw === "all") limit = undefined;
  else if (limitRaw !== undefined) {
    const n = Number(limitRaw);
    if (!Number.isInteger(n) || n <= 0) throw new AppError("USAGE", `--limit must be a positive integer or "all" (got ${JSON.stringify(limitRaw)})`, { hint: "e.g. openclaw sessions --limit 25" });
    limit = n;
  }
  const since = typeof active === "number" ? now - active * 60_000 : undefined;
  const warnings: string[] = [];
  const all = sc.targets.flatMap((t) => {
    const store = loadSessionStore(t.storePath);
    if (store.problem) warnings.push(`${t.storePath}: ${store.problem}`);
    return buildSessionRows(store.entries, { agentId: t.agentId, now, ...(since !== undefined ? { activeSince: since } : {}), fallbackModel: (id) => defaultModel(sc.agents, id) });
  });
  for (const w of warnings) ctx.warn(`warning: ${w}`);
  all.sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0));
  const sessions = limit === undefined ? all : all.slice(0, limit);
  const aggregate = sc.targets.length > 1 || ctx.options["all-agents"] === true;
  const data = {
    path: aggregate ? null : sc.targets[0]!.storePath,
    ...(aggregate ? { stores: sc.targets.map((t) => ({ agentId: t.agentId, path: t.storePath })) } : {}),
    ...(ctx.options["all-agents"] === true ? { allAgents: true } : {}),
    count: sessions.length,
    totalCount: all.length,
    limitApplied: limit ?? null,
    hasMore: sessions.length < all.length,
    activeMinutes: typeof active === "number" ? active : null,
    sessions,
  };
  const human: string[] = [aggregate ? `Session stores: ${sc.targets.length} (${sc.targets.map((t) => t.agentId).join(", ")})` : `Session store: ${sc.targets[0]!.storePath}`];
  human.push(data.hasMore ? `Sessions listed: ${sessions.length} of ${all.length} (limit ${limit})` : `Sessions listed: ${sessions.length}`);
  if (typeof active === "number") human.push(`Filtered to last ${active} minute(s)`);
  if (!sessions.length) human.push("No sessions found.");
  else {
    const rows = sessions.map((s) => [s.kind as string, s.key as string, renderAge(s.ageMs as number | null), String(s.model ?? "unknown"), renderTokens(s.totalTokens as number | null)]);
    const head = ["Kind", "Key", "Age", "Model", "Tokens"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
    human.push("", line(head), ...rows.map(line));
  }
  return { data, human };
};
