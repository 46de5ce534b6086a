/**
 * `openclaw models list [--all] [--provider <id>] [--json] [--plain]` — the configured models (the
 * default, fallbacks and `agents.defaults.models`), with `--all` the whole model catalog (built-in
 * table plus `models.providers.*.models`); each row says whether its provider has a usable credential.
 */
import { LOCAL_PROVIDERS, parseModelRef, resolveAuthCandidates, resolveModelCatalog, resolveModelSelection, resolveProviderSettings } from "../../../agent/index.js";
import type { CommandHandler } from "../../types.js";
import { loadModelsContext } from "./common.js";

interface Row {
  key: string;
  name: string;
  provider: string;
  input: string;
  contextWindow: number | null;
  local: boolean;
  available: boolean;
  tags: string[];
  missing: boolean;
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export const run: CommandHandler = (ctx) => {
  const m = loadModelsContext(ctx);
  const store = m.loadStore();
  const sel = resolveModelSelection(m.config, ctx.options.agent === undefined ? undefined : m.location.agentId);
  const only = typeof ctx.options.provider === "string" ? ctx.options.provider.toLowerCase() : undefined;
  const rows = new Map<string, Row>();
  const catalog = new Map(resolveModelCatalog(m.config).map((r) => [r.key, r]));
  const availability = new Map<string, boolean>();
  const available = (provider: string): boolean => {
    if (!availability.has(provider)) {
      let ok = false;
      try {
        const settings = resolveProviderSettings(m.config, provider, ctx.env);
        ok = resolveAuthCandidates({ provider, store, authConfig: obj(m.config.auth), configApiKey: settings.apiKey, env: ctx.env, now: Date.now() }).length > 0;
      } catch {
        ok = false;
      }
      availability.set(provider, ok);
    }
    return availability.get(provider)!;
  };
  const add = (ref: string, tag?: string) => {
    let key: string;
    let provider: string;
    try {
      const parsed = parseModelRef(ref, m.config);
      key = `${parsed.provider}/${parsed.model}`;
      provider = parsed.provider;
    } catch {
      return;
    }
    if (only && provider !== only) return;
    const meta = catalog.get(key);
    const row = rows.get(key) ?? {
      key,
      name: meta?.name ?? key.slice(provider.length + 1),
      provider,
      input: meta?.input.join("+") ?? "text",
      contextWindow: meta?.contextWindow ?? null,
      local: LOCAL_PROVIDERS.has(provider) || /^https?:\/\/(127\.|localhost|\[::1\])/.test(String(obj(obj(obj(m.config.models).providers)[provider]).baseUrl ?? "")),
      available: available(provider),
      tags: [],
      missing: false,
    };
    if (tag && !row.tags.includes(tag)) row.tags.push(tag);
    rows.set(key, row);
  };
  add(sel.primary, "default");
  for (const [i, f] of sel.fallbacks.entries()) add(f, `fallback#${i + 1}`);
  for (const [ref, e] of Object.entries(obj(obj(obj(m.config.agents).defaults).models))) add(ref, typeof obj(e).alias === "string" ? `alias:${obj(e).alias}` : "configured");
  if (ctx.options.all === true || only) for (const key of catalog.keys()) add(key);
  const models = [...rows.values()];
  if (ctx.options.plain === true) return { data: { count: models.length, models }, human: models.map((r) => r.key) };
  const human = models.length === 0 ? ["No models configured."] : [`${"Model".padEnd(44)} ${"Input".padEnd(10)} ${"Ctx".padEnd(8)} ${"Local".padEnd(5)} ${"Auth".padEnd(5)} Tags`];
  for (const r of models) human.push(`${r.key.padEnd(44)} ${r.input.padEnd(10)} ${String(r.contextWindow ?? "-").padEnd(8)} ${(r.local ? "yes" : "no").padEnd(5)} ${(r.available ? "yes" : "no").padEnd(5)} ${r.tags.join(",")}`);
  return { data: { count: models.length, models }, human };
};
