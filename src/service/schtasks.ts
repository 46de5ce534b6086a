/**
 * Windows Task Scheduler (spec §7.5): task `OpenClaw Gateway` runs `<state>\gateway.cmd` at logon.
 * The script restarts the gateway when it crashes (a Scheduled Task alone does not), except on the
 * config exit codes, and carries no secrets: it points the gateway at the 0600 env file.
 */
import { existsSync, readFileSync, unlinkSync } from "node:fs";
import path from "node:path";
import { readEnvFileKeys, renderEnvFile } from "./env-file.js";
import { describeFailure } from "./exec.js";
import { GATEWAY_NAME_PATTERNS } from "./names.js";
import { NO_RESTART_EXIT_CODES } from "./systemd.js";
import type { InstalledService, RenderedFile, ServiceContext, ServiceDefinition, ServiceManager, ServiceRuntime } from "./types.js";

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** A quoted cmd.exe word; `%` doubled so it is not read as a variable. */
const cmdQuote = (s: string) => `"${s.replace(/%/g, "%%").replace(/"/g, '""')}"`;

/** The script the task runs: env, then the gateway in a restart loop. CRLF line endings. */
export function renderGatewayCmd(def: ServiceDefinition): string {
  const min = Math.min(...NO_RESTART_EXIT_CODES);
  const max = Math.max(...NO_RESTART_EXIT_CODES);
  const lines = [
    "@echo off",
    `rem ${def.description}`,
    `cd /d ${cmdQuote(def.workingDirectory)}`,
    ...Object.entries(def.environment)
      .filter(([k]) => k !== "PATH")
      .map(([k, v]) => `set "${k}=${v.replace(/%/g, "%%")}"`),
    ":run",
    `${def.programArguments.map(cmdQuote).join(" ")} >> ${cmdQuote(def.stdoutPath)} 2>> ${cmdQuote(def.stderrPath)}`,
    `if %ERRORLEVEL% GEQ ${min} if %ERRORLEVEL% LEQ ${max} exit /b %ERRORLEVEL%`,
    "ping -n 6 127.0.0.1 >nul",
    "goto run",
    "",
  ];
  return lines.join("\r\n");
}

/** Reads back the command line and `set` lines of a gateway.cmd. */
export function parseGatewayCmd(text: string): { programArguments: string[]; environment: Record<string, string>; workingDirectory?: string } {
  const environment: Record<string, string> = {};
  let programArguments: string[] = [];
  let workingDirectory: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const set = /^set "([^=]+)=(.*)"$/i.exec(line);
    if (set) environment[set[1]!] = set[2]!.replace(/%%/g, "%");
    const cd = /^cd \/d "(.*)"$/i.exec(line);
    if (cd) workingDirectory = cd[1]!.replace(/""/g, '"').replace(/%%/g, "%");
    if (line.startsWith('"') && programArguments.length === 0) {
      const words = [...line.matchAll(/"((?:[^"]|"")*)"|(\S+)/g)].map((m) => ({ quoted: m[1] !== undefined, text: m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]! }));
      const end = words.findIndex((w) => !w.quoted && /^\d?>/.test(w.text));
      programArguments = (end < 0 ? words : words.slice(0, end)).map((w) => w.text.replace(/%%/g, "%"));
    }
  }
  return { programArguments, environment, ...(workingDirectory ? { workingDirectory } : {}) };
}

/** Task Scheduler XML: at logon of `userId`, no time limit, restart on failure. */
export function renderTaskXml(def: ServiceDefinition, options: { userId: string; scriptPath: string }): string {
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    "  <RegistrationInfo>",
    `    <Description>${xml(def.description)}</Description>`,
    `    <URI>\\${xml(def.name)}</URI>`,
    "  </RegistrationInfo>",
    "  <Triggers>",
    "    <LogonTrigger>",
    "      <Enabled>true</Enabled>",
    `      <UserId>${xml(options.userId)}</UserId>`,
    "    </LogonTrigger>",
    "  </Triggers>",
    "  <Principals>",
    '    <Principal id="Author">',
    `      <UserId>${xml(options.userId)}</UserId>`,
    "      <LogonType>InteractiveToken</LogonType>",
    "      <RunLevel>LeastPrivilege</RunLevel>",
    "    </Principal>",
    "  </Principals>",
    "  <Settings>",
    "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>",
    "    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>",
    "    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>",
    "    <AllowHardTerminate>true</AllowHardTerminate>",
    "    <StartWhenAvailable>true</StartWhenAvailable>",
    "    <AllowStartOnDemand>true</AllowStartOnDemand>",
    "    <Enabled>true</Enabled>",
    "    <Hidden>false</Hidden>",
    "    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>",
    "    <Priority>7</Priority>",
    "    <RestartOnFailure>",
    "      <Interval>PT1M</Interval>",
    "      <Count>999</Count>",
    "    </RestartOnFailure>",
    "  </Settings>",
    '  <Actions Context="Author">',
    "    <Exec>",
    `      <Command>${xml(options.scriptPath)}</Command>`,
    `      <WorkingDirectory>${xml(def.workingDirectory)}</WorkingDirectory>`,
    "    </Exec>",
    "  </Actions>",
    "</Task>",
    "",
  ].join("\r\n");
}

