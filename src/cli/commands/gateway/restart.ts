/**
 * `openclaw gateway restart` — check the config first (a broken config is not restarted into a
 * crash loop), then restart through the supervisor and wait until the gateway answers. Without a
 * service, a foreground gateway for this config is restarted in process (SIGUSR1).
 */
import path from "node:path";
import { formatIssue, loadConfigRuntime } from "../../../config/index.js";
import { type Env, fillEnvFromFiles } from "../../../infra/index.js";
import { type InstalledService, serviceStateDir } from "../../../service/index.js";
import { AppError, EXIT } from "../../../shared/index.js";
import type { CommandContext, CommandHandler } from "../../types.js";
import { foregroundGateway, httpLive, installedPort, notInstalled, serviceFailure, serviceSetup, waitForHealthy } from "./service-common.js";

/**
 * The environment the restarted gateway will have: the installed service's own environment and env
 * file, then the state `.env` (what the gateway reads itself); without a service, this command's
 * (the shell already filled it the same way). A `${VAR}` missing or empty there is a refusal here,
 * not an exit 78 after the restart.
 */
function serviceEnv(ctx: CommandContext, installed: InstalledService | undefined): Env {
  if (!installed) return ctx.env;
  const stateDir = serviceStateDir(installed.environment, ctx.paths().home);
  return fillEnvFromFiles(installed.environment, [path.join(stateDir, ".env"), ...(installed.envFile ? [installed.envFile] : [])]).env;
}

async function preflightConfig(ctx: CommandContext, installed: InstalledService | undefined): Promise<void> {
  const { loadConfigSnapshot } = await loadConfigRuntime();
  const configPath = ctx.paths().configPath;
  // A foreground gateway's environment is not known here: missing variables are only warnings then.
  const snapshot = loadConfigSnapshot({ configPath, env: serviceEnv(ctx, installed), lenientEnv: installed === undefined });
  if (snapshot.valid) return;
  const first = snapshot.issues[0];
  throw new AppError("CONFIG_INVALID", `not restarting: ${configPath} is invalid (${snapshot.issues.length} problem${snapshot.issues.length === 1 ? "" : "s"})${first ? `: ${first.file && first.message.includes(first.file) ? first.message : formatIssue(first)}` : ""}`, {
    hint: `Fix it (openclaw config validate) or restore the previous version (${configPath}.bak); the running gateway keeps its last good config.`,
  });
}

export const run: CommandHandler = async (ctx) => {
  const setup = serviceSetup(ctx);
  const { manager, name } = setup;
  const installed = manager.readInstalled(name);
  await preflightConfig(ctx, installed);
  if (!installed) {
    const fg = foregroundGateway(ctx, undefined);
    if (!fg) throw notInstalled(setup, ctx);
    process.kill(fg.pid, "SIGUSR1");
    const deadline = Date.now() + 20_000;
    // The in-process restart closes and reopens the listener: wait for it to drop, then come back.
    while (Date.now() < deadline && (await httpLive(fg.port, 300))) await new Promise((r) => setTimeout(r, 50));
    while (Date.now() < deadline && !(await httpLive(fg.port, 500))) await new Promise((r) => setTimeout(r, 100));
    const healthy = await httpLive(fg.port);
    return { data: { action: "restarted-in-process", pid: fg.pid, port: fg.port, healthy }, human: `restarted the foreground gateway in process (pid ${fg.pid})`, exitCode: healthy ? EXIT.ok : EXIT.problems };
  }
  const port = installedPort(setup, ctx);
  const before = manager.runtime(name);
  const since = Date.now();
  try {
    if (before.status === "running" || before.status === "restarting") await manager.restart(name);
    else await manager.start(name);
  } catch (error) {
    throw serviceFailure(setup, "restarting", error);
  }
  const health = await waitForHealthy(setup, port, { previousPid: before.pid, since });
  return {
    data: { action: before.status === "running" ? "restarted" : "started", name, kind: manager.kind, port, healthy: health.healthy, pid: health.pid ?? null, previousPid: before.pid ?? null, ...(health.detail ? { detail: health.detail } : {}) },
    human: health.healthy ? `restarted ${name} (pid ${before.pid ?? "-"} → ${health.pid ?? "?"})` : `restarted ${name}, but it is not healthy: ${health.detail}`,
    exitCode: health.healthy ? EXIT.ok : EXIT.problems,
  };
};
