/**
 * `anthropic-messages` through the official SDK (loaded on first use): streamed Messages API,
 * text and tool_use blocks turned into provider-neutral events. API keys go in `x-api-key`;
 * setup/OAuth tokens as a bearer with the OAuth beta header, as OpenClaw sends them.
 */

import { cachedClient } from "./client-cache.js";
import { createDeadline } from "./deadline.js";
import type { ChatMessage, CompletionRequest, ProviderEndpoint, StopReason, StreamEvent } from "./types.js";

type Block = Record<string, unknown>;

/** The fields of the Messages API stream events this adapter reads. */
interface RawEvent {
  type: string;
  index: number;
  message?: { usage?: { input_tokens?: number; output_tokens?: number } };
  content_block?: { type: string; id?: string; name?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: { input_tokens?: number | null; output_tokens?: number | null };
}

/** Converts neutral history to Messages API messages (tool results grouped into one user turn). */
export function toAnthropicMessages(messages: ChatMessage[]): Array<{ role: "user" | "assistant"; content: string | Block[] }> {
  const out: Array<{ role: "user" | "assistant"; content: string | Block[] }> = [];
  for (const m of messages) {
    if (m.role === "user") out.push({ role: "user", content: m.content });
    else if (m.role === "assistant") {
      if (!m.toolCalls?.length) out.push({ role: "assistant", content: m.content });
      else out.push({ role: "assistant", content: [...(m.content ? [{ type: "text", text: m.content }] : []), ...m.toolCalls.map((c) => ({ type: "tool_use", id: c.id, name: c.name, input: c.input ?? {} }))] });
    } else {
      const block = { type: "tool_result", tool_use_id: m.toolCallId, content: m.content, ...(m.isError ? { is_error: true } : {}) };
      const last = out[out.length - 1];
      if (last?.role === "user" && Array.isArray(last.content) && last.content.every((b) => b.type === "tool_result")) last.content.push(block);
      else out.push({ role: "user", content: [block] });
    }
  }
  return out;
}

const STOP: Record<string, StopReason> = { end_turn: "end_turn", max_tokens: "max_tokens", tool_use: "tool_use", stop_sequence: "stop_sequence" };

/** Streams one Messages API completion. */
export async function* streamAnthropic(endpoint: ProviderEndpoint, request: CompletionRequest): AsyncIterable<StreamEvent> {
  const { default: Anthropic } = await import("@anthropic-ai/sdk");
  const bearer = endpoint.credential.kind === "token" || endpoint.credential.kind === "oauth";
  const client = cachedClient(
    endpoint,
    () =>
      new Anthropic({
        apiKey: bearer ? null : endpoint.credential.secret || "none",
        authToken: bearer ? endpoint.credential.secret : null,
        baseURL: endpoint.baseUrl,
        maxRetries: 0,
        timeout: endpoint.timeoutMs,
        defaultHeaders: { ...(bearer ? { "anthropic-beta": "oauth-2025-04-20" } : {}), ...endpoint.headers },
      }),
  );
  const deadline = createDeadline(request.signal, endpoint.timeoutMs, `${endpoint.id} ${request.model}`);
  const tools = new Map<number, { id: string; name: string; json: string }>();
  let inputTokens = 0;
  let outputTokens = 0;
  let stop: StopReason = "other";
  try {
    const stream = await client.messages.create(
      {
        model: request.model,
        max_tokens: request.maxTokens ?? 4096,
        ...(request.system ? { system: request.system } : {}),
        messages: toAnthropicMessages(request.messages) as never,
        ...(request.tools?.length ? { tools: request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema })) as never } : {}),
        stream: true,
      },
      { signal: deadline.signal },
    );
    for await (const ev of stream as AsyncIterable<unknown>) {
      deadline.touch();
      const e = ev as RawEvent;
      if (e.type === "message_start") {
        inputTokens = e.message?.usage?.input_tokens ?? 0;
        outputTokens = e.message?.usage?.output_tokens ?? 0;
      } else if (e.type === "content_block_start" && e.content_block?.type === "tool_use") {
        tools.set(e.index, { id: e.content_block.id ?? "", name: e.content_block.name ?? "", json: "" });
      } else if (e.type === "content_block_delta") {
        if (e.delta?.type === "text_delta" && e.delta.text) yield { type: "text", text: e.delta.text };
        else if (e.delta?.type === "input_json_delta") {
          const t = tools.get(e.index);
          if (t) t.json += e.delta.partial_json ?? "";
        }
      } else if (e.type === "content_block_stop") {
        const t = tools.get(e.index);
        if (t) {
          tools.delete(e.index);
          yield { type: "tool_call", call: { id: t.id, name: t.name, input: t.json ? JSON.parse(t.json) : {} } };
        }
      } else if (e.type === "message_delta") {
        if (e.delta?.stop_reason) stop = STOP[e.delta.stop_reason] ?? "other";
        if (typeof e.usage?.output_tokens === "number") outputTokens = e.usage.output_tokens;
        if (typeof e.usage?.input_tokens === "number" && e.usage.input_tokens > 0) inputTokens = e.usage.input_tokens;
      }
    }
  } catch (error) {
    throw deadline.wrap(error);
  } finally {
    deadline.dispose();
  }
  yield { type: "usage", inputTokens, outputTokens };
  yield { type: "stop", reason: stop };
}
