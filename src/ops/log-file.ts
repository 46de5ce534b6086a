/**
 * Where the gateway's rolling file log is for a state dir and its config: `logging.file` when set,
 * else `<stateDir>/logs/openclaw.log` (the stable current file; dated archives sit beside it).
 */
import { readConfigInput } from "../config/index.js";
import { defaultLogDir, type Env, expandUserPath } from "../infra/index.js";
import { resolveCurrentLogFile } from "../logging/index.js";

/** The current log file the gateway of `stateDir` writes, as the gateway itself resolves it. */
export function resolveGatewayLogFile(env: Env, where: { configPath: string; stateDir: string }): string {
  const { input } = readConfigInput({ configPath: where.configPath, env, lenientEnv: true });
  const logging = input.logging as { file?: unknown } | undefined;
  const configured = typeof logging?.file === "string" && logging.file.trim() ? expandUserPath(logging.file, env) : undefined;
  return resolveCurrentLogFile(configured, defaultLogDir(where.stateDir));
}
