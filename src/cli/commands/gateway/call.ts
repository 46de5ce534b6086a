/** `openclaw gateway call <method> [--params <json>]` — any method, raw result. */
import { parseJson5 } from "../../../config/index.js";
import { AppError } from "../../../shared/index.js";
import { timeoutFor, withGateway } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";

export const run: CommandHandler = async (ctx) => {
  const method = ctx.args[0]!;
  let params: unknown = {};
  if (typeof ctx.options.params === "string") {
    try {
      params = parseJson5(ctx.options.params);
    } catch (error) {
      throw new AppError("USAGE", `--params is not valid JSON: ${(error as Error).message}`, { hint: `e.g. --params '{"limit": 5}'` });
    }
  }
  const result = await withGateway(ctx, (client) => client.call(method, params, { timeoutMs: timeoutFor(ctx) }));
  return { data: result, human: JSON.stringify(result, null, 2) };
};
