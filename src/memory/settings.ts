/**
 * One agent's memory settings, resolved from config and env. OpenClaw has kept these knobs in two
 * places over time: `agents.defaults.memorySearch` (and `agents.list[].memorySearch`) and, in
 * 2026.9, `memory.search` (and `agents.entries.<id>.memory.search`). Both are read; later and more
 * specific blocks win key by key: agents.defaults.memorySearch < memory.search < the agent's own.
 * Nothing here opens a file.
 */
import path from "node:path";
import type { OpenClawConfig } from "../config/index.js";
import type { Env } from "../infra/index.js";
import { expandUserPath } from "../infra/index.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);
const num = (v: unknown, min: number, max: number): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= min && v <= max ? v : undefined);

/** ~400 tokens per chunk with 80 tokens of overlap (OpenClaw's builtin engine). */
export const DEFAULT_CHUNK_TOKENS = 400;
export const DEFAULT_CHUNK_OVERLAP = 80;
export const DEFAULT_MAX_RESULTS = 6;
export const DEFAULT_MIN_SCORE = 0.35;
/** How long one embedding request may take before it is retried (and, after the last try, a stall error). */
export const DEFAULT_EMBED_TIMEOUT_MS = 60_000;

/** An OpenAI-compatible `/v1/embeddings` endpoint. */
export interface EmbeddingSettings {
  /** The provider id as configured (`openai`, `ollama`, `openai-compatible`, a `models.providers` id, …). */
  id: string;
  model: string;
  /** Base URL ending before `/embeddings` (e.g. `https://api.openai.com/v1`). */
  baseUrl: string;
  /** The key (a secret: never logged, never in status or identity). */
  apiKey?: string;
  headers?: Record<string, string>;
  /** Per request; env OPENCLAW_MEMORY_EMBED_TIMEOUT_SECONDS overrides. */
  timeoutMs: number;
  /** Texts per request. */
  batchSize: number;
  /** Tries per request (timeouts, 429 and 5xx are retried). */
  maxAttempts: number;
  /** `outputDimensionality` / `dimensions` when configured. */
  dimensions?: number;
}

export interface MemorySettings {
  agentId: string;
  enabled: boolean;
  workspace: string;
  /** The index database (`store.path` with `{agentId}`, else `<stateDir>/memory/<agentId>.sqlite`). */
  dbPath: string;
  extraPaths: Array<{ path: string; pattern?: string }>;
  chunking: { tokens: number; overlap: number };
  tokenizer: "unicode61" | "trigram";
  vector: { enabled: boolean; extensionPath?: string };
  query: { maxResults: number; minScore: number; vectorWeight: number; textWeight: number; candidateMultiplier: number };
  cache: boolean;
  /** Undefined: keyword search only (`providerNote` says why). */
  provider?: EmbeddingSettings;
  /** Why there is no provider, or why the configured one cannot work (missing key, unsupported id). */
  providerNote?: string;
  /** True when the configured provider is explicit but unusable (search warns; index fails). */
  providerBroken?: boolean;
}

function merge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = v && typeof v === "object" && !Array.isArray(v) && out[k] && typeof out[k] === "object" && !Array.isArray(out[k]) ? merge(out[k] as Obj, v as Obj) : v;
  }
  return out;
}

/** The merged memory-search block for an agent (raw values, before defaults). */
export function memorySearchBlock(config: OpenClawConfig, agentId: string, entry: Obj = {}): Obj {
  const c = config as Obj;
  const agents = obj(c.agents);
  const entries = obj(agents.entries);
  const entriesEntry = obj(entries[agentId]);
  return [obj(obj(agents.defaults).memorySearch), obj(obj(c.memory).search), obj(entry.memorySearch), obj(obj(entry.memory).search), obj(entriesEntry.memorySearch), obj(obj(entriesEntry.memory).search)].reduce(merge, {});
}

/** Providers with an OpenAI-compatible embeddings endpoint: default base URL, model and key env var. */
const KNOWN: Record<string, { baseUrl: string; model: string; env?: string; keyOptional?: boolean }> = {
  openai: { baseUrl: "https://api.openai.com/v1", model: "text-embedding-3-small", env: "OPENAI_API_KEY" },
  ollama: { baseUrl: "http://127.0.0.1:11434/v1", model: "nomic-embed-text", env: "OLLAMA_API_KEY", keyOptional: true },
  gemini: { baseUrl: "https://generativelanguage.googleapis.com/v1beta/openai", model: "gemini-embedding-001", env: "GEMINI_API_KEY" },
  mistral: { baseUrl: "https://api.mistral.ai/v1", model: "mistral-embed", env: "MISTRAL_API_KEY" },
  voyage: { baseUrl: "https://api.voyageai.com/v1", model: "voyage-3.5", env: "VOYAGE_API_KEY" },
  deepinfra: { baseUrl: "https://api.deepinfra.com/v1/openai", model: "BAAI/bge-m3", env: "DEEPINFRA_API_KEY" },
};
const PROVIDER_CONFIG_ID: Record<string, string> = { gemini: "google" };

function withV1(baseUrl: string, id: string): string {
  const u = baseUrl.replace(/\/+$/, "");
  // Ollama's native root (http://host:11434) serves the OpenAI-compatible API under /v1.
  return id === "ollama" && !/\/v1$/.test(u) ? `${u}/v1` : u;
}

