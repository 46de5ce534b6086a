/** `openclaw system event --text <t> [--mode now|next-heartbeat] [--session-key k] [--json]`: the gateway's `wake`. */
import { AppError } from "../../../shared/index.js";
import { timeoutFor, withGateway } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";

export const run: CommandHandler = async (ctx) => {
  const text = typeof ctx.options.text === "string" ? ctx.options.text.trim() : "";
  if (!text) throw new AppError("USAGE", "--text is required", { hint: 'openclaw system event --text "deploy finished"' });
  const rawMode = typeof ctx.options.mode === "string" ? ctx.options.mode.trim() : "";
  const mode = rawMode || "next-heartbeat";
  if (mode !== "now" && mode !== "next-heartbeat") throw new AppError("USAGE", `--mode must be now or next-heartbeat (got "${rawMode.slice(0, 40)}")`, { hint: "openclaw system event --text <text> --mode now" });
  const sessionKey = typeof ctx.options["session-key"] === "string" && ctx.options["session-key"].trim() ? ctx.options["session-key"].trim() : undefined;
  const result = await withGateway(ctx, (client) => client.call("wake", { mode, text, ...(sessionKey ? { sessionKey } : {}) }, { timeoutMs: timeoutFor(ctx) }));
  return { data: result, human: "ok" };
};
