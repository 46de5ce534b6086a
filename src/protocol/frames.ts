/** Frame shapes of the control protocol (spec §4.2) and their parsing. */

export type WireErrorCode = "INVALID_REQUEST" | "UNAVAILABLE" | "FORBIDDEN" | "NOT_PAIRED" | "NOT_LINKED" | "AGENT_TIMEOUT";

export interface ErrorShape {
  code: WireErrorCode | string;
  message: string;
  details?: unknown;
  retryable?: boolean;
  retryAfterMs?: number;
}

export interface RequestFrame {
  type: "req";
  id: string;
  method: string;
  params?: unknown;
}

export interface ResponseFrame {
  type: "res";
  id: string;
  ok: boolean;
  payload?: unknown;
  error?: ErrorShape;
}

export interface EventFrame {
  type: "event";
  event: string;
  payload?: unknown;
  seq?: number;
  stateVersion?: { presence: number; health: number };
}

export type Frame = RequestFrame | ResponseFrame | EventFrame;

export type ParsedFrame = { ok: true; frame: Frame } | { ok: false; error: string; id?: string };

const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/** Deepest object/array nesting a frame may have; deeper frames are refused before parsing. */
export const MAX_FRAME_DEPTH = 64;

/**
 * Whether a JSON text nests objects/arrays deeper than `limit`. One linear pass that counts
 * brackets outside strings and stops at the first level past the limit, so a deeply nested frame costs microseconds, not a stalled
 * event loop inside JSON.parse.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  // Fast path: with no more opening brackets than the limit, no nesting can pass it (native scans).
  let opens = 0;
  for (const bracket of ["{", "["]) {
    for (let i = text.indexOf(bracket); i !== -1 && opens <= limit; i = text.indexOf(bracket, i + 1)) opens++;
  }
  if (opens <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Parses and checks one text frame. Never throws. */
export function parseFrame(text: string): ParsedFrame {
  if (jsonDepthExceeds(text, MAX_FRAME_DEPTH)) {
    return { ok: false, error: `frame nested deeper than ${MAX_FRAME_DEPTH} levels; send flatter params` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `malformed JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { ok: false, error: "a frame must be a JSON object" };
  const f = value as Record<string, unknown>;
  const id = nonEmpty(f.id) ? f.id : undefined;
  switch (f.type) {
    case "req":
      if (!id) return { ok: false, error: "req frame needs a non-empty id" };
      if (!nonEmpty(f.method)) return { ok: false, error: "req frame needs a non-empty method", id };
      return { ok: true, frame: { type: "req", id, method: f.method, ...(f.params !== undefined ? { params: f.params } : {}) } };
    case "res":
      if (!id || typeof f.ok !== "boolean") return { ok: false, error: "res frame needs id and ok", ...(id ? { id } : {}) };
      return { ok: true, frame: f as unknown as ResponseFrame };
    case "event":
      if (!nonEmpty(f.event)) return { ok: false, error: "event frame needs a non-empty event" };
      return { ok: true, frame: f as unknown as EventFrame };
    default:
      return { ok: false, error: `unknown frame type ${JSON.stringify(f.type)}`, ...(id ? { id } : {}) };
  }
}
