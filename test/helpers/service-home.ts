/**
 * A temp HOME whose gateway service runs on the detached supervisor (systemd's user bus is not
 * usable in a temp HOME), on a free port with its own token; cleanup uninstalls it, SIGKILLs any
 * process its supervisor state files still name, and removes the home. Shared by the service tests.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gatewayLockFile } from "../../src/infra/lock.js";
import { type CliRun, runBinary, tempHome } from "./cli.js";
import { freePort, waitUntil } from "./gateway.js";
import { alive, readJson } from "./inspect.js";

export type TestContext = { after(fn: () => unknown): void };

/** Where systemd's user bus answers, force the detached supervisor; otherwise auto-selection must pick it. */
export const SYSTEMD_USABLE = spawnSync("systemctl", ["--user", "show-environment"], { stdio: "ignore", timeout: 10_000 }).status === 0;

export const NAME = "openclaw-gateway";

export interface Home {
  home: string;
  env: Record<string, string | undefined>;
  port: number;
  token: string;
  stateDir: string;
  configPath: string;
  supervisorDir: string;
  definitionPath: string;
  stateFile: string;
  run(argv: string[], extraEnv?: Record<string, string | undefined>): Promise<CliRun>;
}

export interface SupervisorStateFile {
  supervisorPid: number;
  pid?: number;
  status: string;
  restarts: number;
  lastExit?: { code: number | null; signal: string | null };
  detail?: string;
}

/** Every state file this home's supervisors know of (definitions in the supervisor dir, plus the default one). */
export function stateFiles(h: { home: string; supervisorDir: string; stateFile: string }): string[] {
  const files = new Set<string>([h.stateFile]);
  try {
    for (const f of readdirSync(h.supervisorDir)) {
      if (!f.endsWith(".json")) continue;
      const def = readJson<{ stateFile?: string }>(path.join(h.supervisorDir, f));
      if (def?.stateFile) files.add(def.stateFile);
    }
  } catch {
    // no supervisor dir
  }
  return [...files];
}

export function pidsOf(h: Home): { supervisors: number[]; gateways: number[] } {
  const supervisors: number[] = [];
  const gateways: number[] = [];
  for (const f of stateFiles(h)) {
    const s = readJson<SupervisorStateFile>(f);
    if (s?.supervisorPid) supervisors.push(s.supervisorPid);
    if (s?.pid) gateways.push(s.pid);
  }
  return { supervisors, gateways };
}

export function configText(o: { port: number; token?: string; mode?: string | null; home: string; portValue?: unknown }): string {
  const auth: Record<string, unknown> = { mode: "token" };
  if (o.token) auth.token = o.token;
  const gateway: Record<string, unknown> = {};
  if (o.mode !== null) gateway.mode = o.mode ?? "local";
  gateway.port = o.portValue ?? o.port;
  gateway.auth = auth;
  return `${JSON.stringify({ gateway, logging: { file: path.join(o.home, "logs", "openclaw.log") } }, null, 2)}\n`;
}

/**
 * A temp HOME with `~/.openclaw/openclaw.json` on a free port. Cleanup (one hook, in order):
 * `gateway uninstall`, then SIGKILL whatever the state files still name, then remove the home.
 */
export async function serviceHome(t: TestContext, o: { token?: string | false; mode?: string | null; extraEnv?: Record<string, string> } = {}): Promise<Home> {
  const { home, env: base } = tempHome();
  const env: Record<string, string | undefined> = { ...base, ...(SYSTEMD_USABLE ? { OPENCLAW_SERVICE_MANAGER: "supervisor" } : {}), ...o.extraEnv };
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const configPath = path.join(stateDir, "openclaw.json");
  writeFileSync(configPath, configText({ port, home, ...(o.token === false ? {} : { token: o.token ?? token }), ...(o.mode !== undefined ? { mode: o.mode } : {}) }), { mode: 0o600 });
  const supervisorDir = path.join(home, ".config", "openclaw", "supervisor");
  const h: Home = {
    home,
    env,
    port,
    token,
    stateDir,
    configPath,
    supervisorDir,
    definitionPath: path.join(supervisorDir, `${NAME}.json`),
    stateFile: path.join(stateDir, "gateway.supervisor.json"),
    run: (argv, extraEnv = {}) => runBinary(argv, { env: { ...env, ...extraEnv } }),
  };
  t.after(async () => {
    const before = pidsOf(h);
    try {
      await runBinary(["gateway", "uninstall"], { env });
    } finally {
      const now = pidsOf(h);
      const supervisors = [...before.supervisors, ...now.supervisors];
      const gateways = [...before.gateways, ...now.gateways];
      for (const pid of [...supervisors, ...gateways]) {
        if (alive(pid)) process.kill(pid, "SIGKILL");
      }
      await waitUntil(() => [...supervisors, ...gateways].every((pid) => !alive(pid)), 5000, "service processes to exit").catch(() => {});
      rmSync(gatewayLockFile(configPath), { force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });
  return h;
}
