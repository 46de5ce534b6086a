/**
 * A loopback model server speaking the real wire formats, for tests that go through the official
 * SDKs: Anthropic Messages (`POST <base>/anthropic/v1/messages`, SSE message_start →
 * content_block_* → message_delta → message_stop) and OpenAI Chat Completions
 * (`POST <base>/openai/chat/completions`, `chat.completion.chunk` SSE lines and `[DONE]`).
 * Each request is answered by `respond` (or the promise it returns), which sees the parsed body and
 * the credential sent.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FakeApi = "anthropic" | "openai";

export interface FakeRequest {
  api: FakeApi;
  body: Record<string, unknown>;
  /** `x-api-key` (Anthropic) or the bearer token. */
  credential: string | undefined;
  headers: http.IncomingHttpHeaders;
}

export type FakeReply =
  | { text: string; toolCalls?: Array<{ id: string; name: string; input: unknown }>; usage?: { input: number; output: number }; thinking?: { text: string; signature: string } }
  | { status: number; message?: string }
  /** Accept the request, then never answer (timeouts). */
  | { hang: true };

export interface FakeLlm {
  baseUrl: string;
  anthropicUrl: string;
  openaiUrl: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

const ANTHROPIC_ERROR_TYPES: Record<number, string> = { 401: "authentication_error", 403: "permission_error", 429: "rate_limit_error", 529: "overloaded_error", 500: "api_error" };

function sse(res: http.ServerResponse, event: string | undefined, data: unknown): void {
  res.write(`${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
}

function anthropicStream(res: http.ServerResponse, model: string, reply: Extract<FakeReply, { text: string }>): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "request-id": "req_fake" });
  const usage = reply.usage ?? { input: 12, output: 7 };
  sse(res, "message_start", { type: "message_start", message: { id: "msg_fake", type: "message", role: "assistant", content: [], model, stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input, output_tokens: 1 } } });
  let index = 0;
  if (reply.thinking) {
    sse(res, "content_block_start", { type: "content_block_start", index, content_block: { type: "thinking", thinking: "" } });
    sse(res, "content_block_delta", { type: "content_block_delta", index, delta: { type: "thinking_delta", thinking: reply.thinking.text } });
    sse(res, "content_block_delta", { type: "content_block_delta", index, delta: { type: "signature_delta", signature: reply.thinking.signature } });
    sse(res, "content_block_stop", { type: "content_block_stop", index });
    index++;
  }
  sse(res, "content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } });
  sse(res, "ping", { type: "ping" });
  // Split the text in two deltas so streaming is exercised.
  const cut = Math.ceil(reply.text.length / 2);
  for (const part of [reply.text.slice(0, cut), reply.text.slice(cut)]) if (part) sse(res, "content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: part } });
  sse(res, "content_block_stop", { type: "content_block_stop", index });
  index++;
  for (const call of reply.toolCalls ?? []) {
    sse(res, "content_block_start", { type: "content_block_start", index, content_block: { type: "tool_use", id: call.id, name: call.name, input: {} } });
    const json = JSON.stringify(call.input);
    sse(res, "content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: json.slice(0, 3) } });
    sse(res, "content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: json.slice(3) } });
    sse(res, "content_block_stop", { type: "content_block_stop", index });
    index++;
  }
  sse(res, "message_delta", { type: "message_delta", delta: { stop_reason: reply.toolCalls?.length ? "tool_use" : "end_turn", stop_sequence: null }, usage: { output_tokens: usage.output } });
  sse(res, "message_stop", { type: "message_stop" });
  res.end();
}

function openaiStream(res: http.ServerResponse, model: string, reply: Extract<FakeReply, { text: string }>): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model };
  const chunk = (delta: unknown, finish: string | null = null) => sse(res, undefined, { ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  chunk({ role: "assistant", content: "" });
  const cut = Math.ceil(reply.text.length / 2);
  for (const part of [reply.text.slice(0, cut), reply.text.slice(cut)]) if (part) chunk({ content: part });
  (reply.toolCalls ?? []).forEach((call, i) => {
    const args = JSON.stringify(call.input);
    chunk({ tool_calls: [{ index: i, id: call.id, type: "function", function: { name: call.name, arguments: args.slice(0, 2) } }] });
    chunk({ tool_calls: [{ index: i, function: { arguments: args.slice(2) } }] });
  });
  chunk({}, reply.toolCalls?.length ? "tool_calls" : "stop");
  const usage = reply.usage ?? { input: 12, output: 7 };
  sse(res, undefined, { ...base, choices: [], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } });
  sse(res, undefined, "[DONE]");
  res.end();
}

function errorReply(res: http.ServerResponse, api: FakeApi, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(api === "anthropic" ? { type: "error", error: { type: ANTHROPIC_ERROR_TYPES[status] ?? "api_error", message } } : { error: { message, type: "invalid_request_error", code: status === 401 ? "invalid_api_key" : null } }));
}

/** Starts the server on 127.0.0.1:0. */
export async function startFakeLlm(respond: (req: FakeRequest) => FakeReply | Promise<FakeReply>): Promise<FakeLlm> {
  const requests: FakeRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", async () => {
      const api: FakeApi | undefined = req.url === "/anthropic/v1/messages" ? "anthropic" : req.url === "/openai/chat/completions" ? "openai" : undefined;
      if (!api || req.method !== "POST") {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw || "{}") as Record<string, unknown>;
      const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
      const credential = api === "anthropic" ? ((req.headers["x-api-key"] as string | undefined) ?? bearer) : bearer;
      const fr: FakeRequest = { api, body, credential, headers: req.headers };
      requests.push(fr);
      // A promise lets a test hold a reply back (queueing and overlap tests release it).
      const reply = await respond(fr);
      if ("hang" in reply) {
        hanging.add(res);
        return;
      }
      if ("status" in reply) return errorReply(res, api, reply.status, reply.message ?? `fake ${reply.status}`);
      if (api === "anthropic") anthropicStream(res, String(body.model), reply);
      else openaiStream(res, String(body.model), reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    anthropicUrl: `${baseUrl}/anthropic`,
    openaiUrl: `${baseUrl}/openai`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** The text of the tool_result block in the last user message of an Anthropic request (undefined when none). */
export function lastToolResult(req: FakeRequest): { text: string; isError: boolean } | undefined {
  const messages = req.body.messages as Array<{ role: string; content: unknown }>;
  const last = messages.at(-1)!;
  if (!Array.isArray(last.content)) return undefined;
  const block = (last.content as Array<Record<string, unknown>>).find((b) => b.type === "tool_result");
  if (!block) return undefined;
  const content = block.content;
  const text = typeof content === "string" ? content : (content as Array<Record<string, unknown>>).map((c) => String(c.text ?? "")).join("");
  return { text, isError: block.is_error === true };
}
