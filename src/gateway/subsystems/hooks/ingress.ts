/**
 * One webhook request, as OpenClaw's hook endpoint answers it: a `?token=` query is refused (400),
 * other methods get 405, the hook token comes from `Authorization: Bearer` or `x-openclaw-token`
 * (constant-time compare; 20 failures a minute from one address → 429), the body is JSON (415 for
 * another declared type, 400 when it does not parse), then `/wake`, `/agent` or the first matching
 * mapping (404 when none) is dispatched under the agent and session-key policy. Every refusal is
 * counted and logged with its reason and the caller's address — never the token or the body.
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { AppError } from "../../../shared/index.js";
import { type AuthRateLimiter, secretMatches } from "../../auth.js";
import type { RouteRequest } from "../../routes.js";
import type { HookCounters, HookRefusal } from "./counters.js";
import { buildMappedAction, findMapping, type HookAction, parseAgentPayload, parseWakePayload, type ResolvedHooks, type TemplateContext } from "./mappings.js";

type Obj = Record<string, unknown>;
export type AgentAction = Extract<HookAction, { kind: "agent" }>;
export type WakeAction = Extract<HookAction, { kind: "wake" }>;

export interface IngressDeps {
  hooks(): ResolvedHooks | undefined;
  limiter: AuthRateLimiter;
  counters: HookCounters;
  /** Configured agent ids and the default one. */
  agents(): { ids: string[]; defaultId: string };
  /** Starts the turn (async); returns its run id. Throws AppError("USAGE") for a bad target. */
  startAgent(action: AgentAction, target: { agentId: string; sessionKey: string; source: string }): { runId: string };
  /** Queues the wake's system event. */
  wake(action: WakeAction, source: string): "queued" | "coalesced";
  log: { warn(message: string, fields?: Obj): void; info(message: string, fields?: Obj): void };
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

function write(res: ServerResponse, a: Answer): void {
  const text = typeof a.body === "string" ? a.body : JSON.stringify(a.body);
  res.writeHead(a.status, { "content-type": typeof a.body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff", ...a.headers });
  res.end(text);
}

/** The hook token a request presents: a nonempty Bearer wins over `x-openclaw-token`. */
export function presentedHookToken(headers: RouteRequest["req"]["headers"]): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1]?.trim();
  if (bearer) return bearer;
  const header = headers["x-openclaw-token"];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value || undefined;
}

