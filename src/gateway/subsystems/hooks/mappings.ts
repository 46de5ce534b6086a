/**
 * The pure half of the webhook ingress: `hooks.*` resolved into what a request needs (base path,
 * token, body limit, mappings, session/agent policy), OpenClaw's template language
 * (`{{payload.a.b}}`, `{{a[0].b}}`, `{{headers.x}}`, `{{query.k}}`, `{{path}}`, `{{now}}`), mapping
 * matching (first match wins, `match.path` and `match.source`) and the action a match produces.
 */
import type { OpenClawConfig } from "../../../config/index.js";

type Obj = Record<string, unknown>;
type HookMappingConfig = NonNullable<NonNullable<OpenClawConfig["hooks"]>["mappings"]>[number];

/** OpenClaw's generic hook body limit (256 KiB). */
export const DEFAULT_HOOKS_MAX_BODY_BYTES = 262_144;
export const DEFAULT_HOOKS_PATH = "/hooks";

export interface HookMapping {
  id: string;
  matchPath: string | undefined;
  matchSource: string | undefined;
  config: HookMappingConfig;
}

export interface ResolvedHooks {
  basePath: string;
  token: string;
  maxBodyBytes: number;
  mappings: HookMapping[];
  /** undefined: any agent; otherwise the allowlist ("*" folds to undefined). */
  allowedAgentIds: string[] | undefined;
  defaultSessionKey: string | undefined;
  allowRequestSessionKey: boolean;
  /** Lower-cased, blanks dropped; undefined when no restriction. */
  allowedSessionKeyPrefixes: string[] | undefined;
}

/** What a request carries that templates may read. */
export interface TemplateContext {
  payload: Obj;
  headers: Record<string, string>;
  url: URL;
  /** The sub-path after the base path, without slashes ("github"). */
  path: string;
}

export type HookAction =
  | { kind: "wake"; mappingId?: string; text: string; mode: "now" | "next-heartbeat"; agentId?: string | undefined; sessionKey?: string | undefined }
  | {
      kind: "agent";
      mappingId?: string;
      /** True when the session key came from the request or a template over it (caller-chosen). */
      sessionKeyFromRequest: boolean;
      message: string;
      name: string;
      agentId?: string | undefined;
      sessionKey?: string | undefined;
      wakeMode: "now" | "next-heartbeat";
      deliver: boolean;
      channel?: string | undefined;
      to?: string | undefined;
      model?: string | undefined;
      thinking?: string | undefined;
      timeoutSeconds?: number | undefined;
      allowUnsafeExternalContent: boolean;
    };

const trimmed = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** "github", "/github/" → "github". */
export function normalizeMatchPath(raw: string | undefined): string | undefined {
  const t = raw?.trim();
  return t ? t.replace(/^\/+/, "").replace(/\/+$/, "") || undefined : undefined;
}

/** `hooks.path` as a route base: leading slash added, trailing slashes removed. */
export function normalizeBasePath(raw: string | undefined): string {
  const path = trimmed(raw) ?? DEFAULT_HOOKS_PATH;
  const withSlash = path.startsWith("/") ? path : `/${path}`;
  return withSlash.length > 1 ? withSlash.replace(/\/+$/, "") || "/" : withSlash;
}

/** The running hooks, or undefined while disabled or unusable (the config guard refuses those configs). */
export function resolveHooks(config: OpenClawConfig): ResolvedHooks | undefined {
  const hooks = config.hooks;
  if (hooks?.enabled !== true) return undefined;
  const token = trimmed(hooks.token);
  const basePath = normalizeBasePath(hooks.path);
  if (!token || basePath === "/") return undefined;
  const allowed = hooks.allowedAgentIds?.map((a) => a.trim()).filter(Boolean);
  const prefixes = hooks.allowedSessionKeyPrefixes?.map((p) => p.trim().toLowerCase()).filter(Boolean);
  return {
    basePath,
    token,
    maxBodyBytes: hooks.maxBodyBytes ?? DEFAULT_HOOKS_MAX_BODY_BYTES,
    mappings: (hooks.mappings ?? []).map((m, i) => ({ id: trimmed(m.id) ?? `mapping-${i + 1}`, matchPath: normalizeMatchPath(m.match?.path), matchSource: trimmed(m.match?.source), config: m })),
    allowedAgentIds: allowed === undefined || allowed.includes("*") ? undefined : allowed,
    defaultSessionKey: trimmed(hooks.defaultSessionKey),
    allowRequestSessionKey: hooks.allowRequestSessionKey === true,
    allowedSessionKeyPrefixes: prefixes && prefixes.length > 0 ? prefixes : undefined,
  };
}

const BLOCKED = new Set(["__proto__", "prototype", "constructor"]);

/** `a.b[0].c` inside a value; undefined when any step is missing. */
export function valueAt(input: unknown, expr: string): unknown {
  const parts: Array<string | number> = [];
  for (const m of expr.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[1] !== undefined ? m[1] : Number(m[2]));
  let current = input;
  for (const part of parts) {
    if (current === null || current === undefined) return undefined;
    if (typeof part === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[part];
      continue;
    }
    if (BLOCKED.has(part) || typeof current !== "object") return undefined;
    current = (current as Obj)[part];
  }
  return current;
}

