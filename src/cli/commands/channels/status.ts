/**
 * `openclaw channels status [--probe] [--timeout <ms>] [--channel <id>] [--json]`: the gateway's
 * `channels.status` (every call bounded by `--timeout`), one line per account, then warnings with
 * fixes: allowlist findings from the config, enabled accounts that are not running (with their last
 * error), failed probes. When the gateway cannot be reached it says so on stderr and prints the
 * config-only view instead, exiting 0 as OpenClaw does (`--json`: `{ gatewayReachable: false, … }`).
 */
import { lintChannelAllowlists } from "../../../channels/index.js";
import { AppError, toAppError } from "../../../shared/index.js";
import { targetFor, withGateway } from "../../rpc.js";
import type { CommandContext, CommandHandler, CommandResult } from "../../types.js";
import { type ConfiguredAccount, listConfiguredAccounts, loadChannelsInput, parseChannelId, renderConfiguredAccount } from "./inventory.js";
import { allowlistWarnings, type ChannelsStatusPayload, collectStatusWarnings, filterPayload, renderStatusLines, renderWarnings, type StatusWarning } from "./render-status.js";

const DEFAULT_TIMEOUT_MS = 10_000;

function timeoutOption(ctx: CommandContext): number {
  const t = ctx.options.timeout;
  if (t === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof t !== "number" || !Number.isInteger(t) || t <= 0) throw new AppError("USAGE", `--timeout must be a positive number of milliseconds, got ${JSON.stringify(t)}`, { hint: "openclaw channels status --probe --timeout 5000" });
  return t;
}

/** Errors that mean "the gateway is not there (or will not let us in)": the config-only view follows. */
function isGatewayUnavailable(error: AppError): boolean {
  return ["UNREACHABLE", "TIMEOUT", "UNAUTHORIZED", "AUTH_MISSING"].includes(error.code);
}

function configOnly(ctx: CommandContext, error: AppError, channel: string | undefined): CommandResult {
  const input = loadChannelsInput(ctx);
  const accounts: ConfiguredAccount[] = listConfiguredAccounts(ctx, input, channel);
  const warnings: StatusWarning[] = allowlistWarnings(lintChannelAllowlists(input.input), channel);
  const mode = (input.input.gateway as { mode?: unknown } | undefined)?.mode === "remote" ? "remote" : "local";
  const authUnavailable = error.code === "UNAUTHORIZED" || error.code === "AUTH_MISSING";
  const reason = authUnavailable ? "Gateway auth unavailable" : error.code === "TIMEOUT" ? "Gateway did not answer in time" : "Gateway not reachable";
  if (!ctx.json) ctx.warn(`${reason}: ${error.message}${error.hint ? ` (${error.hint})` : ""}`);
  const data = {
    gatewayReachable: false,
    error: error.message,
    gatewayAuthUnavailable: authUnavailable,
    configOnly: true,
    config: { path: input.path, mode },
    configuredChannels: [...new Set(accounts.map((a) => a.channel))],
    accounts: accounts.map(({ label: _label, ...a }) => a),
    warnings,
  };
  const human = [
    `${reason}; showing config-only status.`,
    `Config: ${input.path}`,
    `Mode: ${mode}`,
    "",
    ...(accounts.length ? accounts.map(renderConfiguredAccount) : ["- no configured chat channels (add one: openclaw channels add --channel telegram --token <bot-token>)"]),
    ...renderWarnings(warnings),
    "",
    "Start the gateway (openclaw gateway, or openclaw gateway start for the service) for live state; openclaw gateway status diagnoses it.",
  ];
  return { data, human };
}

export const run: CommandHandler = async (ctx) => {
  const channel = ctx.options.channel === "all" ? undefined : parseChannelId(ctx.options.channel);
  const timeoutMs = timeoutOption(ctx);
  const probe = ctx.options.probe === true;
  const deadline = Date.now() + timeoutMs;
  let payload: ChannelsStatusPayload;
  try {
    const target = targetFor(ctx);
    payload = (await withGateway(
      ctx,
      (client) => {
        // The gateway gets most of what is left for its probes, so its answer beats our own deadline.
        const remaining = Math.max(1, deadline - Date.now());
        const params = { probe, timeoutMs: Math.max(1, remaining - Math.min(1000, Math.floor(remaining / 5))), ...(channel ? { channel } : {}) };
        return client.call("channels.status", params, { timeoutMs: remaining });
      },
      { timeoutMs, target },
    )) as ChannelsStatusPayload;
  } catch (raw) {
    const error = toAppError(raw);
    if (!isGatewayUnavailable(error)) throw error;
    return configOnly(ctx, error, channel);
  }
  const shown = filterPayload(payload, channel);
  // Allowlist findings come from the file this CLI reads; an unreadable file must not hide the live state.
  let lint: StatusWarning[] = [];
  try {
    lint = allowlistWarnings(lintChannelAllowlists(loadChannelsInput(ctx).input), channel);
  } catch (error) {
    ctx.warn(`warning: allowlist checks skipped: ${toAppError(error).message}`);
  }
  const warnings = [...lint, ...collectStatusWarnings(shown)];
  const human = [`Gateway reachable${probe ? " (probed)" : ""}.`, "", ...renderStatusLines(shown, Date.now()), ...renderWarnings(warnings)];
  return { data: { ...shown, warnings }, human };
};