function lowerHeaders(headers: RouteRequest["req"]["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === "string") out[k.toLowerCase()] = v;
  else if (Array.isArray(v) && v.length > 0) out[k.toLowerCase()] = v.join(", ");
  // The credentials are never template material.
  delete out.authorization;
  delete out["x-openclaw-token"];
  return out;
}

export class HookIngress {
  constructor(private readonly deps: IngressDeps) {}

  private refuse(reason: HookRefusal, ip: string, path: string, answer: Answer, detail?: string): Answer {
    this.deps.counters.refuse(reason);
    this.deps.log.warn(`hook request refused: ${reason}${detail ? ` (${detail})` : ""}`, { reason, ip, path: path.slice(0, 120), status: answer.status });
    return answer;
  }

  /** Counts and logs a body the route table refused before the handler ran (413/408). */
  bodyRefused(reason: "too-large" | "timeout", ip: string, path: string): void {
    this.refuse(reason === "too-large" ? "too-large" : "body-timeout", ip, path, { status: reason === "too-large" ? 413 : 408, body: "" });
  }

  async handle(request: RouteRequest, res: ServerResponse): Promise<void> {
    write(res, await this.answer(request));
  }

  private async answer(request: RouteRequest): Promise<Answer> {
    const { req, url, ip } = request;
    const path = url.pathname;
    const hooks = this.deps.hooks();
    if (!hooks) return { status: 404, body: "Not Found" };
    if (url.searchParams.has("token")) {
      return this.refuse("query-token", ip, path, { status: 400, body: "Hook token must be provided via Authorization: Bearer <token> or X-OpenClaw-Token header (query parameters are not allowed)." });
    }
    if (req.method !== "POST") return this.refuse("method", ip, path, { status: 405, body: "Method Not Allowed", headers: { allow: "POST" } });
    const source = { ip };
    if (!secretMatches(hooks.token, presentedHookToken(req.headers))) {
      // Only wrong tokens get here, so no probe slot is needed for the owner: a lockout refuses them all.
      const lockedMs = this.deps.limiter.lockedFor(source, "token");
      if (lockedMs > 0) {
        const retry = Math.max(1, Math.ceil(lockedMs / 1000));
        return this.refuse("rate-limited", ip, path, { status: 429, body: "Too Many Requests", headers: { "retry-after": String(retry) } });
      }
      this.deps.limiter.recordFailure(source, "token");
      return this.refuse("unauthorized", ip, path, { status: 401, body: "Unauthorized" }, "missing or wrong hook token");
    }
    this.deps.limiter.recordSuccess(source, "token");
    const subPath = path.slice(hooks.basePath.length).replace(/^\/+/, "").replace(/\/+$/, "");
    if (!subPath) return this.refuse("not-found", ip, path, { status: 404, body: "Not Found" }, "the base path has no action");
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type && type !== "application/json" && !type.endsWith("+json")) {
      return this.refuse("unsupported-media-type", ip, path, { status: 415, body: { ok: false, error: "hook bodies are JSON: send Content-Type: application/json" } }, type.slice(0, 60));
    }
    let payload: Obj;
    try {
      const text = request.body.toString("utf8").trim();
      const parsed: unknown = text ? JSON.parse(text) : {};
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return this.refuse("invalid-payload", ip, path, { status: 400, body: { ok: false, error: "the hook body must be a JSON object" } });
      payload = parsed as Obj;
    } catch {
      return this.refuse("invalid-json", ip, path, { status: 400, body: { ok: false, error: "invalid JSON body" } });
    }
    const ctx: TemplateContext = { payload, headers: lowerHeaders(req.headers), url, path: subPath };
    let action: HookAction | string;
    let origin: "request" | "mapping" = "request";
    if (subPath === "wake") action = parseWakePayload(payload);
    else if (subPath === "agent") action = parseAgentPayload(payload);
    else {
      const mapping = findMapping(hooks.mappings, ctx);
      if (!mapping) return this.refuse("not-found", ip, path, { status: 404, body: { ok: false, error: `no hook mapping matches ${subPath}` } }, "no mapping");
      action = buildMappedAction(mapping, ctx);
      origin = "mapping";
    }
    if (typeof action === "string") return this.refuse("invalid-payload", ip, path, { status: 400, body: { ok: false, error: action } }, action);
    return this.dispatch(hooks, action, { origin, name: subPath, ip, path });
  }

  private dispatch(hooks: ResolvedHooks, action: HookAction, at: { origin: "request" | "mapping"; name: string; ip: string; path: string }): Answer {
    const policy = (error: string): Answer => this.refuse("policy", at.ip, at.path, { status: 400, body: { ok: false, error } }, error);
    const agents = this.deps.agents();
    let agentId = agents.defaultId;
    if (action.agentId) {
      if (agents.ids.includes(action.agentId)) agentId = action.agentId;
      else if (at.origin === "request") return policy(`unknown hook agent id "${action.agentId}"`);
    }
    if (hooks.allowedAgentIds && !hooks.allowedAgentIds.includes(agentId)) return policy(`agent "${agentId}" is not allowed by hooks.allowedAgentIds`);
    const source = `hook:${at.name}`;
    if (action.kind === "wake") {
      if (action.sessionKey && !hooks.allowRequestSessionKey) return policy("sessionKey is disabled for externally supplied hook payloads; set hooks.allowRequestSessionKey=true to enable");
      const outcome = this.deps.wake({ ...action, agentId }, source);
      this.deps.counters.accepted.wake++;
      return { status: 200, body: { ok: true, mode: action.mode, eventOutcome: outcome } };
    }
    if (action.sessionKey && action.sessionKeyFromRequest && !hooks.allowRequestSessionKey) {
      return policy("sessionKey is disabled for externally supplied hook payloads; set hooks.allowRequestSessionKey=true to enable");
    }
    const sessionKey = action.sessionKey ?? hooks.defaultSessionKey ?? `hook:${randomUUID()}`;
    const bare = sessionKey.toLowerCase().replace(/^agent:[^:]+:/, "");
    if (hooks.allowedSessionKeyPrefixes && !hooks.allowedSessionKeyPrefixes.some((p) => bare.startsWith(p) || sessionKey.toLowerCase().startsWith(p))) {
      return policy(`sessionKey must start with one of hooks.allowedSessionKeyPrefixes: ${hooks.allowedSessionKeyPrefixes.join(", ")}`);
    }
    try {
      const { runId } = this.deps.startAgent(action, { agentId, sessionKey, source });
      this.deps.counters.accepted.agent++;
      this.deps.log.info(`hook ${at.name} started an agent turn`, { runId, agentId, source });
      return { status: 200, body: { ok: true, runId } };
    } catch (error) {
      const usage = error instanceof AppError && error.code === "USAGE";
      const message = error instanceof Error ? error.message : String(error);
      return this.refuse(usage ? "policy" : "dispatch-failed", at.ip, at.path, { status: usage ? 400 : 502, body: { ok: false, error: usage ? message : "agent preparation failed" } }, message);
    }
  }
}
