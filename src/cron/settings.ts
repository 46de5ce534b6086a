/** `cron.*` from the config → `CronSettings` (defaults of spec §2.13; `cron.store` may move `jobs.json`). */
import os from "node:os";
import path from "node:path";
import type { CronSettings } from "./types.js";

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const posInt = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);

/** `2_000_000`, `"2mb"`, `"512kb"` → bytes. */
export function parseBytes(v: unknown): number | undefined {
  if (typeof v === "number" && v > 0) return Math.floor(v);
  if (typeof v !== "string") return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(v);
  if (!m) return undefined;
  const mult = { b: 1, kb: 1024, mb: 1024 * 1024, gb: 1024 ** 3 }[(m[2] ?? "b").toLowerCase() as "b"];
  return Math.floor(Number(m[1]) * mult);
}

export function resolveCronSettings(config: Obj, cronDir: string, env: Record<string, string | undefined> = process.env): CronSettings {
  const cron = obj(config.cron);
  const runLog = obj(cron.runLog);
  const retry = obj(cron.retry);
  const store = typeof cron.store === "string" && cron.store.trim() ? cron.store.trim() : undefined;
  const home = env.HOME ?? os.homedir();
  const storePath = store ? path.resolve(store.startsWith("~") ? path.join(home, store.slice(1)) : store) : path.join(cronDir, "jobs.json");
  const backoff = Array.isArray(retry.backoffMs) ? retry.backoffMs.filter((n): n is number => typeof n === "number" && n >= 0) : [];
  return {
    enabled: cron.enabled !== false && env.OPENCLAW_SKIP_CRON !== "1",
    storePath,
    runsDir: path.join(path.dirname(storePath), "runs"),
    maxConcurrentRuns: posInt(cron.maxConcurrentRuns) ?? 1,
    runLog: { maxBytes: parseBytes(runLog.maxBytes) ?? 2_000_000, keepLines: posInt(runLog.keepLines) ?? 2000 },
    retry: { maxAttempts: posInt(retry.maxAttempts) ?? 3, backoffMs: backoff.length > 0 ? backoff : [30_000, 60_000, 300_000] },
    catchUp: cron.catchUp !== false,
  };
}