function resolveProvider(block: Obj, config: OpenClawConfig, env: Env): Pick<MemorySettings, "provider" | "providerNote" | "providerBroken"> {
  const raw = str(block.provider)?.toLowerCase();
  if (raw === "none") return { providerNote: "memory.search.provider is none: keyword search only" };
  const explicit = raw !== undefined && raw !== "auto";
  const id = explicit ? raw! : "openai";
  const remote = obj(block.remote);
  const providers = obj(obj((config as Obj).models).providers);
  const custom = obj(providers[id] ?? providers[PROVIDER_CONFIG_ID[id] ?? ""]);
  const known = KNOWN[id];
  const compatible = id === "openai-compatible";
  if (!known && !compatible && !str(custom.baseUrl) && !str(remote.baseUrl)) {
    return { providerNote: `memory.search.provider ${id} is not supported by this gateway (it speaks OpenAI-compatible /v1/embeddings: openai, ollama, gemini, mistral, voyage, deepinfra, openai-compatible or a models.providers entry with a baseUrl); keyword search only`, providerBroken: true };
  }
  const baseUrl = str(remote.baseUrl) ?? str(custom.baseUrl) ?? known?.baseUrl;
  if (!baseUrl) return { providerNote: "memory.search.provider openai-compatible needs memory.search.remote.baseUrl; keyword search only", providerBroken: true };
  const apiKey = str(remote.apiKey) ?? str(custom.apiKey) ?? (known?.env ? str(env[known.env]) : undefined);
  if (!apiKey && !known?.keyOptional && !compatible) {
    if (!explicit) return { providerNote: "no embedding provider (set OPENAI_API_KEY, or memory.search.provider and its key): keyword search only" };
    return { providerNote: `memory.search.provider ${id} has no API key (set ${known?.env ?? `models.providers.${id}.apiKey`} or memory.search.remote.apiKey, or provider: none for keyword-only search)`, providerBroken: true };
  }
  const headers = Object.fromEntries(Object.entries({ ...obj(custom.headers), ...obj(remote.headers) }).filter((e): e is [string, string] => typeof e[1] === "string"));
  const envTimeout = Number(env.OPENCLAW_MEMORY_EMBED_TIMEOUT_SECONDS);
  const dims = num(block.outputDimensionality, 1, 65536);
  return {
    provider: {
      id,
      model: str(block.model) ?? known?.model ?? "text-embedding-3-small",
      baseUrl: withV1(baseUrl, id),
      ...(apiKey ? { apiKey } : {}),
      ...(Object.keys(headers).length ? { headers } : {}),
      timeoutMs: Number.isFinite(envTimeout) && envTimeout > 0 ? Math.round(envTimeout * 1000) : DEFAULT_EMBED_TIMEOUT_MS,
      batchSize: num(obj(remote.batch).size, 1, 2048) ?? 64,
      maxAttempts: 3,
      ...(dims ? { dimensions: Math.floor(dims) } : {}),
    },
  };
}

/** Where an agent's index lives. */
export function memoryDbPath(block: Obj, agentId: string, memoryDir: string, env: Env): string {
  const custom = str(obj(block.store).path);
  return custom ? path.resolve(expandUserPath(custom.replaceAll("{agentId}", agentId), env)) : path.join(memoryDir, `${agentId}.sqlite`);
}

/** Resolves one agent's memory settings. `agent` is the resolved agent (id, workspace, raw entry). */
export function resolveMemorySettings(options: { config: OpenClawConfig; agent: { id: string; workspace: string; entry?: Obj }; memoryDir: string; env: Env }): MemorySettings {
  const { config, agent, env } = options;
  const block = memorySearchBlock(config, agent.id, agent.entry);
  const store = obj(block.store);
  const chunking = obj(block.chunking);
  const query = obj(block.query);
  const hybrid = obj(query.hybrid);
  const tokens = Math.floor(num(chunking.tokens, 32, 8192) ?? DEFAULT_CHUNK_TOKENS);
  const overlap = Math.min(Math.floor(num(chunking.overlap, 0, 4096) ?? DEFAULT_CHUNK_OVERLAP), Math.floor(tokens / 2));
  let vw = num(hybrid.vectorWeight, 0, 1) ?? 0.7;
  let tw = num(hybrid.textWeight, 0, 1) ?? 0.3;
  if (vw + tw === 0) [vw, tw] = [0.7, 0.3];
  const extraPaths: MemorySettings["extraPaths"] = [];
  for (const e of Array.isArray(block.extraPaths) ? block.extraPaths : []) {
    const p = typeof e === "string" ? str(e) : str(obj(e).path);
    if (!p) continue;
    const abs = path.resolve(agent.workspace, expandUserPath(p, env));
    const pattern = typeof e === "object" ? str(obj(e).pattern) : undefined;
    extraPaths.push({ path: abs, ...(pattern ? { pattern } : {}) });
  }
  const enabled = block.enabled !== false && str(obj(obj((config as Obj).plugins).slots).memory) !== "none";
  return {
    agentId: agent.id,
    enabled,
    workspace: agent.workspace,
    dbPath: memoryDbPath(block, agent.id, options.memoryDir, env),
    extraPaths,
    chunking: { tokens, overlap },
    tokenizer: str(obj(store.fts).tokenizer) === "trigram" ? "trigram" : "unicode61",
    vector: { enabled: obj(store.vector).enabled !== false, ...(str(obj(store.vector).extensionPath) ? { extensionPath: str(obj(store.vector).extensionPath)! } : {}) },
    query: {
      maxResults: Math.floor(num(query.maxResults, 1, 1000) ?? DEFAULT_MAX_RESULTS),
      minScore: num(query.minScore, 0, 1) ?? DEFAULT_MIN_SCORE,
      vectorWeight: vw / (vw + tw),
      textWeight: tw / (vw + tw),
      candidateMultiplier: Math.floor(num(hybrid.candidateMultiplier, 1, 50) ?? 4),
    },
    cache: obj(block.cache).enabled !== false,
    ...(enabled ? resolveProvider(block, config, env) : {}),
  };
}
