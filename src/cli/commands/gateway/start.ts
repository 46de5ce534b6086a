/** `openclaw gateway start` — start the installed service (idempotent) and wait until it answers. */
import { AppError, EXIT } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { foregroundGateway, installedPort, notInstalled, serviceFailure, serviceSetup, waitForHealthy } from "./service-common.js";

export const run: CommandHandler = async (ctx) => {
  const setup = serviceSetup(ctx);
  const { manager, name } = setup;
  if (!manager.readInstalled(name)) throw notInstalled(setup, ctx);
  const port = installedPort(setup, ctx);
  const before = manager.runtime(name);
  if (before.status === "running") {
    return { data: { action: "already-running", name, kind: manager.kind, pid: before.pid ?? null, port }, human: `${name} is already running (pid ${before.pid ?? "?"}, ${manager.label})` };
  }
  const fg = foregroundGateway(ctx, before.pid);
  if (fg) {
    throw new AppError("GATEWAY_LOCKED", `a gateway for ${ctx.paths().configPath} already runs outside the service (pid ${fg.pid}, port ${fg.port})`, {
      hint: `Stop it first (kill ${fg.pid}), then run openclaw gateway start again.`,
    });
  }
  const since = Date.now();
  try {
    await manager.start(name);
  } catch (error) {
    throw serviceFailure(setup, "starting", error);
  }
  const health = await waitForHealthy(setup, port, { previousPid: before.pid, since });
  return {
    data: { action: "started", name, kind: manager.kind, port, healthy: health.healthy, pid: health.pid ?? null, ...(health.detail ? { detail: health.detail } : {}) },
    human: health.healthy ? `started ${name} (pid ${health.pid ?? "?"}) on ws://127.0.0.1:${port}` : `started ${name}, but it is not healthy: ${health.detail}`,
    exitCode: health.healthy ? EXIT.ok : EXIT.problems,
  };
};
