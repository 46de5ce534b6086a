/** What `pairing list` and `pairing approve` share: the store over this state dir and the channel to act on. */
import { NON_CHANNEL_KEYS, PairingStore } from "../../../channels/index.js";
import { assertConfigReadable, readConfigInput } from "../../../config/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandContext } from "../../types.js";

/** Configured, enabled channels (`channels.defaults` and `channels.modelByChannel` are not channels). */
function configuredChannels(ctx: CommandContext): string[] {
  const snapshot = readConfigInput({ configPath: ctx.paths().configPath, env: ctx.env, lenientEnv: true });
  if (!snapshot.exists) return [];
  assertConfigReadable(snapshot);
  const channels = (snapshot.input as { channels?: Record<string, { enabled?: unknown } | undefined> }).channels ?? {};
  return Object.entries(channels)
    .filter(([id, c]) => !NON_CHANNEL_KEYS.has(id) && c?.enabled !== false)
    .map(([id]) => id)
    .sort();
}

/** The channel named positionally or by `--channel` (they must agree), else the only configured one. */
export function resolvePairingChannel(ctx: CommandContext, positional: string | undefined): string {
  const flag = typeof ctx.options.channel === "string" ? ctx.options.channel.trim().toLowerCase() : undefined;
  const pos = positional?.trim().toLowerCase();
  if (flag && pos && flag !== pos) throw new AppError("USAGE", `conflicting pairing channels: "${flag}" and "${pos}"`, { hint: "Pass the channel either positionally or with --channel." });
  const chosen = flag || pos;
  if (chosen) return chosen;
  const configured = configuredChannels(ctx);
  if (configured.length === 1) return configured[0]!;
  throw new AppError("USAGE", configured.length === 0 ? "no channel given and none is configured" : `channel required (configured: ${configured.join(", ")})`, { hint: "openclaw pairing list telegram" });
}

/** `--account <id>`, rejecting a blank value. */
export function accountOption(ctx: CommandContext): string | undefined {
  const v = ctx.options.account;
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.trim() === "") throw new AppError("USAGE", "--account must not be blank", { hint: "openclaw pairing list telegram --account work" });
  return v.trim();
}

/**
 * The store over this state dir's credentials files and `state/openclaw.sqlite` (OpenClaw 2026.9's
 * copy); a source that cannot be read (a broken database) is a warning on stderr, the rest still answers.
 */
export function pairingStore(ctx: CommandContext): PairingStore {
  const { credentialsDir, stateDir } = ctx.paths().layout;
  return new PairingStore({ credentialsDir, stateDir, onProblem: (e) => ctx.warn(`${e.message}. ${e.hint ?? ""}`.trim()) });
}