function resolveExpr(expr: string, ctx: TemplateContext): unknown {
  if (expr === "path") return ctx.path;
  if (expr === "now") return new Date().toISOString();
  if (expr.startsWith("headers.")) return ctx.headers[expr.slice(8).toLowerCase()];
  if (expr.startsWith("query.")) return valueAt(Object.fromEntries(ctx.url.searchParams.entries()), expr.slice(6));
  if (expr.startsWith("payload.")) return valueAt(ctx.payload, expr.slice(8));
  return valueAt(ctx.payload, expr);
}

/** Fills `{{…}}`: missing values become "", objects become JSON. */
export function renderTemplate(template: string | undefined, ctx: TemplateContext): string {
  if (!template) return "";
  return template.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    const value = resolveExpr(expr.trim(), ctx);
    if (value === undefined || value === null) return "";
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value);
  });
}

function renderOptional(template: string | undefined, ctx: TemplateContext): string | undefined {
  const out = renderTemplate(template, ctx).trim();
  return out || undefined;
}

/** The first mapping that matches the sub-path and the payload's `source`. */
export function findMapping(mappings: readonly HookMapping[], ctx: TemplateContext): HookMapping | undefined {
  return mappings.find((m) => (!m.matchPath || m.matchPath === ctx.path) && (!m.matchSource || ctx.payload.source === m.matchSource));
}

/** The action a mapping produces for a request; an error string when the result is empty. */
export function buildMappedAction(mapping: HookMapping, ctx: TemplateContext): HookAction | string {
  const m = mapping.config;
  const templatedKey = /\{\{/.test(m.sessionKey ?? "");
  if (m.action === "wake") {
    const text = renderTemplate(m.textTemplate, ctx).trim();
    if (!text) return `hook mapping ${mapping.id} produced an empty wake text (check textTemplate)`;
    return { kind: "wake", mappingId: mapping.id, text, mode: m.wakeMode ?? "now", agentId: trimmed(m.agentId), sessionKey: renderOptional(m.sessionKey, ctx) };
  }
  const message = renderTemplate(m.messageTemplate, ctx).trim();
  if (!message) return `hook mapping ${mapping.id} produced an empty message (check messageTemplate)`;
  return {
    kind: "agent",
    mappingId: mapping.id,
    sessionKeyFromRequest: templatedKey,
    message,
    name: renderOptional(m.name, ctx) ?? "Hook",
    agentId: trimmed(m.agentId),
    sessionKey: renderOptional(m.sessionKey, ctx),
    wakeMode: m.wakeMode ?? "now",
    deliver: m.deliver !== false,
    channel: trimmed(m.channel),
    to: renderOptional(m.to, ctx),
    model: renderOptional(m.model, ctx),
    thinking: renderOptional(m.thinking, ctx),
    timeoutSeconds: m.timeoutSeconds,
    allowUnsafeExternalContent: m.allowUnsafeExternalContent === true,
  };
}

/** `POST <base>/agent`: the payload as an action, or the 400 error OpenClaw words. */
export function parseAgentPayload(payload: Obj): HookAction | string {
  const message = trimmed(payload.message);
  if (!message) return "message required";
  if (payload.agentId !== undefined && !trimmed(payload.agentId)) return "agentId must be a non-empty string";
  if (payload.sessionKey !== undefined && !trimmed(payload.sessionKey)) return "sessionKey must be a non-empty string";
  const wakeMode = payload.wakeMode === "next-heartbeat" ? "next-heartbeat" : "now";
  const deliver = payload.deliver !== false;
  const channel = trimmed(payload.channel);
  const to = trimmed(payload.to);
  if (deliver && (channel === undefined) !== (to === undefined)) return "channel and to must be given together (or set deliver: false)";
  if (channel === "last") return "channel must name a channel; direct /agent requests cannot use \"last\"";
  const timeout = typeof payload.timeoutSeconds === "number" && payload.timeoutSeconds > 0 ? Math.floor(payload.timeoutSeconds) : undefined;
  return {
    kind: "agent",
    sessionKeyFromRequest: payload.sessionKey !== undefined,
    message,
    name: trimmed(payload.name) ?? "Hook",
    agentId: trimmed(payload.agentId),
    sessionKey: trimmed(payload.sessionKey),
    wakeMode,
    deliver,
    channel,
    to,
    model: trimmed(payload.model),
    thinking: trimmed(payload.thinking),
    timeoutSeconds: timeout,
    allowUnsafeExternalContent: false,
  };
}

/** `POST <base>/wake`: `{text, mode?, agentId?, sessionKey?}`, or the 400 error. */
export function parseWakePayload(payload: Obj): HookAction | string {
  const text = trimmed(payload.text);
  if (!text) return "text required";
  const mode = payload.mode === "next-heartbeat" ? "next-heartbeat" : "now";
  if (payload.agentId !== undefined && !trimmed(payload.agentId)) return "agentId must be a non-empty string";
  const sessionKey = trimmed(payload.sessionKey);
  if (payload.sessionKey !== undefined && !sessionKey) return "sessionKey must be a non-empty string";
  if (mode === "next-heartbeat" && sessionKey) return "sessionKey requires mode=now";
  return { kind: "wake", text, mode, agentId: trimmed(payload.agentId), sessionKey };
}
