/**
 * launchd LaunchAgents (spec §7.4): `~/Library/LaunchAgents/<label>.plist`, `KeepAlive`, stdout and
 * stderr to `<state>/logs/gateway.log` / `gateway.err.log`. Secrets stay in the 0600 env file the
 * gateway loads itself (`OPENCLAW_SERVICE_ENV_FILE`), never in the plist.
 */
import { existsSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import path from "node:path";
import { readEnvFileKeys, renderEnvFile } from "./env-file.js";
import { describeFailure } from "./exec.js";
import { GATEWAY_NAME_PATTERNS } from "./names.js";
import { type PlistValue, parsePlist, renderPlist } from "./plist.js";
import type { InstalledService, RenderedFile, ServiceContext, ServiceDefinition, ServiceManager, ServiceRuntime } from "./types.js";

export function renderLaunchdPlist(def: ServiceDefinition): string {
  return renderPlist({
    Label: def.name,
    Comment: def.description,
    RunAtLoad: true,
    KeepAlive: true,
    ThrottleInterval: 5,
    ExitTimeOut: 30,
    Umask: 63,
    ProgramArguments: def.programArguments,
    WorkingDirectory: def.workingDirectory,
    StandardOutPath: def.stdoutPath,
    StandardErrorPath: def.stderrPath,
    EnvironmentVariables: def.environment,
  });
}

type Dict = { [key: string]: PlistValue };
const isDict = (v: PlistValue | undefined): v is Dict => v !== undefined && typeof v === "object" && !Array.isArray(v);

/** `launchctl print` output: `state = running`, `pid = 123`, `last exit code = 0`, `runs = 4`. */
export function parseLaunchctlPrint(text: string): ServiceRuntime {
  const field = (name: string) => new RegExp(`^\\s*${name} = (.+)$`, "m").exec(text)?.[1]?.trim();
  const state = field("state");
  const pid = Number(field("pid"));
  const lastExit = field("last exit code");
  const runs = Number(field("runs"));
  const status = state === "running" ? "running" : state === "waiting" || state === "not running" ? "stopped" : state === "spawn scheduled" ? "restarting" : "unknown";
  const exitNum = lastExit !== undefined ? Number.parseInt(lastExit, 10) : Number.NaN;
  return {
    status,
    loaded: true,
    ...(pid > 0 ? { pid } : {}),
    ...(Number.isFinite(exitNum) ? { lastExitStatus: exitNum } : {}),
    ...(runs > 1 ? { restarts: runs - 1 } : {}),
  };
}

export function createLaunchdManager(ctx: ServiceContext): ServiceManager {
  const agentsDir = path.join(ctx.home, "Library", "LaunchAgents");
  const plistFile = (label: string) => path.join(agentsDir, `${label}.plist`);
  const domain = `gui/${ctx.uid ?? 501}`;
  const launchctl = (...args: string[]) => ctx.exec("launchctl", args, { timeoutMs: 15_000 });
  const must = (...args: string[]) => {
    const r = launchctl(...args);
    if (r.code !== 0) throw new Error(describeFailure("launchctl", args, r));
  };
  const readInstalled = (label: string): InstalledService | undefined => {
    const file = plistFile(label);
    let root: PlistValue;
    try {
      root = parsePlist(readFileSync(file, "utf8"));
    } catch {
      return undefined;
    }
    if (!isDict(root)) return undefined;
    const args = Array.isArray(root.ProgramArguments) ? root.ProgramArguments.map(String) : [];
    const envDict = isDict(root.EnvironmentVariables) ? root.EnvironmentVariables : {};
    const environment = Object.fromEntries(Object.entries(envDict).map(([k, v]) => [k, String(v)]));
    const envFile = environment.OPENCLAW_SERVICE_ENV_FILE;
    return {
      kind: "launchd",
      name: typeof root.Label === "string" ? root.Label : label,
      definitionPath: file,
      programArguments: args,
      ...(typeof root.WorkingDirectory === "string" ? { workingDirectory: root.WorkingDirectory } : {}),
      environment,
      ...(envFile ? { envFile } : {}),
      envFileKeys: envFile ? readEnvFileKeys(envFile) : [],
    };
  };
  const loaded = (label: string) => launchctl("print", `${domain}/${label}`).code === 0;
  return {
    kind: "launchd",
    label: "launchd LaunchAgent",
    preflight() {
      const r = launchctl("print", domain);
      if (r.code === 0) return { ok: true, problems: [] };
      return {
        ok: false,
        problems: [{ message: `launchd GUI domain ${domain} is unavailable (${describeFailure("launchctl", ["print", domain], r)})`, fix: "Log in to the Mac's desktop session as this user (LaunchAgents need a GUI login), or use a LaunchDaemon." }],
      };
    },
    definitionPath: plistFile,
    render(def, secrets): RenderedFile[] {
      const files: RenderedFile[] = [{ path: plistFile(def.name), content: renderLaunchdPlist(def), mode: 0o644, role: "launchd plist" }];
      if (def.envFile) files.push({ path: def.envFile, content: renderEnvFile(secrets, def.description), mode: 0o600, role: "secrets env file" });
      return files;
    },
    async activate(def) {
      if (loaded(def.name)) launchctl("bootout", `${domain}/${def.name}`);
      launchctl("enable", `${domain}/${def.name}`);
      must("bootstrap", domain, plistFile(def.name));
    },
    async remove(label) {
      launchctl("bootout", `${domain}/${label}`);
      const file = plistFile(label);
      if (!existsSync(file)) return [];
      unlinkSync(file);
      return [file];
    },
    async start(label) {
      launchctl("enable", `${domain}/${label}`);
      if (loaded(label)) must("kickstart", `${domain}/${label}`);
      else must("bootstrap", domain, plistFile(label));
    },
    async stop(label) {
      if (loaded(label)) must("bootout", `${domain}/${label}`);
    },
    async restart(label) {
      if (!loaded(label)) {
        launchctl("enable", `${domain}/${label}`);
        must("bootstrap", domain, plistFile(label));
      } else must("kickstart", "-k", `${domain}/${label}`);
    },
    readInstalled,
    runtime(label) {
      const r = launchctl("print", `${domain}/${label}`);
      if (r.code !== 0) return { status: "stopped", loaded: false, detail: "not loaded in launchd" };
      return parseLaunchctlPrint(r.stdout);
    },
    list() {
      let files: string[] = [];
      try {
        files = readdirSync(agentsDir).filter((f) => f.endsWith(".plist"));
      } catch {
        return [];
      }
      return files
        .map((f) => f.slice(0, -6))
        .filter((l) => GATEWAY_NAME_PATTERNS.launchd.test(l))
        .flatMap((l) => readInstalled(l) ?? []);
    },
    logHints(label, installed) {
      const state = installed?.environment.OPENCLAW_STATE_DIR;
      const logs = state ? path.join(state, "logs") : "~/.openclaw/logs";
      return [`${logs}/gateway.log`, `${logs}/gateway.err.log`, `launchctl print ${domain}/${label}`];
    },
  };
}
