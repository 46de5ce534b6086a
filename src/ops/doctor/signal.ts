/**
 * Signal host checks for doctor (only when `channels.signal` is configured; facts gathered by
 * `collectSignalHostFacts`): `signal-cli` missing from PATH or at a stale `cliPath` (a Homebrew
 * upgrade removes old Cellar versions), `JAVA_HOME` pointing at a directory that no longer exists or
 * at a Java older than 21 (signal-cli's JVM build needs it), and an account with no data on this host.
 * Signal credentials never transfer between hosts: "not linked — run `signal-cli link -n "OpenClaw"`".
 */
import path from "node:path";
import type { SignalHostFacts } from "../signal-host.js";
import type { DoctorFinding } from "./finding.js";

const INSTALL_HINT = "install signal-cli (Linux: the native build from https://github.com/AsamK/signal-cli/releases; macOS: brew install signal-cli), or set channels.signal.transport.cliPath to its full path";
const JAVA_HINT = "point JAVA_HOME at a Java 21+ install in the gateway's environment (e.g. /usr/lib/jvm/java-21-openjdk-amd64, or on macOS $(/usr/libexec/java_home -v 21)), or unset it; the native signal-cli build needs no Java";
/** The oldest Java the JVM build of signal-cli runs on. */
export const SIGNAL_MIN_JAVA = 21;

/** Findings from the Signal host facts (pure). */
export function signalConfigFindings(facts: SignalHostFacts | undefined): DoctorFinding[] {
  if (!facts) return [];
  const out: DoctorFinding[] = [];
  const seenCli = new Set<string>();
  for (const a of facts.accounts) {
    if (a.configError) out.push({ checkId: "channels.signal.config_invalid", step: "config", severity: "error", title: `signal account "${a.accountId}": ${a.configError}`, fix: "correct the key named above (openclaw config set …), then openclaw channels status --probe" });
    if (a.kind !== "managed-native") continue;
    if (a.cliFound === false && !seenCli.has(a.cliPath)) {
      seenCli.add(a.cliPath);
      const explicit = a.cliPath !== "signal-cli";
      out.push({
        checkId: "channels.signal.cli_missing",
        step: "config",
        severity: "error",
        title: explicit ? `signal-cli not found at ${a.cliPath} (${a.at} cliPath)` : "signal-cli is not on PATH: the managed Signal daemon cannot start",
        ...(/\/Cellar\//.test(a.cliPath) ? { detail: "A Homebrew upgrade removes the previous Cellar version; point cliPath at the stable link (/opt/homebrew/bin/signal-cli or /usr/local/bin/signal-cli)." } : {}),
        fix: INSTALL_HINT,
      });
    }
    if (a.account && a.linked === false && a.dataDir) {
      out.push({
        checkId: "channels.signal.not_linked",
        step: "config",
        severity: "warn",
        title: `signal account ${a.account} is not linked on this host (nothing for it in ${path.join(a.dataDir, "data")})`,
        detail: "Signal credentials do not transfer between hosts; link this host as a new device (scan the QR in Signal › Settings › Linked devices).",
        fix: `signal-cli${a.configPath ? ` --config ${a.configPath}` : ""} link -n "OpenClaw"`,
      });
    }
  }
  const java = facts.javaHome;
  if (java && facts.accounts.some((a) => a.kind === "managed-native")) {
    if (!java.exists) out.push({ checkId: "channels.signal.java_home_missing", step: "config", severity: "warn", title: `JAVA_HOME points at ${java.path}, which does not exist (a stale path from an upgrade?): signal-cli's JVM build will not start`, fix: JAVA_HINT });
    else if (java.major !== undefined && java.major < SIGNAL_MIN_JAVA) out.push({ checkId: "channels.signal.java_too_old", step: "config", severity: "warn", title: `JAVA_HOME (${java.path}) is Java ${java.major}; signal-cli needs Java ${SIGNAL_MIN_JAVA} or newer`, fix: JAVA_HINT });
  }
  return out;
}
