/** `openclaw config file` — the active config path (no config parsing). */
import { existsSync } from "node:fs";
import type { CommandHandler } from "../../types.js";

export const run: CommandHandler = (ctx) => {
  const p = ctx.paths();
  return {
    data: { path: p.configPath, exists: existsSync(p.configPath), stateDir: p.stateDir, profile: p.profile ?? "default" },
    human: p.configPath,
  };
};
