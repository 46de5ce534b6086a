/**
 * Shared by the onboarding e2e tests: a temp HOME whose cleanup uninstalls the gateway service and
 * kills whatever its supervisor state still names, so no test leaves a process behind.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { type CliRun, runBinary, tempHome } from "../helpers/cli.js";
import { waitUntil } from "../helpers/gateway.js";
import { alive } from "../helpers/inspect.js";

/** Where systemd's user bus answers, force the detached supervisor (the tests check that one). */
const SYSTEMD_USABLE = spawnSync("systemctl", ["--user", "show-environment"], { stdio: "ignore", timeout: 10_000 }).status === 0;

export interface OnboardHome {
  home: string;
  env: Record<string, string | undefined>;
  stateDir: string;
  configPath: string;
  run(argv: string[], options?: { timeoutMs?: number }): Promise<CliRun>;
}

function supervisorPids(stateDir: string): number[] {
  try {
    const s = JSON.parse(readFileSync(path.join(stateDir, "gateway.supervisor.json"), "utf8")) as { supervisorPid?: number; pid?: number };
    return [s.supervisorPid, s.pid].filter((x): x is number => typeof x === "number");
  } catch {
    return [];
  }
}

export function onboardHome(t: { after(fn: () => unknown): void }): OnboardHome {
  const { home, env: base } = tempHome();
  const env = { ...base, ...(SYSTEMD_USABLE ? { OPENCLAW_SERVICE_MANAGER: "supervisor" } : {}) };
  const stateDir = path.join(home, ".openclaw");
  t.after(async () => {
    const before = supervisorPids(stateDir);
    try {
      await runBinary(["gateway", "uninstall"], { env });
    } finally {
      const pids = [...before, ...supervisorPids(stateDir)];
      for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
      await waitUntil(() => pids.every((pid) => !alive(pid)), 5000, "service processes to exit").catch(() => {});
      rmSync(home, { recursive: true, force: true });
    }
  });
  return { home, env, stateDir, configPath: path.join(stateDir, "openclaw.json"), run: (argv, o = {}) => runBinary(argv, { env, ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) }) };
}
