/**
 * The one small interface every model provider implements: a streamed completion that yields text
 * deltas, complete tool calls, usage and a stop reason — the same shape whatever the wire format.
 */

/** A tool the model may call; `inputSchema` is a JSON Schema object. */
export interface ToolSpec {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

/** Provider-neutral conversation history. */
export type ChatMessage =
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: ToolCall[] }
  | { role: "tool"; toolCallId: string; content: string; isError?: boolean };

export type StopReason = "end_turn" | "max_tokens" | "tool_use" | "stop_sequence" | "other";

export type StreamEvent =
  | { type: "text"; text: string }
  | { type: "tool_call"; call: ToolCall }
  | { type: "usage"; inputTokens: number; outputTokens: number }
  | { type: "stop"; reason: StopReason }
  /** Emitted by failover as it starts each candidate (the last one before output is the model that answers). */
  | { type: "attempt"; provider: string; model: string; profileId: string }
  /** Emitted by failover before it tries the next candidate. */
  | { type: "failover"; from: string; to: string; reason: string };

export interface CompletionRequest {
  /** The model id at the provider (no `provider/` prefix). */
  model: string;
  system?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  maxTokens?: number;
  signal?: AbortSignal;
}

/** How to reach one provider with one credential. */
export interface ProviderEndpoint {
  /** Provider id (`anthropic`, `openai`, `ollama`, a custom id). */
  id: string;
  api: ProviderApi;
  baseUrl: string;
  headers?: Record<string, string>;
  /** The secret, and how it is sent: an API key header, or a bearer token. */
  credential: { kind: "api_key" | "token" | "oauth" | "none"; secret: string };
  /** Time to the response headers and between stream chunks, in ms. */
  timeoutMs: number;
}

export type ProviderApi = "anthropic-messages" | "openai-completions";

/** A provider implementation: one streamed completion. */
export type StreamCompletion = (endpoint: ProviderEndpoint, request: CompletionRequest) => AsyncIterable<StreamEvent>;
