/** Running the list of subsystems: handing each the config paths it owns, and stopping them with a bounded drain. */
import type { OpenClawConfig, ReloadPlan } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { ConfigChange, Subsystem } from "./subsystem.js";

/** How long each subsystem may take to stop. */
const SUBSYSTEM_DRAIN_MS = 5000;

/** Whether `path` is `prefix` or below it (`agents` covers `agents.defaults.workspace`). */
const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`);

/**
 * Hands each subsystem the changed paths it owns, and those under the prefixes it observes. Returns the subsystems that can only apply them
 * through a gateway restart, and the error of any that failed (it keeps running).
 */
export async function applyToSubsystems(
  subsystems: readonly Subsystem[],
  plan: ReloadPlan,
  change: { previous: OpenClawConfig; next: OpenClawConfig },
  log: Logger,
): Promise<{ restart: string[]; error: string | undefined }> {
  const restart: string[] = [];
  let error: string | undefined;
  for (const sub of subsystems) {
    const owned = plan.byOwner[sub.name as keyof ReloadPlan["byOwner"]] ?? [];
    const observed = sub.observes ? [...plan.restartPaths, ...plan.hotPaths].filter((p) => !owned.includes(p) && sub.observes!.some((prefix) => under(p, prefix))) : [];
    const paths = [...owned, ...observed];
    if (!paths.length || !sub.applyConfig) continue;
    const subChange: ConfigChange = { paths, ...change };
    try {
      const result = await sub.applyConfig(subChange);
      if (result === "restart-gateway") restart.push(sub.name);
      else if (result === "restarted") log.info(`${sub.name} restarted to apply ${paths.join(", ")}`);
    } catch (e) {
      error = `${sub.name} could not apply ${paths.join(", ")}: ${(e as Error).message}`;
      log.error(error);
    }
  }
  return { restart, error };
}

/** Stops subsystems in reverse order; one that does not stop within the drain is logged and left behind. */
export async function stopSubsystems(subsystems: readonly Subsystem[], reason: string, log: Logger): Promise<void> {
  for (const sub of [...subsystems].reverse()) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), SUBSYSTEM_DRAIN_MS);
    });
    const outcome = await Promise.race([Promise.resolve(sub.stop(reason)).catch((error: unknown) => log.error(`${sub.name} failed to stop: ${(error as Error).message}`)), late]);
    clearTimeout(timer);
    if (outcome === "late") log.warn(`${sub.name} did not stop within ${SUBSYSTEM_DRAIN_MS} ms`);
  }
}
