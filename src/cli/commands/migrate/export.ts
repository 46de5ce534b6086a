/**
 * `openclaw migrate export` — stop the gateway, full backup with inventories, and the list of what
 * to redo on the target. Secret values stay behind (names only) unless --include-secrets seals
 * them with a passphrase.
 */
import { collectInventory, configPathsAtSource, createBackup, defaultBackupPath, renderScheduledTask } from "../../../ops/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { readVersion } from "../../version.js";
import { serviceSetup, stopGatewayFor } from "../gateway/service-common.js";
import { PASSPHRASE_ENV, readPassphrase } from "./passphrase.js";

export const run: CommandHandler = async (ctx) => {
  const paths = ctx.paths();
  const now = new Date();
  const include = ctx.options["include-secrets"] === true;
  const passphrase = include ? await readPassphrase(ctx, { confirm: true }) : undefined;
  if (include && !passphrase) throw new AppError("USAGE", "--include-secrets needs a passphrase to seal them with", { hint: `Pass --passphrase-file <file> or set ${PASSPHRASE_ENV} (on a terminal you are asked for it).` });
  const setup = serviceSetup(ctx);
  const stopped: string[] = [];
  if (ctx.options["no-stop"] !== true) stopped.push(...(await stopGatewayFor(setup, paths.configPath)));
  const services = [...setup.manager.list()];
  const inventory = collectInventory({ env: ctx.env, paths, services });
  const output = typeof ctx.options.output === "string" ? ctx.options.output : defaultBackupPath(paths, now).replace(/openclaw(-[^/]*)?-(\d{4})/, "openclaw$1-migrate-$2");
  const pathsAtSource = configPathsAtSource(paths, paths.home);
  const backup = await createBackup({
    env: ctx.env,
    paths,
    output,
    mode: "full",
    excludeSessions: false,
    includeLogs: false,
    now,
    runtimeVersion: readVersion(),
    secrets: passphrase ? { seal: passphrase } : {},
    migration: { ...inventory, sourceHome: paths.home, stoppedForExport: stopped, pathsAtSource },
  });
  const data = { archive: backup.archive, bytes: backup.bytes, files: backup.files, stopped, ...inventory, heldBack: backup.heldBack, secretsSealed: backup.sealed, notes: backup.notes };
  return {
    data,
    human: [
      `exported ${backup.archive} (${backup.files} files, ${(backup.bytes / 1048576).toFixed(1)} MiB)`,
      stopped.length ? `stopped: ${stopped.join(", ")} — keep the source stopped (two live copies of WhatsApp/Signal credentials conflict)` : "no gateway was running",
      backup.sealed
        ? `secret values sealed in the archive with your passphrase: ${backup.heldBack.join(", ")} (names: ${inventory.secrets.map((s) => s.name).join(", ") || "none"})`
        : `secret values NOT in the archive (${backup.heldBack.length} held back${backup.heldBack.length ? `: ${backup.heldBack.join(", ")}` : ""}); re-enter on the target: ${inventory.secrets.map((s) => s.name).join(", ") || "none"}`,
      `service files (recreated on the target, not copied): ${inventory.serviceFiles.map((s) => s.path).join(", ") || "none"}`,
      `cron jobs: ${typeof inventory.cronJobs.count === "number" ? `${inventory.cronJobs.count} in ${inventory.cronJobs.store} (migrate verify checks the target has as many)` : inventory.cronJobs.count === null ? "none" : `${inventory.cronJobs.store} does not parse (it travels as is)`}`,
      `scheduled tasks (host crontab): ${inventory.scheduledTasks.length ? "" : "none found"}`,
      ...inventory.scheduledTasks.map((t) => `  ${renderScheduledTask(t)}`),
      ...backup.notes.map((n) => `note: ${n}`),
      ...(inventory.portable.length ? ["portable with conditions:", ...inventory.portable.map((n) => `  ${n.item}: ${n.condition}`)] : []),
      "non-portable:",
      ...inventory.nonPortable.map((n) => `  ${n.item}: ${n.action}`),
      `on the target: openclaw migrate import ${backup.archive}${backup.sealed ? " --passphrase-file <file>" : ""}`,
    ],
  };
};
