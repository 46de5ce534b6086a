/**
 * The model catalog: a small built-in table of well-known Anthropic and OpenAI models (context
 * window, output limit, input modalities) merged with `models.providers.<id>.models[]` from config
 * (config wins field by field). One place for `models.list` (RPC), `openclaw models list` and the
 * context window the turn engine compacts against.
 */
import { type ModelConfig, parseModelRef, resolveModelSelection } from "./model-ref.js";

/** One model as the catalog describes it. */
export interface CatalogModel {
  /** `provider/model`. */
  key: string;
  id: string;
  provider: string;
  name: string;
  contextWindow: number;
  maxTokens: number;
  input: Array<"text" | "image">;
  reasoning: boolean;
  /** Where the row came from: the built-in table, config, or both. */
  source: "builtin" | "config" | "builtin+config";
}

/** Context window assumed when neither the catalog nor config knows the model. */
export const DEFAULT_CONTEXT_WINDOW = 200_000;
const DEFAULT_MAX_TOKENS = 8192;

type Builtin = Omit<CatalogModel, "key" | "source">;
const m = (provider: string, id: string, name: string, contextWindow: number, maxTokens: number, image: boolean, reasoning: boolean): Builtin => ({
  provider,
  id,
  name,
  contextWindow,
  maxTokens,
  input: image ? ["text", "image"] : ["text"],
  reasoning,
});

const BUILTIN_MODELS: readonly Builtin[] = [
  m("anthropic", "claude-opus-4-6", "Claude Opus 4.6", 200_000, 128_000, true, true),
  m("anthropic", "claude-sonnet-4-6", "Claude Sonnet 4.6", 200_000, 64_000, true, true),
  m("anthropic", "claude-opus-4-5", "Claude Opus 4.5", 200_000, 64_000, true, true),
  m("anthropic", "claude-sonnet-4-5", "Claude Sonnet 4.5", 200_000, 64_000, true, true),
  m("anthropic", "claude-haiku-4-5", "Claude Haiku 4.5", 200_000, 64_000, true, true),
  m("openai", "gpt-5", "GPT-5", 400_000, 128_000, true, true),
  m("openai", "gpt-5-mini", "GPT-5 mini", 400_000, 128_000, true, true),
  m("openai", "gpt-5-nano", "GPT-5 nano", 400_000, 128_000, true, true),
  m("openai", "gpt-4.1", "GPT-4.1", 1_047_576, 32_768, true, false),
  m("openai", "gpt-4o", "GPT-4o", 128_000, 16_384, true, false),
  m("openai", "gpt-4o-mini", "GPT-4o mini", 128_000, 16_384, true, false),
];

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const posInt = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined);

function inputOf(v: unknown): Array<"text" | "image"> | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = v.filter((x): x is "text" | "image" => x === "text" || x === "image");
  return out.length ? out : undefined;
}

/** The built-in rows (a copy). */
export function builtinCatalog(): CatalogModel[] {
  return BUILTIN_MODELS.map((b) => ({ ...b, input: [...b.input], key: `${b.provider}/${b.id}`, source: "builtin" }));
}

/** Built-in rows merged with `models.providers.<id>.models[]` (config fields win). */
export function resolveModelCatalog(config: ModelConfig): CatalogModel[] {
  const rows = new Map<string, CatalogModel>(builtinCatalog().map((r) => [r.key, r]));
  for (const [provider, p] of Object.entries(obj(obj(config.models).providers))) {
    for (const raw of Array.isArray(obj(p).models) ? (obj(p).models as unknown[]) : []) {
      const md = obj(raw);
      if (typeof md.id !== "string" || !md.id) continue;
      const key = `${provider}/${md.id}`;
      const base = rows.get(key);
      rows.set(key, {
        key,
        id: md.id,
        provider,
        name: typeof md.name === "string" && md.name ? md.name : (base?.name ?? md.id),
        contextWindow: posInt(md.contextWindow) ?? base?.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
        maxTokens: posInt(md.maxTokens) ?? base?.maxTokens ?? DEFAULT_MAX_TOKENS,
        input: inputOf(md.input) ?? base?.input ?? ["text"],
        reasoning: typeof md.reasoning === "boolean" ? md.reasoning : (base?.reasoning ?? false),
        source: base ? "builtin+config" : "config",
      });
    }
  }
  return [...rows.values()];
}

/** The catalog row for a `provider/model` ref (or alias), if known. */
export function findCatalogModel(config: ModelConfig, ref: string): CatalogModel | undefined {
  let key: string;
  try {
    const parsed = parseModelRef(ref, config);
    key = `${parsed.provider}/${parsed.model}`;
  } catch {
    return undefined;
  }
  return resolveModelCatalog(config).find((r) => r.key === key);
}

/**
 * The context window (tokens) of a model: `agents.defaults.contextTokens` caps it when set; then
 * the catalog (config entry over built-in); else 200k.
 */
export function contextWindowOf(config: ModelConfig, ref: string): number {
  const window = findCatalogModel(config, ref)?.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  const cap = posInt(obj(obj(config.agents).defaults).contextTokens);
  return cap ? Math.min(cap, window) : window;
}

/** Which rows a `models.list` view shows. */
export type CatalogView = "default" | "configured" | "all";

/**
 * The rows for a view: `all` is the whole catalog; `configured` the default, fallbacks,
 * `agents.defaults.models` entries and config-declared models; `default` is the allowlist
 * (`agents.defaults.models`) when one is set, else the whole catalog.
 */
export function listCatalog(config: ModelConfig, view: CatalogView = "default", agentId?: string): CatalogModel[] {
  const catalog = resolveModelCatalog(config);
  if (view === "all") return catalog;
  const allow = Object.keys(obj(obj(obj(config.agents).defaults).models));
  if (view === "default" && allow.length === 0) return catalog;
  const sel = resolveModelSelection(config, agentId);
  const wanted = new Set<string>();
  for (const ref of view === "configured" ? [sel.primary, ...sel.fallbacks, ...allow] : allow) {
    try {
      const p = parseModelRef(ref, config);
      wanted.add(`${p.provider}/${p.model}`);
    } catch {
      // a bad ref in config is reported by `models status`, not here
    }
  }
  const rows = catalog.filter((r) => wanted.has(r.key) || (view === "configured" && r.source !== "builtin"));
  // A configured ref the catalog does not know still gets a row (with the default window).
  for (const key of wanted) {
    if (rows.some((r) => r.key === key)) continue;
    const slash = key.indexOf("/");
    rows.push({ key, id: key.slice(slash + 1), provider: key.slice(0, slash), name: key.slice(slash + 1), contextWindow: DEFAULT_CONTEXT_WINDOW, maxTokens: DEFAULT_MAX_TOKENS, input: ["text"], reasoning: false, source: "config" });
  }
  return rows;
}

