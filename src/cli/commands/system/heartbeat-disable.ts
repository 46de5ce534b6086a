/** `openclaw system heartbeat disable [--json]`: `set-heartbeats {enabled: false}` (until enable or a gateway restart). */
import type { CommandHandler } from "../../types.js";
import { setHeartbeats } from "./heartbeat-shared.js";

export const run: CommandHandler = (ctx) => setHeartbeats(ctx, false);
