/**
 * What `channels add` and `channels remove` share: the channel named positionally or by
 * `--channel`, where in `channels.<id>` an account lives, and one merge-patch write through the
 * config write path (validated, atomic, comments kept, previous version kept as `.bak`).
 */
import { type ConfigEditResult, loadConfigRuntime, readConfigInput } from "../../../config/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandContext } from "../../types.js";
import { parseChannelId } from "./inventory.js";

type Section = Record<string, unknown>;

const obj = (v: unknown): Section => (v && typeof v === "object" && !Array.isArray(v) ? (v as Section) : {});

/** The channel from the positional and/or `--channel` (they must agree); `undefined` when neither is given. */
export function channelArg(ctx: CommandContext, example: string): string | undefined {
  const flag = parseChannelId(ctx.options.channel, example);
  const pos = ctx.args[0] === undefined ? undefined : parseChannelId(ctx.args[0], example);
  if (flag && pos && flag !== pos) throw new AppError("USAGE", `conflicting channels: "${pos}" and --channel "${flag}"`, { hint: "Pass the channel either positionally or with --channel." });
  return flag ?? pos;
}

/**
 * Where an account's settings live: `channels.<id>.accounts.<account>` for a named account (or for
 * `default` when the channel already has an `accounts` map holding it), else `channels.<id>` itself.
 */
export function accountPath(section: Section, channel: string, accountId: string | undefined): string[] {
  const accounts = obj(section.accounts);
  if (accountId === undefined || (accountId === "default" && !Object.hasOwn(accounts, "default"))) return ["channels", channel];
  return ["channels", channel, "accounts", accountId];
}

/** Nests `value` under `path` as a merge patch (`["a","b"], v` → `{ a: { b: v } }`). */
function nest(path: string[], value: unknown): Record<string, unknown> {
  return path.reduceRight<unknown>((acc, key) => ({ [key]: acc }), value) as Record<string, unknown>;
}

/** Applies a merge patch at `path` (objects merge, `null` deletes) through the config write path. */
export async function writeChannelPatch(ctx: CommandContext, path: string[], value: unknown): Promise<ConfigEditResult> {
  const configPath = ctx.paths().configPath;
  const { mergePatchConfig } = await loadConfigRuntime();
  const baseHash = readConfigInput({ configPath, env: ctx.env, lenientEnv: true }).hash ?? undefined;
  const result = mergePatchConfig({ configPath, env: ctx.env, baseHash, patch: JSON.stringify(nest(path, value)) });
  return { ...result, path: path.join(".") };
}

/** The channel's section of the config input (`{}` when absent). */
export function channelSection(input: Record<string, unknown>, channel: string): Section {
  return obj(obj(input.channels)[channel]);
}
