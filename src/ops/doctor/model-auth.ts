/**
 * Can a model ref (`provider/model`) be used here? The provider must be known (built in, or defined
 * under `models.providers`) and have a credential: an auth profile for it, an API key variable in
 * the environment / `<stateDir>/.env` / the config's `env` block, or `models.providers.<id>.apiKey`.
 * Local providers (ollama, lmstudio, vllm, sglang) need none. `config set` warns with the result and
 * doctor reports it; neither refuses, since credentials are often added after the model is chosen.
 */
import { existsSync, readdirSync } from "node:fs";
import { authFixCommand, PROVIDER_ENV_VARS } from "../../agent/index.js";
import { loadDotEnvFile, type ResolvedPaths, readSmallRegularFile } from "../../infra/index.js";

/** Built-in providers and the variables OpenClaw reads their key from (any one will do): the runtime's table. */
export const PROVIDER_ENV_KEYS = PROVIDER_ENV_VARS;

/** Providers that run locally (or through a CLI's own login) and need no credential from us. */
const NO_CREDENTIAL_PROVIDERS = new Set(["ollama", "lmstudio", "vllm", "sglang", "claude-cli", "codex-cli"]);

/** What the check needs to know, gathered once. */
export interface ModelAuthFacts {
  /** Providers with at least one stored auth profile (any agent). */
  profileProviders: Set<string>;
  /** Variables with a non-empty value: process env, then `<stateDir>/.env`, then the config `env` block. */
  envKeys: Set<string>;
  /** `models.providers.<id>`: custom providers, and whether each has an `apiKey`. */
  customProviders: Map<string, { apiKey: boolean }>;
  /** `agents.defaults.models.<ref>.alias` → ref. */
  aliases: Map<string, string>;
  /** `<stateDir>/.env`, named in the advice. */
  envFile: string;
}

export interface ModelRefProblem {
  ref: string;
  kind: "unknown-provider" | "no-credentials" | "not-a-ref";
  message: string;
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Gathers the facts from the config input, the environment and the agents' auth-profile files. */
export function loadModelAuthFacts(o: { input: Record<string, unknown>; env: Record<string, string | undefined>; paths: ResolvedPaths }): ModelAuthFacts {
  const envKeys = new Set<string>();
  const add = (vars: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(vars)) if (typeof v === "string" && v.trim()) envKeys.add(k);
  };
  add(o.env);
  add(loadDotEnvFile(o.paths.layout.envFile));
  const configEnv = obj(o.input.env);
  add(configEnv);
  add(obj(configEnv.vars));

  const profileProviders = new Set<string>();
  const agentsDir = o.paths.layout.agentsDir;
  let ids: string[] = [];
  try {
    ids = readdirSync(agentsDir);
  } catch {
    // no agents yet
  }
  const listed = obj(o.input.agents).list;
  if (Array.isArray(listed)) for (const a of listed) if (typeof obj(a).id === "string") ids.push(obj(a).id as string);
  for (const id of new Set(ids)) {
    const file = o.paths.layout.authProfilesFile(id);
    if (!existsSync(file)) continue;
    try {
      // Never blocks (a FIFO or device here must not hang `config set` or doctor) and is bounded.
      const text = readSmallRegularFile(file, 4 * 1024 * 1024);
      if (text === null) continue;
      const data = obj(JSON.parse(text));
      const profiles = data.profiles === undefined ? data : obj(data.profiles);
      for (const [pid, p] of Object.entries(profiles)) {
        const provider = typeof obj(p).provider === "string" ? (obj(p).provider as string) : data.profiles === undefined ? pid : pid.split(":")[0];
        if (provider) profileProviders.add(provider);
      }
    } catch {
      // unreadable: doctor's auth check reports it
    }
  }

  const customProviders = new Map<string, { apiKey: boolean }>();
  for (const [id, p] of Object.entries(obj(obj(o.input.models).providers))) customProviders.set(id, { apiKey: typeof obj(p).apiKey === "string" ? (obj(p).apiKey as string).length > 0 : obj(p).apiKey !== undefined });
  const aliases = new Map<string, string>();
  for (const [ref, m] of Object.entries(obj(obj(obj(o.input.agents).defaults).models))) if (typeof obj(m).alias === "string") aliases.set(obj(m).alias as string, ref);
  return { profileProviders, envKeys, customProviders, aliases, envFile: o.paths.layout.envFile };
}

/** The model refs in a `model` / `imageModel` value: a string, `{ primary, fallbacks }`, or a list. */
export function modelRefsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  const o = obj(value);
  return [...(typeof o.primary === "string" ? [o.primary] : []), ...(Array.isArray(o.fallbacks) ? o.fallbacks.filter((v): v is string => typeof v === "string") : [])];
}

/** Problems with one model ref; empty when it can be used. Pure. */
export function checkModelRef(ref: string, facts: ModelAuthFacts): ModelRefProblem[] {
  const resolved = facts.aliases.get(ref) ?? ref;
  const slash = resolved.indexOf("/");
  if (slash <= 0 || slash === resolved.length - 1) {
    return [{ ref, kind: "not-a-ref", message: `model "${ref}" is not a provider/model ref (e.g. anthropic/claude-opus-4-6) or a configured alias` }];
  }
  const provider = resolved.slice(0, slash);
  if (NO_CREDENTIAL_PROVIDERS.has(provider)) return [];
  const custom = facts.customProviders.get(provider);
  const envNames = PROVIDER_ENV_KEYS[provider];
  if (!custom && !envNames && !facts.profileProviders.has(provider)) {
    return [{ ref, kind: "unknown-provider", message: `model "${ref}": provider "${provider}" is not a built-in provider and is not defined under models.providers` }];
  }
  if (facts.profileProviders.has(provider) || custom?.apiKey || (envNames ?? []).some((k) => facts.envKeys.has(k))) return [];
  const how = [authFixCommand(provider), ...(envNames?.length ? [`set ${envNames.join(" or ")} (e.g. in ${facts.envFile})`] : []), ...(custom ? [`set models.providers.${provider}.apiKey`] : [])];
  return [{ ref, kind: "no-credentials", message: `model "${ref}": no credentials for provider "${provider}" (no auth profile${envNames?.length ? `, ${envNames.join("/")} not set` : ""}); ${how.join(", or ")}` }];
}

/** Is this config path a model selection (`agents.defaults.model`, `agents.list.0.model.primary`, …)? */
export function isModelPath(segments: ReadonlyArray<string | number>): boolean {
  if (segments[0] !== "agents") return false;
  const at = segments[1] === "defaults" ? 2 : segments[1] === "list" || segments[1] === "entries" ? 3 : -1;
  if (at < 0 || (segments[at] !== "model" && segments[at] !== "imageModel")) return false;
  const rest = segments.slice(at + 1);
  return rest.length === 0 || ((rest[0] === "primary" || rest[0] === "fallbacks") && rest.length <= 2);
}
