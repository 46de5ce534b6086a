/**
 * `<agentDir>/auth-profiles.json` (spec §9.2): the per-agent credential store. Read tolerant of
 * unknown fields, written atomically at 0600 in a 0700 directory, and changed only under a lock
 * file so two writers (the gateway recording a cooldown, the CLI pasting a token) never lose each
 * other's update.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readSync, statSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { ensureDir, writeFileAtomic } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";

/** Why a profile was put in cooldown or disabled. */
export type FailureReason = "auth" | "format" | "rate_limit" | "billing" | "timeout" | "overloaded" | "unknown";

export interface ApiKeyCredential {
  type: "api_key";
  provider: string;
  key: string;
  email?: string;
  metadata?: Record<string, unknown>;
}
export interface TokenCredential {
  type: "token";
  provider: string;
  token: string;
  /** Epoch ms; absent = does not expire. */
  expires?: number;
  email?: string;
}
export interface OAuthCredential {
  type: "oauth";
  provider: string;
  access: string;
  refresh?: string;
  expires: number;
  email?: string;
  [extra: string]: unknown;
}
export type AuthCredential = ApiKeyCredential | TokenCredential | OAuthCredential;

export interface ProfileUsageStats {
  lastUsed?: number;
  cooldownUntil?: number;
  disabledUntil?: number;
  disabledReason?: FailureReason;
  errorCount?: number;
  failureCounts?: Partial<Record<FailureReason, number>>;
  lastFailureAt?: number;
}

export interface AuthStore {
  version: 1;
  profiles: Record<string, AuthCredential>;
  order?: Record<string, string[]>;
  lastGood?: Record<string, string>;
  usageStats?: Record<string, ProfileUsageStats>;
}

const MAX_STORE_BYTES = 4 * 1024 * 1024;
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 5_000;

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** An empty store. */
export function createAuthStore(): AuthStore {
  return { version: 1, profiles: {} };
}

/** Parses a stored credential; undefined for a shape we cannot use (kept on disk, skipped at runtime). */
function parseCredential(id: string, raw: unknown): AuthCredential | undefined {
  const p = obj(raw);
  const provider = typeof p.provider === "string" ? p.provider : id.split(":")[0]!;
  if (p.type === "api_key" && typeof p.key === "string") return { ...(p as object), type: "api_key", provider, key: p.key } as ApiKeyCredential;
  if (p.type === "token" && typeof p.token === "string") return { ...(p as object), type: "token", provider, token: p.token } as TokenCredential;
  if (p.type === "oauth" && typeof p.access === "string") return { ...(p as object), type: "oauth", provider, access: p.access, expires: Number(p.expires) || 0 } as OAuthCredential;
  return undefined;
}

/** Reads the file without ever blocking (O_NONBLOCK, regular files only) and within the size cap. */
function readStoreText(file: string): string {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error("not a regular file");
    if (st.size > MAX_STORE_BYTES) throw new Error(`larger than ${MAX_STORE_BYTES} bytes`);
    const buf = Buffer.alloc(st.size);
    let len = 0;
    while (len < st.size) {
      const n = readSync(fd, buf, len, st.size - len, null);
      if (n === 0) break;
      len += n;
    }
    return buf.subarray(0, len).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** Reads the store; a missing file is an empty store, an unreadable one is an error naming the file. */
export function loadAuthStore(file: string): AuthStore {
  if (!existsSync(file)) return createAuthStore();
  let data: Record<string, unknown>;
  try {
    data = obj(JSON.parse(readStoreText(file)));
  } catch (error) {
    throw new AppError("AUTH_STORE", `cannot read auth profiles ${file}: ${(error as Error).message}`, {
      hint: "Fix or move the file aside, then add credentials again with `openclaw models auth paste-token --provider <p>`.",
    });
  }
  const store = createAuthStore();
  for (const [id, raw] of Object.entries(obj(data.profiles))) {
    const cred = parseCredential(id, raw);
    if (cred) store.profiles[id] = cred;
  }
  if (data.order) store.order = obj(data.order) as Record<string, string[]>;
  if (data.lastGood) store.lastGood = obj(data.lastGood) as Record<string, string>;
  if (data.usageStats) store.usageStats = obj(data.usageStats) as Record<string, ProfileUsageStats>;
  return store;
}

/** Writes the whole store atomically at 0600. */
export function saveAuthStore(file: string, store: AuthStore): void {
  ensureDir(path.dirname(file));
  writeFileAtomic(file, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function acquireLock(lock: string, waitMs: number): void {
  const deadline = Date.now() + waitMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      const fd = openSync(lock, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) {
          unlinkSync(lock);
          continue;
        }
      } catch {
        continue;
      }
      if (Date.now() > deadline) throw new AppError("AUTH_STORE", `auth profiles are locked by another process (${lock})`, { hint: "Retry in a moment; a lock older than 30 s is reclaimed." });
      sleepSync(delay);
    }
  }
}

/**
 * Read → change → write under the store's lock file; returns what `mutate` returned. A lock older
 * than 30 s is reclaimed; a live one is waited for up to `waitMs` (default 5 s), then AUTH_STORE.
 */
export function updateAuthStore<T>(file: string, mutate: (store: AuthStore) => T, options: { waitMs?: number } = {}): T {
  ensureDir(path.dirname(file));
  const lock = `${file}.lock`;
  acquireLock(lock, options.waitMs ?? LOCK_WAIT_MS);
  try {
    const store = loadAuthStore(file);
    const result = mutate(store);
    saveAuthStore(file, store);
    return result;
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // already reclaimed
    }
  }
}

/** The secret a credential authenticates with. */
export function credentialSecret(cred: AuthCredential): string {
  return cred.type === "api_key" ? cred.key : cred.type === "token" ? cred.token : cred.access;
}

/** Expiry in epoch ms, if the credential has one. */
export function credentialExpiry(cred: AuthCredential): number | undefined {
  return cred.type === "api_key" ? undefined : cred.expires || undefined;
}
