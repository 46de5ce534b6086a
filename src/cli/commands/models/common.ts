/** What every `openclaw models …` command needs: the config (env substituted), the agent and its auth store. */
import { type AuthStore, type AuthStoreLocation, loadAuthStore, resolveAuthStoreLocation } from "../../../agent/index.js";
import { assertConfigReadable, loadConfigRuntime, readConfigInput } from "../../../config/index.js";
import type { ResolvedPaths } from "../../../infra/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandContext } from "../../types.js";

export interface ModelsContext {
  config: Record<string, unknown>;
  paths: ResolvedPaths;
  location: AuthStoreLocation;
  loadStore(): AuthStore;
}

/** Reads the config and locates the agent's auth store (`--agent`, OPENCLAW_AGENT_DIR, default agent). */
export function loadModelsContext(ctx: CommandContext): ModelsContext {
  const paths = ctx.paths();
  const snapshot = readConfigInput({ configPath: paths.configPath, env: ctx.env, lenientEnv: true });
  assertConfigReadable(snapshot);
  const agent = ctx.options.agent;
  const location = resolveAuthStoreLocation({
    config: snapshot.input,
    agentDirOf: (id) => paths.layout.agentDir(id),
    agentId: typeof agent === "string" ? agent : undefined,
    env: ctx.env,
    home: paths.home,
  });
  return { config: snapshot.input, paths, location, loadStore: () => loadAuthStore(location.file) };
}

/** The provider named by `--provider`, required. */
export function requireProvider(ctx: CommandContext): string {
  const p = ctx.options.provider;
  if (typeof p !== "string" || !p.trim()) throw new AppError("USAGE", `--provider is required for "openclaw ${["models", ...ctx.args].join(" ")}"`.trim(), { hint: "e.g. --provider anthropic" });
  return p.trim().toLowerCase();
}

/** `agents.defaults.model` as `{ primary, fallbacks }`, whatever shape it is written in. */
export function currentDefaults(config: Record<string, unknown>): { primary?: string; fallbacks: string[] } {
  const model = ((config.agents as Record<string, unknown> | undefined)?.defaults as Record<string, unknown> | undefined)?.model;
  if (typeof model === "string") return { primary: model, fallbacks: [] };
  const m = (model ?? {}) as { primary?: unknown; fallbacks?: unknown };
  return { primary: typeof m.primary === "string" ? m.primary : undefined, fallbacks: Array.isArray(m.fallbacks) ? m.fallbacks.filter((x): x is string => typeof x === "string") : [] };
}

/** Writes `agents.defaults.model` as an object (validated, atomic, comments kept) and returns the edit result. */
export async function writeDefaults(ctx: CommandContext, next: { primary?: string; fallbacks: string[] }) {
  const { runConfigSet } = await loadConfigRuntime();
  const value: Record<string, unknown> = { ...(next.primary ? { primary: next.primary } : {}), fallbacks: next.fallbacks };
  return runConfigSet({ configPath: ctx.paths().configPath, env: ctx.env, path: "agents.defaults.model", value });
}
