/**
 * What the host says about Signal, gathered for doctor's snapshot (only when `channels.signal` is
 * configured): per account the transport, whether `signal-cli` resolves (PATH or `cliPath`) and
 * whether signal-cli's data directory holds the account; `JAVA_HOME` and the Java version in its
 * `release` file. Reads the filesystem; never runs signal-cli. The checks are pure (doctor/signal.ts).
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { listSignalAccountIds, resolveSignalAccount, type SignalTransportKind } from "../channels/index.js";

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** One Signal account as the host sees it. */
export interface SignalAccountHostFact {
  accountId: string;
  /** Config path of the account (`channels.signal` or `channels.signal.accounts.<id>`). */
  at: string;
  kind: SignalTransportKind;
  account: string | undefined;
  configError: string | undefined;
  cliPath: string;
  configPath: string | undefined;
  /** managed-native only: the executable resolved. */
  cliFound?: boolean;
  /** managed-native only: signal-cli's data dir and whether it holds the account. */
  dataDir?: string;
  linked?: boolean;
}

/** Signal facts for doctor; undefined when `channels.signal` is not configured (or disabled). */
export interface SignalHostFacts {
  accounts: SignalAccountHostFact[];
  javaHome?: { path: string; exists: boolean; major?: number };
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== "win32") accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where `cmd` resolves: itself when it contains a path separator, else the first match on PATH. */
export function findExecutable(cmd: string, env: Record<string, string | undefined>): string | undefined {
  if (cmd.includes("/") || cmd.includes("\\")) return isExecutable(cmd) ? cmd : undefined;
  const exts = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) if (isExecutable(path.join(dir, cmd + ext))) return path.join(dir, cmd + ext);
  }
  return undefined;
}

/** The major version in `$JAVA_HOME/release` (`JAVA_VERSION="21.0.2"` → 21, `"1.8.0_292"` → 8); undefined when unknown. */
export function javaMajorVersion(javaHome: string): number | undefined {
  try {
    const text = readFileSync(path.join(javaHome, "release"), "utf8");
    const m = /^JAVA_VERSION="?(\d+)(?:\.(\d+))?/m.exec(text);
    if (!m) return undefined;
    const major = Number(m[1]);
    return major === 1 && m[2] ? Number(m[2]) : major;
  } catch {
    return undefined;
  }
}

/** signal-cli's data directory (`--config` when set, else `$XDG_DATA_HOME/signal-cli`, default `~/.local/share/signal-cli`). */
export function signalCliDataDir(configPath: string | undefined, env: Record<string, string | undefined>): string {
  if (configPath) return configPath.startsWith("~/") && env.HOME ? path.join(env.HOME, configPath.slice(2)) : configPath;
  const xdg = env.XDG_DATA_HOME?.trim();
  return path.join(xdg || path.join(env.HOME ?? "", ".local", "share"), "signal-cli");
}

/** Whether `number` has account data: listed in `data/accounts.json` (signal-cli ≥ 0.11) or the older `data/<number>` file. */
export function isSignalAccountLinked(dataDir: string, number: string): boolean {
  const data = path.join(dataDir, "data");
  try {
    const index = JSON.parse(readFileSync(path.join(data, "accounts.json"), "utf8")) as { accounts?: Array<{ number?: string; path?: string }> };
    const entry = index.accounts?.find((a) => a?.number === number);
    if (entry) return typeof entry.path !== "string" || existsSync(path.join(data, entry.path));
  } catch {
    // no index (older layout, or nothing linked yet)
  }
  return existsSync(path.join(data, number));
}

/** Gathers the Signal facts doctor checks; undefined when `channels.signal` is absent or disabled. */
export function collectSignalHostFacts(input: Record<string, unknown>, env: Record<string, string | undefined>): SignalHostFacts | undefined {
  const section = obj(obj(input.channels).signal);
  if (obj(input.channels).signal === undefined || section.enabled === false) return undefined;
  const named = Object.keys(obj(section.accounts)).length > 0;
  const accounts: SignalAccountHostFact[] = [];
  for (const accountId of listSignalAccountIds(section)) {
    const r = resolveSignalAccount(section, accountId);
    if (!r.enabled) continue;
    const fact: SignalAccountHostFact = { accountId, at: named ? `channels.signal.accounts.${accountId}` : "channels.signal", kind: r.kind, account: r.account, configError: r.configError, cliPath: r.cliPath, configPath: r.configPath };
    // An external daemon may run elsewhere (another host, a container): its files are not ours to check.
    if (r.kind === "managed-native") {
      fact.cliFound = findExecutable(r.cliPath, env) !== undefined;
      fact.dataDir = signalCliDataDir(r.configPath, env);
      if (r.account) fact.linked = isSignalAccountLinked(fact.dataDir, r.account);
    }
    accounts.push(fact);
  }
  const javaHome = env.JAVA_HOME?.trim();
  if (!javaHome) return { accounts };
  const exists = existsSync(javaHome);
  const major = exists ? javaMajorVersion(javaHome) : undefined;
  return { accounts, javaHome: { path: javaHome, exists, ...(major !== undefined ? { major } : {}) } };
}