/** `schtasks /Query /V /FO LIST` → runtime. `0x41301` (267009) means running; locale-dependent text → unknown. */
export function parseSchtasksQuery(text: string): ServiceRuntime {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "mi").exec(text)?.[1]?.trim();
  const status = field("Status");
  const lastResult = field("Last Result") ?? field("Last Run Result");
  const code = lastResult === undefined ? Number.NaN : lastResult.startsWith("0x") ? Number.parseInt(lastResult, 16) : Number(lastResult);
  const running = status === "Running" || code === 0x41301;
  const known = status === "Running" || status === "Ready" || status === "Disabled" || Number.isFinite(code);
  return {
    status: running ? "running" : known ? "stopped" : "unknown",
    loaded: status !== "Disabled",
    ...(Number.isFinite(code) && code !== 0x41301 ? { lastExitStatus: code } : {}),
    ...(status === "Disabled" ? { detail: "the task is disabled" } : {}),
  };
}

/** PIDs listening on a TCP port, from `netstat -ano`. */
export function parseNetstatListeners(text: string, port: number): number[] {
  const pids = new Set<number>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*TCP\s+\S+:(\d+)\s+\S+\s+LISTENING\s+(\d+)/i.exec(line);
    if (m && Number(m[1]) === port) pids.add(Number(m[2]));
  }
  return [...pids];
}

export function createSchtasksManager(ctx: ServiceContext): ServiceManager {
  const userId = ctx.env.USERDOMAIN ? `${ctx.env.USERDOMAIN}\\${ctx.env.USERNAME ?? ctx.user}` : (ctx.env.USERNAME ?? ctx.user);
  const stateDirOf = (name: string) => {
    const suffix = /\(([^)]+)\)$/.exec(name)?.[1];
    return path.join(ctx.home, suffix ? `.openclaw-${suffix}` : ".openclaw");
  };
  const scriptFor = (name: string) => path.join(stateDirOf(name), "gateway.cmd");
  const schtasks = (...args: string[]) => ctx.exec("schtasks", args, { timeoutMs: 20_000 });
  const must = (...args: string[]) => {
    const r = schtasks(...args);
    if (r.code !== 0) throw new Error(describeFailure("schtasks", args, r));
  };
  const readInstalled = (name: string): InstalledService | undefined => {
    const script = scriptFor(name);
    let text: string;
    try {
      text = readFileSync(script, "utf8");
    } catch {
      return undefined;
    }
    const parsed = parseGatewayCmd(text);
    const envFile = parsed.environment.OPENCLAW_SERVICE_ENV_FILE;
    return { kind: "schtasks", name, definitionPath: script, ...parsed, ...(envFile ? { envFile } : {}), envFileKeys: envFile ? readEnvFileKeys(envFile) : [] };
  };
  const killListeners = (name: string) => {
    const port = Number(readInstalled(name)?.environment.OPENCLAW_GATEWAY_PORT);
    if (!port) return;
    const r = ctx.exec("netstat", ["-ano", "-p", "tcp"], { timeoutMs: 10_000 });
    for (const pid of parseNetstatListeners(r.stdout, port)) ctx.exec("taskkill", ["/PID", String(pid), "/T", "/F"], { timeoutMs: 10_000 });
  };
  return {
    kind: "schtasks",
    label: "Windows Scheduled Task",
    preflight() {
      const r = schtasks("/Query", "/FO", "LIST");
      if (r.code === 0) return { ok: true, problems: [] };
      return { ok: false, problems: [{ message: `Task Scheduler is unavailable (${describeFailure("schtasks", ["/Query"], r)})`, fix: "Run from an elevated PowerShell (Run as Administrator), or use WSL2." }] };
    },
    definitionPath: (name) => scriptFor(name),
    render(def, secrets): RenderedFile[] {
      const script = path.join(def.stateDir, "gateway.cmd");
      const files: RenderedFile[] = [
        { path: script, content: renderGatewayCmd(def), mode: 0o600, role: "gateway.cmd script" },
        { path: path.join(def.stateDir, "gateway-task.xml"), content: renderTaskXml(def, { userId, scriptPath: script }), mode: 0o600, role: "Task Scheduler XML", encoding: "utf16le" },
      ];
      if (def.envFile) files.push({ path: def.envFile, content: renderEnvFile(secrets, def.description), mode: 0o600, role: "secrets env file" });
      return files;
    },
    async activate(def) {
      must("/Create", "/TN", def.name, "/XML", path.join(def.stateDir, "gateway-task.xml"), "/F");
      must("/Run", "/TN", def.name);
    },
    async remove(name) {
      schtasks("/End", "/TN", name);
      killListeners(name);
      schtasks("/Delete", "/TN", name, "/F");
      const removed: string[] = [];
      for (const f of [scriptFor(name), path.join(stateDirOf(name), "gateway-task.xml")]) {
        if (existsSync(f)) {
          unlinkSync(f);
          removed.push(f);
        }
      }
      return removed;
    },
    async start(name) {
      must("/Run", "/TN", name);
    },
    async stop(name) {
      schtasks("/End", "/TN", name);
      killListeners(name);
    },
    async restart(name) {
      schtasks("/End", "/TN", name);
      killListeners(name);
      must("/Run", "/TN", name);
    },
    readInstalled,
    runtime(name) {
      const r = schtasks("/Query", "/TN", name, "/V", "/FO", "LIST");
      if (r.code !== 0) return { status: "stopped", loaded: false, detail: "task not registered" };
      return parseSchtasksQuery(r.stdout);
    },
    list() {
      const r = schtasks("/Query", "/FO", "CSV", "/NH");
      const names = [...r.stdout.matchAll(/^"\\?([^"]+)"/gm)].map((m) => m[1]!);
      return names.filter((n) => GATEWAY_NAME_PATTERNS.schtasks.test(n)).flatMap((n) => readInstalled(n) ?? []);
    },
    logHints(name) {
      return [`${path.join(stateDirOf(name), "logs")}`, `schtasks /Query /TN "${name}" /V /FO LIST`, "Event Viewer → Task Scheduler History"];
    },
  };
}
