/**
 * Signal host checks for doctor (only when `channels.signal` is configured): the `signal-cli`
 * executable (on PATH or at `cliPath`; a Homebrew upgrade leaves stale Cellar paths), `JAVA_HOME`
 * (pointing at a directory that no longer exists, or a Java older than 21, which signal-cli's JVM
 * build needs), and whether the account is linked on this host (signal-cli's data directory lists
 * it). Signal credentials never transfer between hosts: a migrated config with no account data is
 * "not linked — run `signal-cli link -n "OpenClaw"`". Reads the filesystem; never runs signal-cli.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { listSignalAccountIds, resolveSignalAccount } from "../../channels/index.js";
import { obj } from "../snapshot.js";
import type { DoctorFinding } from "./finding.js";

const INSTALL_HINT = "install signal-cli (Linux: the native build from https://github.com/AsamK/signal-cli/releases; macOS: brew install signal-cli), or set channels.signal.transport.cliPath to its full path";
const JAVA_HINT = "point JAVA_HOME at a Java 21+ install in the gateway's environment (e.g. /usr/lib/jvm/java-21-openjdk-amd64, or on macOS $(/usr/libexec/java_home -v 21)), or unset it; the native signal-cli build needs no Java";
/** The oldest Java the JVM build of signal-cli runs on. */
export const SIGNAL_MIN_JAVA = 21;

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

/** Findings for `channels.signal`; `env` is the environment the gateway (and its managed signal-cli) runs with. */
export function signalConfigFindings(input: Record<string, unknown>, env: Record<string, string | undefined>): DoctorFinding[] {
  const section = obj(obj(input.channels).signal);
  if (Object.keys(section).length === 0 || section.enabled === false) return [];
  const out: DoctorFinding[] = [];
  const named = Object.keys(obj(section.accounts)).length > 0;
  let managed = false;
  const seenCli = new Set<string>();
  for (const accountId of listSignalAccountIds(section)) {
    const account = resolveSignalAccount(section, accountId);
    if (!account.enabled) continue;
    const at = named ? `channels.signal.accounts.${accountId}` : "channels.signal";
    if (account.configError) out.push({ checkId: "channels.signal.config_invalid", step: "config", severity: "error", title: `signal account "${accountId}": ${account.configError}`, fix: "correct the key named above (openclaw config set …), then openclaw channels status --probe" });
    // An external daemon may run elsewhere (another host, a container): its files are not ours to check.
    if (account.kind !== "managed-native") continue;
    managed = true;
    if (!seenCli.has(account.cliPath)) {
      seenCli.add(account.cliPath);
      if (!findExecutable(account.cliPath, env)) {
        const explicit = account.cliPath !== "signal-cli";
        const stale = /\/Cellar\//.test(account.cliPath);
        out.push({
          checkId: "channels.signal.cli_missing",
          step: "config",
          severity: "error",
          title: explicit ? `signal-cli not found at ${account.cliPath} (${at} cliPath)` : "signal-cli is not on PATH: the managed Signal daemon cannot start",
          ...(stale ? { detail: "A Homebrew upgrade removes the previous Cellar version; point cliPath at the stable link (/opt/homebrew/bin/signal-cli or /usr/local/bin/signal-cli)." } : {}),
          fix: INSTALL_HINT,
        });
      }
    }
    if (account.account && !isSignalAccountLinked(signalCliDataDir(account.configPath, env), account.account)) {
      const dir = signalCliDataDir(account.configPath, env);
      out.push({
        checkId: "channels.signal.not_linked",
        step: "config",
        severity: "warn",
        title: `signal account ${account.account} is not linked on this host (nothing for it in ${path.join(dir, "data")})`,
        detail: "Signal credentials do not transfer between hosts; link this host as a new device (scan the QR in Signal › Settings › Linked devices).",
        fix: `signal-cli${account.configPath ? ` --config ${account.configPath}` : ""} link -n "OpenClaw"`,
      });
    }
  }
  const javaHome = env.JAVA_HOME?.trim();
  if (managed && javaHome) {
    if (!existsSync(javaHome)) {
      out.push({ checkId: "channels.signal.java_home_missing", step: "config", severity: "warn", title: `JAVA_HOME points at ${javaHome}, which does not exist (a stale path from an upgrade?): signal-cli's JVM build will not start`, fix: JAVA_HINT });
    } else {
      const major = javaMajorVersion(javaHome);
      if (major !== undefined && major < SIGNAL_MIN_JAVA) out.push({ checkId: "channels.signal.java_too_old", step: "config", severity: "warn", title: `JAVA_HOME (${javaHome}) is Java ${major}; signal-cli needs Java ${SIGNAL_MIN_JAVA} or newer`, fix: JAVA_HINT });
    }
  }
  return out;
}
