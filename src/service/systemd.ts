/**
 * systemd user units (spec §7.3): `~/.config/systemd/user/<unit>.service`, `Restart=always`,
 * profile and state dir in `Environment=`, secrets only through a 0600 `EnvironmentFile=`.
 */
import { existsSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import path from "node:path";
import { readEnvFileKeys, renderEnvFile } from "./env-file.js";
import { describeFailure } from "./exec.js";
import { describeGatewayExit, gatewayExitFix, NO_RESTART_EXIT_CODES } from "./exit-codes.js";
import { GATEWAY_NAME_PATTERNS } from "./names.js";
import type { InstalledService, Preflight, RenderedFile, ServiceContext, ServiceDefinition, ServiceManager, ServiceRuntime } from "./types.js";

export { NO_RESTART_EXIT_CODES };

/** Why a unit is not running, in words: the exit code's meaning, and whether systemd gave up. */
function systemdDetail(result: string, exit: number | undefined): string {
  const gaveUp = result === "start-limit-hit" ? "; systemd gave up after repeated restarts" : "";
  const prevented = exit !== undefined && NO_RESTART_EXIT_CODES.includes(exit) ? "; not restarted (RestartPreventExitStatus)" : "";
  const fix = gatewayExitFix(exit);
  return `result: ${result}${exit !== undefined && exit !== 0 ? `, gateway exited with ${describeGatewayExit(exit)}` : ""}${gaveUp}${prevented}${fix ? `. Fix: ${fix}` : ""}`;
}

/** One ExecStart word: quoted when needed; `%` and `$` escaped so systemd passes them through. */
function execWord(word: string): string {
  const escaped = word.replace(/%/g, "%%").replace(/\$/g, "$$$$");
  return /^[A-Za-z0-9_@%+=:,./$-]+$/.test(escaped) ? escaped : `"${escaped.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function envAssignment(key: string, value: string): string {
  const v = value.replace(/%/g, "%%");
  return /^[A-Za-z0-9_@%+=:,./-]*$/.test(v) ? `${key}=${v}` : `"${key}=${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function renderSystemdUnit(def: ServiceDefinition): string {
  const lines = [
    "[Unit]",
    `Description=${def.description}`,
    "After=network-online.target",
    "Wants=network-online.target",
    // A cause a restart cannot fix (port held by another process) must not loop forever: systemd
    // gives up after this many starts in 5 minutes (the config codes below are never restarted).
    "StartLimitIntervalSec=300",
    "StartLimitBurst=10",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${def.programArguments.map(execWord).join(" ")}`,
    "Restart=always",
    "RestartSec=5",
    `RestartPreventExitStatus=${NO_RESTART_EXIT_CODES.join(" ")}`,
    "TimeoutStopSec=30",
    "KillMode=process",
    `WorkingDirectory=${def.workingDirectory.replace(/%/g, "%%")}`,
    ...Object.entries(def.environment).map(([k, v]) => `Environment=${envAssignment(k, v)}`),
    ...(def.envFile ? [`EnvironmentFile=${def.envFile.replace(/%/g, "%%")}`] : []),
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ];
  return lines.join("\n");
}

/** Splits a systemd command line or assignment list (quote and escape aware); undoes `%%` and `$$`. */
export function splitSystemdWords(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    let word = "";
    while (i < text.length && !/\s/.test(text[i]!)) {
      const c = text[i]!;
      if (c === '"' || c === "'") {
        i++;
        while (i < text.length && text[i] !== c) {
          if (text[i] === "\\" && i + 1 < text.length) i++;
          word += text[i]!;
          i++;
        }
        i++;
      } else {
        if (c === "\\" && i + 1 < text.length) i++;
        word += text[i]!;
        i++;
      }
    }
    out.push(word.replace(/%%/g, "%").replace(/\$\$/g, "$"));
  }
  return out;
}

export interface ParsedUnit {
  execStart: string[];
  workingDirectory?: string;
  environment: Record<string, string>;
  envFile?: string;
  description?: string;
}

export function parseSystemdUnit(text: string): ParsedUnit {
  const unit: ParsedUnit = { execStart: [], environment: {} };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";") || line.startsWith("[")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === "ExecStart") unit.execStart = splitSystemdWords(value.replace(/^[-@:+!]+/, ""));
    else if (key === "WorkingDirectory") unit.workingDirectory = value.replace(/^-/, "").replace(/%%/g, "%");
    else if (key === "Description") unit.description = value;
    else if (key === "EnvironmentFile") unit.envFile = value.replace(/^-/, "").replace(/%%/g, "%");
    else if (key === "Environment") {
      for (const word of splitSystemdWords(value)) {
        const i = word.indexOf("=");
        if (i > 0) unit.environment[word.slice(0, i)] = word.slice(i + 1);
      }
    }
  }
  return unit;
}

/** `systemctl show` output (`Key=value` lines) as a map. */
export function parseSystemctlShow(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf("=");
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export function createSystemdManager(ctx: ServiceContext): ServiceManager {
  const unitDir = path.join(ctx.env.XDG_CONFIG_HOME || path.join(ctx.home, ".config"), "systemd", "user");
  const unitFile = (name: string) => path.join(unitDir, `${name}.service`);
  const systemctl = (...args: string[]) => ctx.exec("systemctl", ["--user", ...args], { timeoutMs: 15_000 });
  const must = (...args: string[]) => {
    const r = systemctl(...args);
    if (r.code !== 0) throw new Error(describeFailure("systemctl --user", args, r));
  };
  const readInstalled = (name: string): InstalledService | undefined => {
    const file = unitFile(name);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
    const u = parseSystemdUnit(text);
    return {
      kind: "systemd",
      name,
      definitionPath: file,
      programArguments: u.execStart,
      ...(u.workingDirectory ? { workingDirectory: u.workingDirectory } : {}),
      environment: u.environment,
      ...(u.envFile ? { envFile: u.envFile } : {}),
      envFileKeys: u.envFile ? readEnvFileKeys(u.envFile) : [],
    };
  };
  return {
    kind: "systemd",
    label: "systemd user service",
    preflight(): Preflight {
      // No systemd booted (containers, CI): answer without spawning systemctl.
      if (ctx.systemdBooted === false) {
        return { ok: false, problems: [{ message: "systemd user services are unavailable: this system was not booted with systemd (no /run/systemd/system)", fix: "use a host or VM booted with systemd, or keep the detached supervisor (add `openclaw gateway start` to the container entrypoint)" }] };
      }
      const r = systemctl("show-environment");
      if (r.code === 0) {
        const linger = ctx.exec("loginctl", ["show-user", ctx.user, "--property=Linger"], { timeoutMs: 5000 });
        if (linger.code === 0 && /Linger=no/.test(linger.stdout)) {
          return { ok: true, problems: [{ message: "lingering is off: the gateway stops when you log out", fix: `sudo loginctl enable-linger ${ctx.user}` }] };
        }
        return { ok: true, problems: [] };
      }
      const why = r.error === "ENOENT" ? "systemctl is not installed" : (r.stderr.trim().split("\n")[0] ?? `exit ${r.code}`);
      const fix = !ctx.env.XDG_RUNTIME_DIR
        ? `sudo loginctl enable-linger ${ctx.user} && export XDG_RUNTIME_DIR=/run/user/${ctx.uid ?? "$(id -u)"} (log in again over SSH, not su/sudo)`
        : `sudo loginctl enable-linger ${ctx.user}, then log in again (no user bus at ${ctx.env.XDG_RUNTIME_DIR}/bus)`;
      return { ok: false, problems: [{ message: `systemd user services are unavailable: ${why}`, fix }] };
    },
    definitionPath: unitFile,
    render(def, secrets): RenderedFile[] {
      const files: RenderedFile[] = [{ path: unitFile(def.name), content: renderSystemdUnit(def), mode: 0o644, role: "systemd unit" }];
      if (def.envFile) files.push({ path: def.envFile, content: renderEnvFile(secrets, def.description), mode: 0o600, role: "secrets env file" });
      return files;
    },
    async activate(def) {
      must("daemon-reload");
      must("enable", `${def.name}.service`);
      must("restart", `${def.name}.service`);
    },
    async remove(name) {
      systemctl("disable", "--now", `${name}.service`);
      const removed: string[] = [];
      const file = unitFile(name);
      if (existsSync(file)) {
        unlinkSync(file);
        removed.push(file);
      }
      systemctl("daemon-reload");
      return removed;
    },
    async start(name) {
      must("start", `${name}.service`);
    },
    async stop(name) {
      must("stop", `${name}.service`);
    },
    async restart(name) {
      must("restart", `${name}.service`);
    },
    readInstalled,
    runtime(name): ServiceRuntime {
      const r = systemctl("show", `${name}.service`, "--no-page", "--property=ActiveState,SubState,MainPID,ExecMainStatus,ExecMainCode,NRestarts,UnitFileState,LoadState,Result");
      if (r.code !== 0) return { status: "unknown", loaded: false, detail: describeFailure("systemctl --user", ["show", name], r) };
      const s = parseSystemctlShow(r.stdout);
      const pid = Number(s.MainPID);
      const active = s.ActiveState;
      const status = active === "active" ? "running" : active === "activating" && s.SubState === "auto-restart" ? "restarting" : active === "failed" ? "failed" : active === "inactive" ? "stopped" : active === "activating" || active === "deactivating" ? "restarting" : "unknown";
      const exit = Number(s.ExecMainStatus);
      return {
        status,
        loaded: s.LoadState === "loaded" && s.UnitFileState === "enabled",
        ...(pid > 0 ? { pid } : {}),
        ...(Number.isFinite(exit) && s.ExecMainStatus !== undefined ? { lastExitStatus: exit } : {}),
        ...(s.NRestarts ? { restarts: Number(s.NRestarts) } : {}),
        ...(status !== "running" && s.Result && s.Result !== "success" ? { detail: systemdDetail(s.Result, Number.isFinite(exit) ? exit : undefined) } : {}),
      };
    },
    list() {
      let names: string[] = [];
      try {
        names = readdirSync(unitDir).filter((f) => f.endsWith(".service")).map((f) => f.slice(0, -8));
      } catch {
        return [];
      }
      return names.filter((n) => GATEWAY_NAME_PATTERNS.systemd.test(n)).flatMap((n) => readInstalled(n) ?? []);
    },
    logHints(name) {
      return [`journalctl --user -u ${name}.service -n 200 --no-pager`];
    },
  };
}
