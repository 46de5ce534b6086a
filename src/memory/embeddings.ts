/**
 * Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, Gemini's and
 * Mistral's compatible APIs, any compatible server) through the `openai` SDK, loaded on first use.
 * Each request has the configured timeout and the SDK's retries (timeouts, 429 with its
 * retry-after, 5xx); when the last try fails the caller gets a MEMORY_EMBEDDING error that says
 * which batch, never a silent stop. The API key never appears in errors or identities.
 */
import { createHash } from "node:crypto";
import { AppError } from "../shared/index.js";
import type { EmbeddingSettings } from "./settings.js";

export interface Embedder {
  readonly settings: EmbeddingSettings;
  /** `provider|model|endpoint|dims?`: the embedding cache key and the index identity (no secret). */
  readonly key: string;
  /** One vector per text, in order. */
  embed(texts: string[], options: { signal?: AbortSignal; label: string; timeoutMs?: number; maxAttempts?: number }): Promise<Float32Array[]>;
}

/** The endpoint without credentials or query (what an identity may show). */
export function endpointOf(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    return baseUrl.replace(/[?#].*$/, "");
  }
}

export function embedderKey(s: EmbeddingSettings): string {
  return [s.id, s.model, endpointOf(s.baseUrl), s.dimensions ?? ""].join("|");
}

type OpenAIClient = import("openai").OpenAI;
const clients = new Map<string, OpenAIClient>();

async function client(s: EmbeddingSettings, timeoutMs: number, maxRetries: number): Promise<OpenAIClient> {
  const secret = createHash("sha256").update(s.apiKey ?? "").digest("hex").slice(0, 16);
  const k = JSON.stringify([s.baseUrl, secret, s.headers ?? {}, timeoutMs, maxRetries]);
  const hit = clients.get(k);
  if (hit) return hit;
  const { OpenAI } = await import("openai");
  const c = new OpenAI({ apiKey: s.apiKey || "none", baseURL: s.baseUrl, timeout: timeoutMs, maxRetries, ...(s.headers ? { defaultHeaders: s.headers } : {}) });
  clients.set(k, c);
  return c;
}

function describe(e: unknown, s: EmbeddingSettings): string {
  const status = (e as { status?: unknown }).status;
  const name = (e as Error)?.constructor?.name ?? "Error";
  let msg = ((e as Error)?.message ?? String(e)).split("\n")[0]!;
  if (s.apiKey) msg = msg.split(s.apiKey).join("***");
  if (name === "APIConnectionTimeoutError" || /timed out/i.test(msg)) return `timed out`;
  return typeof status === "number" ? `HTTP ${status}: ${msg}` : msg;
}

const seconds = (ms: number) => `${ms < 10_000 ? Number((ms / 1000).toFixed(1)) : Math.round(ms / 1000)} s`;

export function createEmbedder(settings: EmbeddingSettings): Embedder {
  const key = embedderKey(settings);
  return {
    settings,
    key,
    async embed(texts, o) {
      if (texts.length === 0) return [];
      const timeoutMs = o.timeoutMs ?? settings.timeoutMs;
      const attempts = o.maxAttempts ?? settings.maxAttempts;
      const c = await client(settings, timeoutMs, attempts - 1);
      try {
        const r = await c.embeddings.create(
          { model: settings.model, input: texts, encoding_format: "float", ...(settings.dimensions ? { dimensions: settings.dimensions } : {}) },
          o.signal ? { signal: o.signal } : {},
        );
        const out: Float32Array[] = new Array(texts.length);
        for (const d of r.data) {
          if (typeof d.index === "number" && d.index >= 0 && d.index < texts.length && Array.isArray(d.embedding)) out[d.index] = Float32Array.from(d.embedding as number[]);
        }
        if (out.some((v) => v === undefined) || out.length !== texts.length) throw new Error(`the provider answered ${r.data.length} vectors for ${texts.length} texts`);
        const dims = out[0]!.length;
        if (out.some((v) => v.length !== dims) || dims === 0) throw new Error("the provider answered vectors of different sizes");
        return out;
      } catch (e) {
        if (o.signal?.aborted) throw new AppError("INTERRUPTED", `${o.label}: interrupted`);
        const what = describe(e, settings);
        const status = (e as { status?: unknown }).status;
        const hint =
          status === 401 || status === 403
            ? `Check the embedding API key for ${settings.id} (memory.search.remote.apiKey or its env var).`
            : status === 404
              ? `Check memory.search.model (${settings.model}) and the endpoint ${endpointOf(settings.baseUrl)}.`
              : `Check that ${endpointOf(settings.baseUrl)} is reachable; rerun the same command to resume (committed work is kept). OPENCLAW_MEMORY_EMBED_TIMEOUT_SECONDS raises the per-request timeout (now ${seconds(timeoutMs)}).`;
        throw new AppError("MEMORY_EMBEDDING", `${o.label}: ${settings.id}/${settings.model} ${what}${what === "timed out" ? ` after ${seconds(timeoutMs)}` : ""} (${attempts} attempt${attempts === 1 ? "" : "s"})`, { hint });
      }
    },
  };
}
