/** `openclaw cron enable <id>`. */
import type { CommandHandler } from "../../types.js";
import { setEnabled } from "./toggle.js";

export const run: CommandHandler = (ctx) => setEnabled(ctx, true);
