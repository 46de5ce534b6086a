/** `openclaw setup` — see flow.ts (one engine for setup, onboard and configure). */
import type { CommandHandler } from "../../types.js";
import { runFirstRun } from "./flow.js";

export const run: CommandHandler = (ctx) => runFirstRun(ctx, "setup");
