/**
 * A loopback embeddings server speaking OpenAI's `POST /v1/embeddings` wire format (also answered at
 * `/embeddings`, for a base URL that already ends in `/v1`), for tests and benches that go through
 * the real `openai` SDK or any OpenAI-compatible client. Float and base64 (little-endian float32)
 * encodings, OpenAI's error shape, and controls for failures, hangs and per-model dimensions.
 *
 * The vectors are deterministic and "semantic enough for tests": words map to concepts through a
 * small synonym table (car/automobile/vehicle…), other words to a hashed bucket, and the
 * bag-of-concepts is projected (seeded by the model name, so switching models is detectable) into
 * the model's dimension and L2-normalised. See {@link embedText}.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

/** Default dimension of every model unless `setDimensions` or the request's `dimensions` says otherwise. */
export const DEFAULT_FAKE_DIMENSIONS = 64;

/**
 * Synonym groups: every word of a group (and its listed inflections) is one concept. The first word
 * names the concept.
 */
const SYNONYM_GROUPS: readonly string[] = [
  "car cars automobile automobiles vehicle vehicles sedan sedans auto autos",
  "dog dogs puppy puppies canine canines hound hounds",
  "cat cats kitten kittens feline felines kitty",
  "doctor doctors physician physicians medic medics clinician",
  "buy buys bought buying purchase purchased purchases purchasing acquire acquired acquiring",
  "sell sells sold selling vend",
  "house houses home homes residence residences dwelling dwellings",
  "fast quick quickly rapid rapidly speedy swift",
  "slow slowly sluggish unhurried",
  "big large huge enormous giant massive",
  "small little tiny minor compact",
  "happy glad joyful cheerful pleased",
  "sad unhappy sorrowful gloomy upset",
  "begin begins began beginning start starts started starting commence",
  "end ends ended finish finished finishing stop stopped conclude",
  "money cash funds payment payments",
  "job jobs work career occupation employment",
  "meeting meetings call calls sync standup",
  "error errors bug bugs fault faults defect defects failure",
  "fix fixes fixed fixing repair repaired patch patched",
  "trip trips journey journeys travel travelled traveled vacation holiday",
  "food meal meals dinner lunch breakfast",
  "child children kid kids youngster",
  "talk talked speak spoke spoken say said chat",
  "picture pictures photo photos image images photograph",
  "smart clever intelligent bright",
  "password passwords passphrase credential credentials secret",
  "server servers host hosts machine machines",
  "remember remembered recall recalled memorize memory memories",
  "idea ideas concept concepts notion",
  "boss manager supervisor lead",
  "medicine medication drug drugs pill pills",
];

const CONCEPT_OF = new Map<string, string>();
for (const group of SYNONYM_GROUPS) {
  const words = group.split(" ");
  for (const word of words) CONCEPT_OF.set(word, `concept:${words[0]}`);
}

/** Words that carry no meaning for the fake (they would otherwise dominate short texts). */
const STOPWORDS = new Set(
  "a an the i me my we our you your he she it its they them their this that these those is are was were be been being am do does did of to in on at by for with from as and or but not no so if then than too very just also about into over under again all any some new".split(
    " ",
  ),
);

/** FNV-1a 32-bit. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A light stemmer so unlisted inflections of a listed word still fold. */
function stemConcept(word: string): string | undefined {
  for (const suffix of ["ing", "ed", "es", "s"]) {
    const concept = word.endsWith(suffix) ? CONCEPT_OF.get(word.slice(0, -suffix.length)) : undefined;
    if (concept) return concept;
  }
  return undefined;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** The concept keys of a text: synonyms folded, stopwords dropped, CJK runs as character bigrams. */
export function conceptsOf(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (CJK.test(raw)) {
      const chars = [...raw];
      if (chars.length === 1) out.push(`word:${raw}`);
      for (let i = 0; i + 1 < chars.length; i++) out.push(`word:${chars[i]}${chars[i + 1]}`);
      continue;
    }
    if (STOPWORDS.has(raw)) continue;
    out.push(CONCEPT_OF.get(raw) ?? stemConcept(raw) ?? `word:${raw}`);
  }
  return out;
}

/** Each concept lands on this many coordinates (a sparse random projection, seeded by the model). */
const SPREAD = 3;

/**
 * The embedding of `text` for `model` in `dims` dimensions: deterministic, L2-normalised, built from
 * the text's concepts (synonyms share a concept). A text with no concepts gets a fixed unit vector.
 */
