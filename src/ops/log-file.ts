/** Where the gateway's rolling file log is for a config (`logging.file`, else `/tmp/openclaw[-<profile>]`). */
import { readConfigInput } from "../config/index.js";
import { defaultLogDir, type Env, expandUserPath } from "../infra/index.js";
import { resolveCurrentLogFile } from "../logging/index.js";

export function resolveGatewayLogFile(env: Env, configPath: string): string {
  const { input } = readConfigInput({ configPath, env, lenientEnv: true });
  const logging = input.logging as { file?: unknown } | undefined;
  const configured = typeof logging?.file === "string" && logging.file.trim() ? expandUserPath(logging.file, env) : undefined;
  return resolveCurrentLogFile(configured, defaultLogDir(env));
}
