/**
 * `openai-completions` through the official SDK (loaded on first use): streamed Chat Completions
 * for OpenAI and every compatible server (OpenRouter, Ollama, vLLM, LM Studio) via `baseUrl`.
 */

import { cachedClient } from "./client-cache.js";
import { createDeadline } from "./deadline.js";
import type { ChatMessage, CompletionRequest, ProviderEndpoint, StopReason, StreamEvent } from "./types.js";

/** Converts neutral history to Chat Completions messages. */
export function toOpenAiMessages(system: string | undefined, messages: ChatMessage[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = system ? [{ role: "system", content: system }] : [];
  for (const m of messages) {
    if (m.role === "user") out.push({ role: "user", content: m.content });
    else if (m.role === "assistant") {
      out.push({
        role: "assistant",
        content: m.content || null,
        ...(m.toolCalls?.length ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: JSON.stringify(c.input ?? {}) } })) } : {}),
      });
    } else out.push({ role: "tool", tool_call_id: m.toolCallId, content: m.content });
  }
  return out;
}

const STOP: Record<string, StopReason> = { stop: "end_turn", length: "max_tokens", tool_calls: "tool_use", function_call: "tool_use" };

/** Streams one Chat Completions response. */
export async function* streamOpenAi(endpoint: ProviderEndpoint, request: CompletionRequest): AsyncIterable<StreamEvent> {
  const { default: OpenAI } = await import("openai");
  const client = cachedClient(endpoint, () => new OpenAI({ apiKey: endpoint.credential.secret || "none", baseURL: endpoint.baseUrl, maxRetries: 0, timeout: endpoint.timeoutMs, defaultHeaders: endpoint.headers }));
  const deadline = createDeadline(request.signal, endpoint.timeoutMs, `${endpoint.id} ${request.model}`);
  const tools = new Map<number, { id: string; name: string; args: string }>();
  let usage: { inputTokens: number; outputTokens: number } | undefined;
  let stop: StopReason = "other";
  try {
    const stream = await client.chat.completions.create(
      {
        model: request.model,
        messages: toOpenAiMessages(request.system, request.messages) as never,
        stream: true,
        stream_options: { include_usage: true },
        ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}),
        ...(request.tools?.length ? { tools: request.tools.map((t) => ({ type: "function" as const, function: { name: t.name, description: t.description, parameters: t.inputSchema } })) } : {}),
      },
      { signal: deadline.signal },
    );
    for await (const chunk of stream) {
      deadline.touch();
      if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = choice.delta ?? {};
      if (delta.content) yield { type: "text", text: delta.content };
      for (const tc of delta.tool_calls ?? []) {
        const t = tools.get(tc.index) ?? { id: "", name: "", args: "" };
        if (tc.id) t.id = tc.id;
        if (tc.function?.name) t.name += tc.function.name;
        if (tc.function?.arguments) t.args += tc.function.arguments;
        tools.set(tc.index, t);
      }
      if (choice.finish_reason) stop = STOP[choice.finish_reason] ?? "other";
    }
  } catch (error) {
    throw deadline.wrap(error);
  } finally {
    deadline.dispose();
  }
  for (const [, t] of [...tools].sort(([a], [b]) => a - b)) yield { type: "tool_call", call: { id: t.id, name: t.name, input: t.args ? JSON.parse(t.args) : {} } };
  yield { type: "usage", inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 };
  yield { type: "stop", reason: stop };
}
