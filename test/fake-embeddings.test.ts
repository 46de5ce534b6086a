/** The loopback embeddings server speaks OpenAI's wire format: driven through the real `openai` SDK. */
import assert from "node:assert/strict";
import { test } from "node:test";
import OpenAI from "openai";
import { pollUntil } from "../src/infra/index.js";
import { conceptsOf, cosine, embedText, PARAPHRASE_CASE, startFakeEmbeddings } from "./helpers/fake-embeddings.js";

const KEY = "sk-fake-embeddings-test-key-0123456789";

test("embedText: deterministic, unit length, synonyms fold, the model seeds the projection", () => {
  const a = embedText("m1", "I bought a new automobile");
  assert.deepEqual(a, embedText("m1", "I bought a new automobile"));
  assert.equal(a.length, 64);
  assert.ok(Math.abs(Math.hypot(...a) - 1) < 1e-9);
  assert.equal(embedText("m1", "x", 7).length, 7);
  assert.deepEqual(conceptsOf("Purchased CARS quickly, repairing sedans"), ["concept:buy", "concept:car", "concept:fast", "concept:fix", "concept:car"]);
  assert.deepEqual(conceptsOf("記憶検索"), ["word:記憶", "word:憶検", "word:検索"]);
  const paraphrase = cosine(a, embedText("m1", "purchased a car"));
  const nearMiss = cosine(a, embedText("m1", "automobile insurance forms"));
  assert.ok(paraphrase > nearMiss + 0.3, `paraphrase ${paraphrase.toFixed(3)} should be well above near miss ${nearMiss.toFixed(3)}`);
  assert.ok(cosine(embedText("m1", "the doctor"), embedText("m1", "a physician")) > 0.99);
  assert.ok(cosine(a, embedText("m2", "I bought a new automobile")) < 0.9, "another model gives another vector");
  assert.equal(Math.hypot(...embedText("m1", "the a of")), 1, "a text of stopwords still has a unit vector");
  assert.throws(() => embedText("m1", "x", 0), /dims must be a positive integer/);
});

test("PARAPHRASE_CASE: the paraphrase shares no word with the query yet is nearest; the near miss shares the keyword", () => {
  const { query, paraphrase, nearMiss } = PARAPHRASE_CASE;
  const words = (s: string): string[] => s.toLowerCase().match(/[a-z]+/g) ?? [];
  assert.ok(!words(paraphrase).some((w) => words(query).includes(w)));
  assert.equal(words(nearMiss).filter((w) => w === "car").length, 2);
  for (const model of ["text-embedding-3-small", "nomic-embed-text"]) {
    const q = embedText(model, query);
    assert.ok(cosine(q, embedText(model, paraphrase)) > 0.9);
    assert.ok(cosine(q, embedText(model, nearMiss)) < 0.6);
  }
});

