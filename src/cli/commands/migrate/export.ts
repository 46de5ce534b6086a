/** `openclaw migrate export` — stop the gateway, full backup with inventories, and the list of what to redo on the target. */
import { collectInventory, createBackup, defaultBackupPath } from "../../../ops/index.js";
import type { CommandHandler } from "../../types.js";
import { serviceSetup, stopGatewayFor } from "../gateway/service-common.js";

export const run: CommandHandler = async (ctx) => {
  const paths = ctx.paths();
  const now = new Date();
  const setup = serviceSetup(ctx);
  const stopped: string[] = [];
  if (ctx.options["no-stop"] !== true) stopped.push(...(await stopGatewayFor(setup, paths.configPath)));
  const services = [...setup.manager.list()];
  const inventory = collectInventory({ env: ctx.env, paths, services });
  const output = typeof ctx.options.output === "string" ? ctx.options.output : defaultBackupPath(paths, now).replace(/openclaw(-[^/]*)?-(\d{4})/, "openclaw$1-migrate-$2");
  const backup = await createBackup({ env: ctx.env, paths, output, mode: "full", excludeSessions: false, includeLogs: false, now, migration: { ...inventory, sourceHome: paths.home, stoppedForExport: stopped } });
  const data = { archive: backup.archive, bytes: backup.bytes, files: backup.files, stopped, ...inventory };
  return {
    data,
    human: [
      `exported ${backup.archive} (${backup.files} files, ${(backup.bytes / 1048576).toFixed(1)} MiB)`,
      stopped.length ? `stopped: ${stopped.join(", ")} — keep the source stopped (two live copies of WhatsApp/Signal credentials conflict)` : "no gateway was running",
      `secrets to re-enter on the target (names only): ${inventory.secrets.map((s) => s.name).join(", ") || "none"}`,
      `service files (recreated on the target, not copied): ${inventory.serviceFiles.map((s) => s.path).join(", ") || "none"}`,
      `scheduled tasks: ${inventory.scheduledTasks.length ? inventory.scheduledTasks.join(" | ") : "none found"}`,
      "non-portable:",
      ...inventory.nonPortable.map((n) => `  ${n.item}: ${n.action}`),
      `on the target: openclaw migrate import ${backup.archive}`,
    ],
  };
};
