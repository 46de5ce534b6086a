/**
 * `openclaw channels add --channel <id> [--account <id>] [--name] [--token|--token-file|--use-env]
 * [--webhook-url] [--webhook-secret] [--webhook-path] [--audience-type] [--audience]`: writes
 * `channels.<id>` (or `.accounts.<id>`) through the config write path, non-interactively. The
 * token is never printed: output names only where it comes from. No wizard: missing flags are a
 * one-line usage error naming the flags to pass.
 */
import { lstatSync } from "node:fs";
import path from "node:path";
import { expandUserPath } from "../../../infra/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandContext, CommandHandler } from "../../types.js";
import { renderEdit } from "../config/render-edit.js";
import { accountPath, channelArg, channelSection, writeChannelPatch } from "./edit.js";
import { listConfiguredAccounts, loadChannelsInput, parseAccountId } from "./inventory.js";

type Section = Record<string, unknown>;

/** Config keys each channel keeps its credential under (OpenClaw's), and the env vars of its default account. */
const CREDENTIAL_KEYS: Record<string, { token: string; file: string; env: string[] }> = {
  telegram: { token: "botToken", file: "tokenFile", env: ["TELEGRAM_BOT_TOKEN"] },
  googlechat: { token: "serviceAccount", file: "serviceAccountFile", env: ["GOOGLE_CHAT_SERVICE_ACCOUNT_FILE", "GOOGLE_CHAT_SERVICE_ACCOUNT"] },
};
const GENERIC_KEYS = { token: "token", file: "tokenFile", env: [] as string[] };
const TELEGRAM_TOKEN_SHAPE = /^\d{3,}:[A-Za-z0-9_-]{10,}$/;

const str = (ctx: CommandContext, name: string): string | undefined => {
  const v = ctx.options[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.trim() === "") throw new AppError("USAGE", `--${name} must not be blank`, { hint: `Pass a value, or leave --${name} out.` });
  return v.trim();
};

function onlyFor(ctx: CommandContext, channel: string, flags: string[], allowed: string): void {
  const used = flags.filter((f) => ctx.options[f] !== undefined);
  if (used.length > 0 && channel !== allowed) throw new AppError("USAGE", `--${used[0]} applies to ${allowed} only, not ${channel}`, { hint: `Leave --${used[0]} out for ${channel}.` });
}

function tokenFile(ctx: CommandContext, raw: string): string {
  const file = raw.startsWith("~") ? expandUserPath(raw, ctx.env) : path.resolve(ctx.cwd, raw);
  let isFile = false;
  try {
    isFile = lstatSync(file).isFile();
  } catch {
    throw new AppError("NOT_FOUND", `--token-file ${file} does not exist`, { hint: "Write the token into that file first (chmod 600), then run the command again." });
  }
  if (!isFile) throw new AppError("USAGE", `--token-file ${file} is not a regular file (symlinks are rejected)`, { hint: "Point --token-file at the file itself." });
  return file;
}