export function embedText(model: string, text: string, dims = DEFAULT_FAKE_DIMENSIONS): number[] {
  if (!Number.isInteger(dims) || dims < 1) throw new RangeError(`embedText: dims must be a positive integer, got ${dims}`);
  const counts = new Map<string, number>();
  for (const concept of conceptsOf(text)) counts.set(concept, (counts.get(concept) ?? 0) + 1);
  if (counts.size === 0) counts.set("empty:", 1);
  const vector = new Array<number>(dims).fill(0);
  for (const [concept, count] of counts) {
    const weight = 1 + Math.log(count);
    for (let k = 0; k < SPREAD; k++) {
      const h = hash32(`${model}\u0000${k}\u0000${concept}`);
      vector[h % dims]! += (h & 0x80000000 ? -1 : 1) * weight;
    }
  }
  let norm = Math.hypot(...vector);
  if (norm === 0) {
    // Every coordinate cancelled out (possible at tiny dims): fall back to one seeded axis.
    vector[hash32(`${model}\u0000${text}`) % dims] = 1;
    norm = 1;
  }
  return vector.map((x) => x / norm);
}

/** Cosine similarity of two equal-length vectors. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * The hybrid-search case for these vectors: `paraphrase` answers `query` without sharing a word with
 * it (only the vectors can find it), `nearMiss` shares the keyword, twice, but means something else.
 */
export const PARAPHRASE_CASE = {
  query: "bought a car",
  paraphrase: "Purchased the new sedan.",
  nearMiss: "Car insurance forms for the car are due.",
} as const;

/** One request as the server saw it (never the key itself). */
export interface FakeEmbeddingsRequest {
  path: string;
  model: string | undefined;
  /** Number of inputs (1 for a string). */
  inputs: number;
  /** Total characters over all string inputs. */
  chars: number;
  encodingFormat: string | undefined;
  dimensions: number | undefined;
  /** Whether an `Authorization` header was sent at all. */
  authPresent: boolean;
  /** The status answered, or `"hung"`. */
  status: number | "hung";
}

/** How the server behaves from the start (controls on the returned object change it later). */
export interface FakeEmbeddingsOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (else 401). */
  apiKey?: string;
  /** Per-input token limit (tokens counted as ceil(chars / 4)); default 8192 like OpenAI's models. */
  maxInputTokens?: number;
}

/** A running fake embeddings server and its controls. */
export interface FakeEmbeddings {
  /** Base URL ending in `/v1` (give it to `new OpenAI({ baseURL })` or a config's baseUrl). */
  url: string;
  /** Requests seen so far, oldest first. */
  requests(): FakeEmbeddingsRequest[];
  /** The next `n` requests fail with `status` (429 carries `retry-after`, default 1 s). */
  failNext(n: number, status: number, opts?: { retryAfterSeconds?: number }): void;
  /** While on, requests are accepted and never answered; those stay open until `close()` destroys them. */
  hang(on: boolean): void;
  /** The dimension `model` answers with when the request names none. */
  setDimensions(model: string, n: number): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, { type: string; code: string | null }> = {
  400: { type: "invalid_request_error", code: null },
  401: { type: "invalid_request_error", code: "invalid_api_key" },
  404: { type: "invalid_request_error", code: "unknown_url" },
  413: { type: "invalid_request_error", code: null },
  429: { type: "requests", code: "rate_limit_exceeded" },
  500: { type: "server_error", code: null },
  503: { type: "server_error", code: null },
};

const MAX_BODY_BYTES = 64 * 2 ** 20;
const MAX_INPUTS = 2048;

class BadInput extends Error {
  constructor(
    message: string,
    readonly param: string | null,
  ) {
    super(message);
  }
}

function sendError(res: http.ServerResponse, status: number, message: string, param: string | null = null, headers: Record<string, string> = {}): void {
  const kind = ERROR_TYPES[status] ?? { type: status >= 500 ? "server_error" : "invalid_request_error", code: null };
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ error: { message, type: kind.type, param, code: kind.code } }));
}

const tokensOf = (text: string) => Math.ceil(text.length / 4);

/** Validates the body and returns the string inputs (token arrays and empty strings are rejected). */
function parseInputs(body: Record<string, unknown>, maxInputTokens: number): string[] {
  if (typeof body.model !== "string" || body.model === "") throw new BadInput("you must provide a model parameter", "model");
  const input = body.input;
  const list = typeof input === "string" ? [input] : input;
  if (!Array.isArray(list) || list.length === 0) throw new BadInput("'$.input' is invalid: expected a non-empty string or array of strings", "input");
  if (list.length > MAX_INPUTS) throw new BadInput(`'$.input' is too long: at most ${MAX_INPUTS} inputs per request, got ${list.length}`, "input");
  list.forEach((item, i) => {
    if (typeof item === "number" || Array.isArray(item)) throw new BadInput(`'$.input[${i}]' is a token array: this fake server embeds text only; send strings`, "input");
    if (typeof item !== "string" || item === "") throw new BadInput(`'$.input[${i}]' is invalid: expected a non-empty string`, "input");
    const tokens = tokensOf(item);
    if (tokens > maxInputTokens) throw new BadInput(`This model's maximum context length is ${maxInputTokens} tokens, however you requested ${tokens} tokens (input ${i}). Please reduce your prompt.`, "input");
  });
  return list as string[];
}

function encodeBase64(vector: number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) buf.writeFloatLE(vector[i]!, i * 4);
  return buf.toString("base64");
}