test("fake embeddings through the openai SDK: base64 (the SDK default) and float, batches, /embeddings under /v1, dimensions", async (t) => {
  const server = await startFakeEmbeddings({ apiKey: KEY });
  t.after(() => server.close());
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  const client = new OpenAI({ apiKey: KEY, baseURL: server.url, maxRetries: 0 });

  const b64 = await client.embeddings.create({ model: "text-embedding-3-small", input: ["I bought a new automobile", "purchased a car", "automobile insurance forms"] });
  assert.equal(b64.object, "list");
  assert.equal(b64.model, "text-embedding-3-small");
  assert.deepEqual(
    b64.data.map((d) => [d.object, d.index, d.embedding.length]),
    [0, 1, 2].map((i) => ["embedding", i, 64]),
  );
  const [bought, car, insurance] = b64.data.map((d) => d.embedding);
  // base64 carries float32: equal to the pure function within float32 precision.
  const exact = embedText("text-embedding-3-small", "purchased a car");
  assert.ok(
    exact.every((x, i) => Math.abs(x - car![i]!) < 1e-6),
    "base64 decodes to the same vector",
  );
  assert.ok(cosine(bought!, car!) > cosine(bought!, insurance!) + 0.3);
  assert.ok(b64.usage.prompt_tokens > 0 && b64.usage.total_tokens === b64.usage.prompt_tokens);

  const float = await client.embeddings.create({ model: "text-embedding-3-small", input: "purchased a car", encoding_format: "float" });
  assert.deepEqual(float.data[0]!.embedding, embedText("text-embedding-3-small", "purchased a car"));

  server.setDimensions("nomic-embed-text", 256);
  const wide = await client.embeddings.create({ model: "nomic-embed-text", input: "hello" });
  assert.equal(wide.data[0]!.embedding.length, 256);
  const narrow = await client.embeddings.create({ model: "text-embedding-3-small", input: "hello", dimensions: 16 });
  assert.equal(narrow.data[0]!.embedding.length, 16);

  // A raw client whose base URL has no /v1 reaches /v1/embeddings.
  const root = server.url.replace(/\/v1$/, "");
  const raw = await fetch(`${root}/v1/embeddings`, { method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" }, body: JSON.stringify({ model: "m", input: "x" }) });
  assert.equal(raw.status, 200);
  assert.equal(((await raw.json()) as { data: Array<{ embedding: number[] }> }).data[0]!.embedding.length, 64);
  assert.equal((await fetch(`${root}/v2/embeddings`, { method: "POST" })).status, 404);

  const reqs = server.requests();
  assert.deepEqual(
    reqs.map((r) => [r.path, r.model, r.inputs, r.encodingFormat, r.authPresent, r.status]),
    [
      ["/v1/embeddings", "text-embedding-3-small", 3, "base64", true, 200],
      ["/v1/embeddings", "text-embedding-3-small", 1, "float", true, 200],
      ["/v1/embeddings", "nomic-embed-text", 1, "base64", true, 200],
      ["/v1/embeddings", "text-embedding-3-small", 1, "base64", true, 200],
      ["/v1/embeddings", "m", 1, undefined, true, 200],
    ],
  );
  assert.equal(reqs[0]!.chars, "I bought a new automobile".length + "purchased a car".length + "automobile insurance forms".length);
  assert.ok(!JSON.stringify(reqs).includes(KEY), "the key is never stored");
});

test("fake embeddings: 400s in OpenAI's error shape surface as the SDK's BadRequestError", async (t) => {
  const server = await startFakeEmbeddings({ maxInputTokens: 100 });
  t.after(() => server.close());
  const client = new OpenAI({ apiKey: "any", baseURL: server.url, maxRetries: 0 });
  const bad = async (body: Record<string, unknown>, pattern: RegExp, param: string | null) => {
    const err = await client.embeddings.create(body as never).then(
      () => assert.fail(`expected a 400 for ${JSON.stringify(body)}`),
      (e: unknown) => e,
    );
    assert.ok(err instanceof OpenAI.BadRequestError, String(err));
    assert.match(err.message, pattern);
    assert.equal(err.param, param);
    assert.equal(err.type, "invalid_request_error");
  };
  await bad({ model: "m", input: [[1, 2, 3]] }, /token array/, "input");
  await bad({ model: "m", input: [1, 2, 3] }, /token array/, "input");
  await bad({ model: "m", input: "" }, /input\[0\]' is invalid/, "input");
  await bad({ model: "m", input: [] }, /input' is invalid/, "input");
  await bad({ model: "m", input: "x".repeat(401) }, /maximum context length is 100 tokens, however you requested 101/, "input");
  await bad({ input: "x" }, /provide a model/, "model");
  await bad({ model: "text-embedding-ada-002", input: "x", dimensions: 8 }, /does not support specifying dimensions/, "dimensions");
  await bad({ model: "m", input: "x", encoding_format: "int8" }, /encoding_format/, "encoding_format");
  const notJson = await fetch(`${server.url}/embeddings`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
  assert.equal(notJson.status, 400);
  assert.deepEqual(Object.keys(((await notJson.json()) as { error: object }).error), ["message", "type", "param", "code"]);
  assert.equal((await fetch(`${server.url}/embeddings`)).status, 405);
});

test("fake embeddings: 401, 429 with retry-after, 500 surface as the SDK's typed errors; a 429 is retried after retry-after", async (t) => {
  const server = await startFakeEmbeddings({ apiKey: KEY });
  t.after(() => server.close());
  const wrong = new OpenAI({ apiKey: "sk-wrong-key-123456", baseURL: server.url, maxRetries: 0 });
  const e401 = await wrong.embeddings.create({ model: "m", input: "x" }).catch((e: unknown) => e);
  assert.ok(e401 instanceof OpenAI.AuthenticationError, String(e401));
  assert.equal(e401.code, "invalid_api_key");
  assert.ok(!e401.message.includes("sk-wrong-key-123456"), "the 401 does not echo the key");
  assert.equal((await fetch(`${server.url}/embeddings`, { method: "POST", body: "{}" })).status, 401, "no Authorization header");

  const client = new OpenAI({ apiKey: KEY, baseURL: server.url, maxRetries: 0 });
  server.failNext(1, 429, { retryAfterSeconds: 7 });
  const e429 = await client.embeddings.create({ model: "m", input: "x" }).catch((e: unknown) => e);
  assert.ok(e429 instanceof OpenAI.RateLimitError, String(e429));
  assert.equal(e429.headers.get("retry-after"), "7");
  assert.equal(e429.code, "rate_limit_exceeded");

  server.failNext(1, 500);
  const e500 = await client.embeddings.create({ model: "m", input: "x" }).catch((e: unknown) => e);
  assert.ok(e500 instanceof OpenAI.InternalServerError, String(e500));
  assert.equal(e500.status, 500);
  assert.equal((await client.embeddings.create({ model: "m", input: "x" })).data.length, 1, "failNext(1) fails exactly one request");

  const retrying = new OpenAI({ apiKey: KEY, baseURL: server.url, maxRetries: 2 });
  server.failNext(2, 429, { retryAfterSeconds: 0 });
  const before = server.requests().length;
  assert.equal((await retrying.embeddings.create({ model: "m", input: "x" })).data.length, 1);
  assert.deepEqual(
    server.requests().slice(before).map((r) => r.status),
    [429, 429, 200],
  );
});

test("fake embeddings: hang() holds requests until the SDK's timeout; close() releases hung sockets", async (t) => {
  const server = await startFakeEmbeddings();
  let closed = false;
  t.after(() => (closed ? undefined : server.close()));
  const client = new OpenAI({ apiKey: "any", baseURL: server.url, maxRetries: 0, timeout: 300 });
  server.hang(true);
  const err = await client.embeddings.create({ model: "m", input: "x" }).catch((e: unknown) => e);
  assert.ok(err instanceof OpenAI.APIConnectionTimeoutError, String(err));
  assert.equal(server.requests().at(-1)?.status, "hung");
  // A second hung request still open when the server closes: close() must not wait for it.
  const pending = fetch(`${server.url}/embeddings`, { method: "POST", body: JSON.stringify({ model: "m", input: "x" }) }).then(
    () => "answered",
    () => "reset",
  );
  assert.ok(await pollUntil(() => server.requests().length === 2, 5000, 10), "the second request reached the server");
  server.hang(false);
  await server.close();
  closed = true;
  assert.equal(await pending, "reset");
});
