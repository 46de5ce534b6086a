/** Bounded polling for conditions outside this process (another process exiting, a port freeing up). */
import { isPidAlive } from "./ports.js";

/** Resolves true as soon as `predicate` holds, false when `timeoutMs` passes first. */
export async function pollUntil(predicate: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return predicate();
}

/** SIGTERM, wait up to `graceMs`; then (unless `kill: false`) SIGKILL. Resolves whether the process is gone. */
export async function terminateProcess(pid: number, options: { graceMs?: number; kill?: boolean } = {}): Promise<boolean> {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return !isPidAlive(pid);
  }
  if (await pollUntil(() => !isPidAlive(pid), options.graceMs ?? 15_000, 50)) return true;
  if (options.kill === false) return false;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
  return pollUntil(() => !isPidAlive(pid), 5000, 50);
}