/** Starts the server on 127.0.0.1:0. */
export async function startFakeEmbeddings(options: FakeEmbeddingsOptions = {}): Promise<FakeEmbeddings> {
  const seen: FakeEmbeddingsRequest[] = [];
  const hung = new Set<http.ServerResponse>();
  const dimsOf = new Map<string, number>();
  const maxInputTokens = options.maxInputTokens ?? 8192;
  let failures: { left: number; status: number; retryAfterSeconds: number | undefined } | undefined;
  let hanging = false;

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer, record: FakeEmbeddingsRequest): number | "hung" => {
    if (hanging) {
      hung.add(res);
      res.on("close", () => hung.delete(res));
      return "hung";
    }
    if (failures && failures.left > 0) {
      failures.left--;
      const { status, retryAfterSeconds } = failures;
      const headers: Record<string, string> = {};
      if (retryAfterSeconds !== undefined || status === 429) headers["retry-after"] = String(retryAfterSeconds ?? 1);
      sendError(res, status, status === 429 ? "Rate limit reached for requests (fake)" : `The server had an error while processing your request (fake ${status})`, null, headers);
      return status;
    }
    if (options.apiKey !== undefined) {
      const bearer = /^Bearer (.*)$/.exec(String(req.headers.authorization ?? ""))?.[1];
      if (bearer !== options.apiKey) {
        // Like OpenAI, name the problem without echoing the credential (not even masked).
        sendError(res, 401, bearer ? "Incorrect API key provided." : "You didn't provide an API key. Send it as a bearer token in the Authorization header.");
        return 401;
      }
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw.toString("utf8"));
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      body = parsed as Record<string, unknown>;
    } catch {
      sendError(res, 400, "We could not parse the JSON body of your request. Send a JSON object.");
      return 400;
    }
    record.model = typeof body.model === "string" ? body.model : undefined;
    record.encodingFormat = typeof body.encoding_format === "string" ? body.encoding_format : undefined;
    record.dimensions = typeof body.dimensions === "number" ? body.dimensions : undefined;
    if (Array.isArray(body.input)) record.inputs = body.input.length;
    else if (body.input !== undefined) record.inputs = 1;
    try {
      const inputs = parseInputs(body, maxInputTokens);
      record.chars = inputs.reduce((n, s) => n + s.length, 0);
      const format = body.encoding_format ?? "float";
      if (format !== "float" && format !== "base64") throw new BadInput(`'$.encoding_format' must be "float" or "base64", got ${JSON.stringify(format)}`, "encoding_format");
      const model = body.model as string;
      let dims = dimsOf.get(model) ?? DEFAULT_FAKE_DIMENSIONS;
      if (body.dimensions !== undefined) {
        if (model.startsWith("text-embedding-ada")) throw new BadInput("This model does not support specifying dimensions.", "dimensions");
        if (!Number.isInteger(body.dimensions) || (body.dimensions as number) < 1 || (body.dimensions as number) > 4096) throw new BadInput("'$.dimensions' must be an integer between 1 and 4096", "dimensions");
        dims = body.dimensions as number;
      }
      const data = inputs.map((text, index) => {
        const vector = embedText(model, text, dims);
        return { object: "embedding", index, embedding: format === "base64" ? encodeBase64(vector) : vector };
      });
      const tokens = inputs.reduce((n, s) => n + tokensOf(s), 0);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } }));
      return 200;
    } catch (err) {
      if (!(err instanceof BadInput)) throw err;
      sendError(res, 400, err.message, err.param);
      return 400;
    }
  };

  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const record: FakeEmbeddingsRequest = { path, model: undefined, inputs: 0, chars: 0, encodingFormat: undefined, dimensions: undefined, authPresent: req.headers.authorization !== undefined, status: 404 };
    if (path !== "/v1/embeddings" && path !== "/embeddings") {
      req.resume();
      sendError(res, 404, `Invalid URL (${req.method} ${path})`);
      return;
    }
    seen.push(record);
    if (req.method !== "POST") {
      req.resume();
      record.status = 405;
      sendError(res, 405, `Invalid method for URL (${req.method} ${path}): use POST`);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (d: Buffer) => {
      size += d.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(d);
    });
    req.on("end", () => {
      if (tooBig) {
        record.status = 413;
        sendError(res, 413, `Request body over ${MAX_BODY_BYTES} bytes`);
        return;
      }
      try {
        record.status = handle(req, res, Buffer.concat(chunks), record);
      } catch (err) {
        record.status = 500;
        sendError(res, 500, `fake embeddings server failed: ${(err as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    requests: () => seen.map((r) => ({ ...r })),
    failNext(n, status, opts = {}) {
      failures = { left: n, status, retryAfterSeconds: opts.retryAfterSeconds };
    },
    hang(on) {
      hanging = on;
    },
    setDimensions(model, n) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`setDimensions: n must be a positive integer, got ${n}`);
      dimsOf.set(model, n);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.destroy();
        hung.clear();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
