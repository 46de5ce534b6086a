/**
 * Interop with OpenClaw's own CLI: its `doctor --fix` migrates the retired flat Signal keys
 * (`httpUrl`, `autoStart`, …) into an account-owned `transport` object, probing a
 * legacy `httpUrl` to learn it is a native signal-cli daemon (our loopback stand-in answers as one).
 * Our resolver must read both files — before and after its migration — as the same transport.
 * Skipped, with the reason, when the real CLI is not installed, and unless OPENCLAW_INTEROP_NETWORK=1:
 * its doctor installs the `signal` plugin from npm (tens of seconds, network required).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { resolveSignalAccount } from "../../src/channels/index.js";
import { startFakeSignalCli } from "../helpers/fake-signal-cli.js";
import { REAL_CLI, realEnv } from "./real-openclaw.js";

const SKIP = REAL_CLI.skip || (process.env.OPENCLAW_INTEROP_NETWORK === "1" ? false : "OpenClaw's doctor installs @openclaw/signal from npm for this check: set OPENCLAW_INTEROP_NETWORK=1 to run it");

/** Runs the real CLI in its own process group and kills the whole group when it ends (its doctor forks helpers that outlive it). */
function runRealGroup(argv: string[], home: string, timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // npm inside OpenClaw's doctor needs the host's CA bundle and proxy settings (never credentials of ours).
    const pass = ["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy"];
    const extra = Object.fromEntries(pass.flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])));
    const child = spawn(REAL_CLI.bin, argv, { env: realEnv(home, extra), detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    // The run's deadline: the whole process group goes when it passes.
    const deadline = AbortSignal.timeout(timeoutMs);
    deadline.addEventListener("abort", killGroup, { once: true });
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      deadline.removeEventListener("abort", killGroup);
      killGroup();
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const pick = (r: ReturnType<typeof resolveSignalAccount>) => ({ kind: r.kind, baseUrl: r.baseUrl, cliPath: r.cliPath, account: r.account, configError: r.configError });

test("OpenClaw's doctor --fix migrates legacy Signal keys to transport objects that we resolve the same way", { skip: SKIP, timeout: 300_000 }, async (t) => {
  const daemon = await startFakeSignalCli({ accounts: ["+15550001111"] });
  t.after(() => daemon.close());
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-signal-interop-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(path.join(home, ".openclaw"), { mode: 0o700 });
  const file = path.join(home, ".openclaw", "openclaw.json");
  // The seed's shape: one account with the retired flat keys pointing at an already-running daemon.
  const legacy = { gateway: { mode: "local" }, channels: { signal: { account: "+15550001111", httpUrl: daemon.baseUrl, autoStart: false, dmPolicy: "pairing" } } };
  writeFileSync(file, JSON.stringify(legacy));
  const before = pick(resolveSignalAccount(legacy.channels.signal, "default"));
  assert.deepEqual(before, { kind: "external-native", baseUrl: daemon.baseUrl, cliPath: "signal-cli", account: "+15550001111", configError: undefined });

  const run = await runRealGroup(["doctor", "--fix", "--non-interactive"], home, 280_000);
  const migrated = JSON.parse(readFileSync(file, "utf8")) as { channels: { signal: Record<string, unknown> } };
  const signal = migrated.channels.signal;
  assert.ok(signal.transport, `OpenClaw did not migrate the legacy keys (exit ${run.code}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
  assert.deepEqual([signal.httpUrl, signal.autoStart], [undefined, undefined], "the retired keys are gone");
  assert.deepEqual(signal.transport, { kind: "external-native", url: daemon.baseUrl }, "OpenClaw recognised the stand-in as a native signal-cli daemon");
  assert.deepEqual(pick(resolveSignalAccount(signal, "default")), before);
});
