/**
 * One gateway per config: a lock file under `<tmp>/openclaw-<uid>/` named after the config path,
 * holding the owner's pid and port. A lock whose pid is dead is reclaimed.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sha256Hex } from "./hash.js";
import { isPidAlive } from "./ports.js";

export interface LockInfo {
  pid: number;
  port: number;
  configPath: string;
  stateDir: string;
  startedAt: string;
}

export type LockResult = { acquired: true; file: string; reclaimed?: LockInfo } | { acquired: false; file: string; holder: LockInfo };

/** The lock file for a config path. */
export function gatewayLockFile(configPath: string): string {
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  const dir = path.join(os.tmpdir(), uid === undefined ? "openclaw" : `openclaw-${uid}`);
  return path.join(dir, `gateway.${sha256Hex(configPath).slice(0, 12)}.lock`);
}

export function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LockInfo;
  } catch {
    return undefined;
  }
}

/** Takes the lock, reclaiming it from a dead owner. */
export function acquireGatewayLock(info: LockInfo): LockResult {
  const file = gatewayLockFile(info.configPath);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let reclaimed: LockInfo | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      return { acquired: true, file, ...(reclaimed ? { reclaimed } : {}) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readLock(file);
    if (holder && holder.pid !== info.pid && isPidAlive(holder.pid)) return { acquired: false, file, holder };
    reclaimed = holder ?? reclaimed;
    try {
      unlinkSync(file);
    } catch {
      // raced with another reclaimer
    }
  }
  const holder = readLock(file);
  return holder ? { acquired: false, file, holder } : { acquired: false, file, holder: info };
}

/** Rewrites the lock (e.g. the port changed on an in-process restart). */
export function updateGatewayLock(file: string, info: LockInfo): void {
  const fd = openSync(file, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify(info));
  } finally {
    closeSync(fd);
  }
}

export function releaseGatewayLock(file: string, pid = process.pid): void {
  const holder = readLock(file);
  if (holder && holder.pid !== pid) return;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
