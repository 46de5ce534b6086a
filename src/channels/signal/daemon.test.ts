import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { writeFakeSignalCliBin } from "../../../test/helpers/fake-signal-cli.js";
import { isPidAlive, pollUntil } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import type { ChannelLog } from "../contract.js";
import { SignalAccount } from "./account.js";
import { resolveSignalAccount } from "./config.js";
import type { SignalDaemonStatus } from "./daemon.js";
import type { SignalInbound } from "./inbound.js";

const BOT = "+15550001111";
const posix = process.platform !== "win32";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function captureLog(): ChannelLog & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: rec("debug"), info: rec("info"), warn: rec("warn"), error: rec("error") };
}

test("managed-native: spawns signal-cli -a <account> daemon --http, waits for check, receives and sends, restarts it when it dies, stops it on stop", { skip: posix ? false : "the fake signal-cli is a POSIX shell shim" }, async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-signal-daemon-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cliPath = writeFakeSignalCliBin(dir);
  const argvLog = path.join(dir, "argv.jsonl");
  const port = await freePort();
  const log = captureLog();
  const resolved = resolveSignalAccount({ account: BOT, transport: { kind: "managed-native", cliPath, httpPort: port, startupTimeoutMs: 20_000 } }, "default");
  const a = new SignalAccount(resolved, { env: { ...process.env, FAKE_SIGNAL_CLI_ARGV: argvLog }, backoff: { initialMs: 50, maxMs: 300 }, daemonBackoff: { initialMs: 50, maxMs: 300 } });
  t.after(() => a.stop());
  const inbound: SignalInbound[] = [];
  await a.start({ onInbound: (m) => void inbound.push(m as SignalInbound), log });
  const first = a.snapshot().daemon as SignalDaemonStatus;
  assert.ok(first.running && typeof first.pid === "number" && isPidAlive(first.pid), "the daemon runs once start resolves");
  assert.deepEqual(JSON.parse(readFileSync(argvLog, "utf8").trim().split("\n")[0]!), ["-a", BOT, "daemon", "--http", `127.0.0.1:${port}`]);
  assert.deepEqual([a.snapshot().mode, a.snapshot().cliPath, a.snapshot().baseUrl, a.snapshot().port], ["managed-native", cliPath, `http://127.0.0.1:${port}`, port]);
  assert.ok(log.lines.some((l) => l.startsWith("info signal-cli daemon ready")));

  const base = `http://127.0.0.1:${port}`;
  assert.ok(await pollUntil(() => a.snapshot().connected === true, 10_000, 20));
  await fetch(`${base}/__fake/push`, { method: "POST", body: JSON.stringify({ from: "+15557654321", text: "via the spawned daemon" }) });
  assert.ok(await pollUntil(() => inbound.length === 1, 10_000, 20));
  await a.send("+15557654321", "reply");
  // A managed daemon is single-account (-a): no account param goes over RPC.
  assert.deepEqual(await (await fetch(`${base}/__fake/sent`)).json(), [{ recipient: ["+15557654321"], message: "reply" }]);

  // The daemon dies: it is respawned and the account reconnects to the new process.
  process.kill(first.pid as number, "SIGKILL");
  assert.ok(await pollUntil(() => a.snapshot().connected === false, 10_000, 10), "the loss is visible");
  assert.ok(
    await pollUntil(
      () => {
        const d = a.snapshot().daemon as SignalDaemonStatus;
        return d.restarts >= 1 && d.running && d.pid !== first.pid && a.snapshot().connected === true;
      },
      20_000,
      20,
    ),
    "respawned and reconnected",
  );
  assert.ok(log.lines.some((l) => l.startsWith("warn signal-cli daemon died; restarting")));
  const second = (a.snapshot().daemon as SignalDaemonStatus).pid as number;
  await a.stop();
  assert.ok(await pollUntil(() => !isPidAlive(second), 5000, 20), "stop ends the daemon");
  assert.equal(a.snapshot().running, false);
  // Nothing respawns it after stop.
  assert.equal(readFileSync(argvLog, "utf8").trim().split("\n").length, 2);
});

test("managed-native start failures: a missing signal-cli and a daemon that exits are clear errors, not retried behind the caller's back", { skip: posix ? false : "POSIX shell scripts" }, async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-signal-daemon-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const missing = new SignalAccount(resolveSignalAccount({ account: BOT, transport: { kind: "managed-native", cliPath: path.join(dir, "nope", "signal-cli"), httpPort: await freePort() } }, "default"));
  await assert.rejects(missing.start({ onInbound: () => {}, log: captureLog() }), (e: unknown) => e instanceof AppError && e.code === "CONFIG_INVALID" && /signal-cli not found at/.test(e.message) && /cliPath/.test(e.hint ?? ""));
  assert.match(String(missing.snapshot().lastError), /not found/);

  const crashing = path.join(dir, "signal-cli");
  writeFileSync(crashing, "#!/bin/sh\necho 'Error: JAVA_HOME is set to an invalid directory: /opt/gone' >&2\nexit 1\n", { mode: 0o755 });
  const a = new SignalAccount(resolveSignalAccount({ account: BOT, transport: { kind: "managed-native", cliPath: crashing, httpPort: await freePort(), startupTimeoutMs: 10_000 } }, "default"), { daemonBackoff: { initialMs: 20, maxMs: 40 } });
  await assert.rejects(a.start({ onInbound: () => {}, log: captureLog() }), (e: unknown) => e instanceof AppError && e.code === "UNAVAILABLE" && /exited with code 1: Error: JAVA_HOME is set to an invalid directory/.test(e.message) && /JAVA_HOME/.test(e.hint ?? ""));
  assert.equal(a.snapshot().running, false);
});
