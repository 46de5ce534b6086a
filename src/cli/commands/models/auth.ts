/**
 * `openclaw models auth add|list|paste-token|setup-token|order` — the agent's `auth-profiles.json`.
 * Secrets arrive on stdin or through a hidden prompt, never in argv, and are never printed.
 */
import { spawnSync } from "node:child_process";
import { type AuthCredential, collectModelAuthStatus, credentialExpiry, credentialSecret, unusableUntil, updateAuthStore } from "../../../agent/index.js";
import { AppError, maskSecret } from "../../../shared/index.js";
import { promptHidden, readPipedSecret } from "../../prompt.js";
import type { CommandContext, CommandHandler } from "../../types.js";
import { loadModelsContext, requireProvider } from "./common.js";

const PIPE_TIMEOUT_MS = 30_000;

/** `365d`, `12h`, `30m`, `90s` → ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(d|h|m|s|w)$/i.exec(text.trim());
  if (!m) throw new AppError("USAGE", `--expires-in "${text}" is not a duration`, { hint: "Use a number and a unit: 365d, 12h, 30m." });
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2]!.toLowerCase() as "s"]!;
  return Math.round(Number(m[1]) * unit);
}

function refuseArgvSecret(ctx: CommandContext, verb: string): void {
  if (ctx.args.length > 0) {
    throw new AppError("USAGE", "secrets are never taken as arguments (they would land in shell history and process lists)", {
      hint: `Pipe it instead: printf '%s' "$TOKEN" | openclaw models auth ${verb} --provider <p>`,
    });
  }
}

/** The secret: a hidden prompt on a terminal, else stdin (bounded in size and time). */
async function readSecret(what: string, provider: string): Promise<string> {
  const secret = process.stdin.isTTY === true ? await promptHidden(`Paste ${what} for ${provider}: `) : await readPipedSecret({ timeoutMs: PIPE_TIMEOUT_MS, what });
  if (!secret) throw new AppError("USAGE", `no ${what} given`, { hint: `Pipe it in: printf '%s' "$TOKEN" | openclaw models auth paste-token --provider ${provider}` });
  if (/\s/.test(secret)) throw new AppError("USAGE", `the ${what} contains whitespace; paste exactly one value`);
  return secret;
}

function saveCredential(ctx: CommandContext, profileId: string, cred: AuthCredential) {
  const m = loadModelsContext(ctx);
  updateAuthStore(m.location.file, (store) => {
    store.profiles[profileId] = cred;
    // A fresh credential starts clean: no leftover cooldown from the one it replaces.
    if (store.usageStats?.[profileId]) delete store.usageStats[profileId];
  });
  const expires = credentialExpiry(cred);
  return {
    data: { profileId, provider: cred.provider, type: cred.type, file: m.location.file, agentId: m.location.agentId, ...(expires ? { expires } : {}) },
    human: `Saved ${cred.type === "api_key" ? "API key" : "token"} ${maskSecret(credentialSecret(cred))} for ${cred.provider} as profile ${profileId} (${m.location.file})${expires ? `; expires ${new Date(expires).toISOString()}` : ""}`,
  };
}

export const pasteToken: CommandHandler = async (ctx) => {
  refuseArgvSecret(ctx, "paste-token");
  const provider = requireProvider(ctx);
  const profileId = typeof ctx.options["profile-id"] === "string" ? ctx.options["profile-id"] : `${provider}:manual`;
  const expiresIn = typeof ctx.options["expires-in"] === "string" ? parseDuration(ctx.options["expires-in"]) : undefined;
  const token = await readSecret("token", provider);
  return saveCredential(ctx, profileId, { type: "token", provider, token, ...(expiresIn ? { expires: Date.now() + expiresIn } : {}) });
};

export const add: CommandHandler = async (ctx) => {
  refuseArgvSecret(ctx, "add");
  const provider = requireProvider(ctx);
  const type = (ctx.options.type ?? "api-key") as string;
  if (type !== "api-key" && type !== "token") throw new AppError("USAGE", `--type must be api-key or token, got "${type}"`);
  const profileId = typeof ctx.options["profile-id"] === "string" ? ctx.options["profile-id"] : `${provider}:default`;
  const secret = await readSecret(type === "api-key" ? "API key" : "token", provider);
  return saveCredential(ctx, profileId, type === "api-key" ? { type: "api_key", provider, key: secret } : { type: "token", provider, token: secret });
};

