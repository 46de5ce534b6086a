/** `openclaw system heartbeat last [--json]`: the gateway's last heartbeat event (`last-heartbeat`). */
import type { CommandHandler } from "../../types.js";
import { lastHeartbeat } from "./heartbeat-shared.js";

export const run: CommandHandler = (ctx) => lastHeartbeat(ctx);
