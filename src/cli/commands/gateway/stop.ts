/** `openclaw gateway stop` — stop the service (it stays installed) and wait until it is down. */
import { AppError, EXIT } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { foregroundGateway, notInstalled, serviceFailure, serviceSetup, waitForStopped } from "./service-common.js";

export const run: CommandHandler = async (ctx) => {
  const setup = serviceSetup(ctx);
  const { manager, name } = setup;
  if (!manager.readInstalled(name)) {
    const fg = foregroundGateway(ctx, undefined);
    if (fg) throw new AppError("SERVICE_NOT_INSTALLED", `no service is installed; a foreground gateway runs as pid ${fg.pid}`, { hint: `Stop it with Ctrl-C in its terminal or: kill ${fg.pid}` });
    throw notInstalled(setup, ctx);
  }
  const before = manager.runtime(name);
  if (before.status === "stopped" || before.status === "failed") {
    // Nothing runs under the supervisor, but a gateway it left behind may: stop that too.
    try {
      await manager.stop(name);
    } catch (error) {
      throw serviceFailure(setup, "stopping", error);
    }
    return { data: { action: "already-stopped", name, kind: manager.kind }, human: `${name} is not running (${manager.label})` };
  }
  try {
    await manager.stop(name);
  } catch (error) {
    throw serviceFailure(setup, "stopping", error);
  }
  const stopped = await waitForStopped(setup);
  return {
    data: { action: "stopped", name, kind: manager.kind, stopped, pid: before.pid ?? null },
    human: stopped ? `stopped ${name}${before.pid ? ` (was pid ${before.pid})` : ""}` : `asked ${name} to stop, but it is still running; see openclaw gateway status`,
    exitCode: stopped ? EXIT.ok : EXIT.failed,
  };
};