export const setupToken: CommandHandler = async (ctx) => {
  const provider = requireProvider(ctx);
  const pasteHint = `Run \`claude setup-token\` where Claude Code is signed in, then: printf '%s' "$TOKEN" | openclaw models auth paste-token --provider ${provider}`;
  if (provider !== "anthropic") throw new AppError("USAGE", `setup-token is available for anthropic only, not "${provider}"`, { hint: `Use: openclaw models auth paste-token --provider ${provider}` });
  if (process.stdin.isTTY !== true || ctx.io.stderr.isTTY !== true) throw new AppError("USAGE", "setup-token needs an interactive terminal", { hint: pasteHint });
  const probe = spawnSync("claude", ["--version"], { env: ctx.env as NodeJS.ProcessEnv, stdio: "ignore", timeout: 10_000 });
  if (probe.error || probe.status !== 0) {
    ctx.warn(`Claude Code (\`claude\`) is not on PATH; generate a token on a machine where it is: \`claude setup-token\``);
  } else {
    ctx.warn("Running `claude setup-token` (follow its browser sign-in; it prints a long-lived token)…");
    const r = spawnSync("claude", ["setup-token"], { env: ctx.env as NodeJS.ProcessEnv, stdio: "inherit", timeout: 15 * 60_000 });
    if (r.status !== 0) throw new AppError("AUTH_MISSING", "`claude setup-token` did not finish", { hint: pasteHint });
  }
  const token = await readSecret("setup token", provider);
  if (!token.startsWith("sk-ant-")) ctx.warn("warning: this does not look like an Anthropic token (sk-ant-…); saved anyway");
  return saveCredential(ctx, typeof ctx.options["profile-id"] === "string" ? ctx.options["profile-id"] : `${provider}:default`, { type: "token", provider, token });
};

export const list: CommandHandler = (ctx) => {
  const m = loadModelsContext(ctx);
  const store = m.loadStore();
  const only = typeof ctx.options.provider === "string" ? ctx.options.provider.toLowerCase() : undefined;
  const now = Date.now();
  const health = new Map(collectModelAuthStatus({ config: m.config, env: ctx.env, store, storePath: m.location.file, now }).auth.oauth.profiles.map((p) => [p.profileId, p]));
  const profiles = Object.entries(store.profiles)
    .filter(([, c]) => !only || c.provider === only)
    .map(([profileId, c]) => {
      const stats = store.usageStats?.[profileId];
      const until = unusableUntil(stats, now);
      return {
        profileId,
        provider: c.provider,
        type: c.type,
        label: c.type === "oauth" ? "OAuth" : maskSecret(credentialSecret(c)),
        ...(c.email ? { email: c.email } : {}),
        status: health.get(profileId)?.status ?? "static",
        ...(credentialExpiry(c) ? { expires: credentialExpiry(c) } : {}),
        ...(until ? { unusable: { kind: (stats?.disabledUntil ?? 0) > now ? "disabled" : "cooldown", reason: stats?.disabledReason, until } } : {}),
      };
    });
  const human = profiles.length
    ? profiles.map((p) => `${p.profileId}\t${p.type}\t${p.label}\t${p.status}${p.unusable ? `\t${p.unusable.kind} (${p.unusable.reason ?? "?"}) until ${new Date(p.unusable.until).toISOString()}` : ""}`)
    : [`No auth profiles in ${m.location.file}${only ? ` for ${only}` : ""}.`];
  return { data: { agentId: m.location.agentId, file: m.location.file, profiles }, human };
};

export const orderGet: CommandHandler = (ctx) => {
  const provider = requireProvider(ctx);
  const m = loadModelsContext(ctx);
  const order = m.loadStore().order?.[provider] ?? null;
  return { data: { provider, order, file: m.location.file }, human: order ? order.join("\n") : `No order override for ${provider} (auth.order.${provider} or round-robin applies).` };
};

export const orderSet: CommandHandler = (ctx) => {
  const provider = requireProvider(ctx);
  const m = loadModelsContext(ctx);
  const ids = ctx.args.flatMap((a) => a.split(",")).map((s) => s.trim()).filter(Boolean);
  updateAuthStore(m.location.file, (store) => {
    const unknown = ids.filter((id) => store.profiles[id]?.provider !== provider);
    if (unknown.length) throw new AppError("NOT_FOUND", `no ${provider} profile ${unknown.join(", ")} in ${m.location.file}`, { hint: `Known: ${Object.keys(store.profiles).filter((id) => store.profiles[id]!.provider === provider).join(", ") || "none"}.` });
    store.order = { ...(store.order ?? {}), [provider]: ids };
  });
  return { data: { provider, order: ids, file: m.location.file }, human: `Order for ${provider}: ${ids.join(", ")}` };
};

export const orderClear: CommandHandler = (ctx) => {
  const provider = requireProvider(ctx);
  const m = loadModelsContext(ctx);
  updateAuthStore(m.location.file, (store) => {
    if (store.order) delete store.order[provider];
  });
  return { data: { provider, order: null, file: m.location.file }, human: `Cleared the order override for ${provider}.` };
};