/** The settings this invocation writes for the account, checked per channel. */
function settingsFor(ctx: CommandContext, channel: string, accountId: string | undefined, existing: Section, isDefault: boolean): { patch: Section; source: string | undefined } {
  const keys = CREDENTIAL_KEYS[channel] ?? GENERIC_KEYS;
  const token = str(ctx, "token");
  const file = str(ctx, "token-file");
  const useEnv = ctx.options["use-env"] === true;
  if ([token, file, useEnv || undefined].filter((x) => x !== undefined).length > 1) {
    throw new AppError("USAGE", "pass only one credential flag: --token-file, --use-env or --token", { hint: `openclaw channels add --channel ${channel} --token-file <path>` });
  }
  onlyFor(ctx, channel, ["webhook-secret"], "telegram");
  onlyFor(ctx, channel, ["audience-type", "audience"], "googlechat");
  const patch: Section = { enabled: true };
  const name = str(ctx, "name");
  if (name) patch.name = name;
  let source: string | undefined;
  if (token !== undefined) {
    if (channel === "telegram" && !TELEGRAM_TOKEN_SHAPE.test(token)) {
      throw new AppError("USAGE", "the bot token given does not look like a Telegram bot token (<digits>:<secret>, from @BotFather)", { hint: "Copy the whole token BotFather gave you, or use --token-file <path>." });
    }
    if (channel === "googlechat") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(token);
      } catch {
        parsed = undefined;
      }
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new AppError("USAGE", "googlechat needs the service account JSON object as its token", { hint: "Or pass the downloaded key file: --token-file <service-account.json>." });
    }
    patch[keys.token] = token;
    patch[keys.file] = null;
    source = "config";
  } else if (file !== undefined) {
    patch[keys.file] = tokenFile(ctx, file);
    patch[keys.token] = null;
    source = "file";
  } else if (useEnv) {
    if (keys.env.length === 0) throw new AppError("USAGE", `--use-env is not supported for ${channel}`, { hint: `Pass --token or --token-file for ${channel}.` });
    if (!isDefault) throw new AppError("USAGE", `--use-env applies to the default account only (${keys.env.join(" or ")} is not read for account "${accountId}")`, { hint: `Use --token-file <path> for account ${accountId}.` });
    if (!keys.env.some((name) => ctx.env[name]?.trim())) throw new AppError("USAGE", `--use-env: ${keys.env.join(" or ")} is not set in this environment`, { hint: `export ${keys.env[0]}=… (the gateway service needs it too), then run the command again.` });
    source = "env";
  } else if (channel !== "webchat" && existing[keys.token] === undefined && existing[keys.file] === undefined) {
    throw new AppError("USAGE", `channels add --channel ${channel} needs a credential: pass --token <token>, --token-file <path>${keys.env.length ? " or --use-env" : ""}`, {
      hint: `openclaw channels add --channel ${channel}${accountId ? ` --account ${accountId}` : ""} --token-file <path> (no interactive wizard)`,
    });
  }
  const webhookUrl = str(ctx, "webhook-url");
  if (webhookUrl !== undefined) {
    let ok = false;
    try {
      ok = new URL(webhookUrl).protocol === "https:";
    } catch {
      ok = false;
    }
    if (!ok) throw new AppError("USAGE", `--webhook-url must be an https:// URL, got "${webhookUrl}"`, { hint: "Use the public HTTPS address that forwards to the gateway." });
    patch.webhookUrl = webhookUrl;
  }
  const secret = str(ctx, "webhook-secret");
  if (secret !== undefined) patch.webhookSecret = secret;
  if (channel === "telegram" && webhookUrl !== undefined && secret === undefined && existing.webhookSecret === undefined) {
    throw new AppError("USAGE", "--webhook-url needs --webhook-secret for Telegram (updates are checked against it)", { hint: "Add --webhook-secret <random string>, e.g. $(openssl rand -hex 24)." });
  }
  const webhookPath = str(ctx, "webhook-path");
  if (webhookPath !== undefined) {
    if (!webhookPath.startsWith("/")) throw new AppError("USAGE", `--webhook-path must start with "/", got "${webhookPath}"`, { hint: "For example --webhook-path /googlechat" });
    patch.webhookPath = webhookPath;
  }
  const audienceType = str(ctx, "audience-type");
  if (audienceType !== undefined) {
    if (audienceType !== "app-url" && audienceType !== "project-number") throw new AppError("USAGE", `--audience-type must be app-url or project-number, got "${audienceType}"`);
    patch.audienceType = audienceType;
  }
  const audience = str(ctx, "audience");
  if (audience !== undefined) patch.audience = audience;
  return { patch, source };
}

export const run: CommandHandler = async (ctx) => {
  const example = "openclaw channels add --channel telegram --token-file <path>";
  const channel = channelArg(ctx, example);
  if (!channel) throw new AppError("USAGE", "which channel? pass --channel <id> with its credential flags", { hint: `${example} (no interactive wizard; see openclaw channels add --help)` });
  const accountId = parseAccountId(ctx.options.account, `openclaw channels add --channel ${channel} --account work --token-file <path>`);
  const input = loadChannelsInput(ctx);
  const section = channelSection(input.input, channel);
  const at = accountPath(section, channel, accountId);
  const existing = at.length === 2 ? section : ((section.accounts as Record<string, Section> | undefined)?.[at[3]!] ?? {});
  const effectiveAccount = accountId ?? "default";
  const isDefault = at.length === 2 || effectiveAccount === (typeof section.defaultAccount === "string" ? section.defaultAccount : "default");
  const { patch } = settingsFor(ctx, channel, accountId, existing, isDefault);
  const result = await writeChannelPatch(ctx, at, patch);
  // Where the credential now comes from, as the gateway will resolve it (re-read after the write).
  const after = listConfiguredAccounts(ctx, loadChannelsInput(ctx), channel).find((a) => a.accountId === effectiveAccount);
  const tokenSource = after?.tokenSource ?? "none";
  const warnings = [...result.warnings];
  if (at.length === 4 && !Object.keys((section.accounts as object | undefined) ?? {}).length && (section.botToken !== undefined || section.tokenFile !== undefined || section.token !== undefined)) {
    warnings.push(`channels.${channel} has a top-level credential; with accounts.* set, the named accounts inherit it and no separate "default" account runs (add one with --account default)`);
  }
  for (const w of warnings) ctx.warn(`warning: ${w}`);
  const data = { channel, accountId: effectiveAccount, configPath: result.configPath, path: result.path, changed: result.changed, written: result.written, tokenSource, reload: result.reload, ...(result.backupPath ? { backupPath: result.backupPath } : {}) };
  const human = [`${result.changed ? "Saved" : "Unchanged:"} ${channel} account ${effectiveAccount} (credential: ${tokenSource}).`, ...renderEdit(result, "set")];
  return { data, human };
};
