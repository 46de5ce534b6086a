/** `openclaw system heartbeat enable [--json]`: `set-heartbeats {enabled: true}`. */
import type { CommandHandler } from "../../types.js";
import { setHeartbeats } from "./heartbeat-shared.js";

export const run: CommandHandler = (ctx) => setHeartbeats(ctx, true);
