/**
 * Signal's doctor checks through the built binary (`npm run build` first): a stale JAVA_HOME (a
 * removed Homebrew Cellar path) is a finding naming the path, an unlinked account gets the
 * `signal-cli link -n "OpenClaw"` fix; once the host is fixed the findings are gone.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runBinary, tempHome } from "../helpers/cli.js";

interface Finding {
  checkId: string;
  severity: string;
  title: string;
  fix?: string;
}

const BOT = "+15550001111";
const STALE = "/opt/homebrew/Cellar/openjdk@21/21.0.1/libexec/openjdk.jdk/Contents/Home";

test("doctor --dry-run --json names a stale JAVA_HOME and an unlinked Signal account; a fixed host has neither", { skip: process.platform === "win32" ? "POSIX executables" : false }, async (t) => {
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir, { mode: 0o700 });
  chmodSync(stateDir, 0o700);
  const bin = path.join(home, "bin");
  mkdirSync(bin);
  const cliPath = path.join(bin, "signal-cli");
  writeFileSync(cliPath, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  writeFileSync(path.join(stateDir, "openclaw.json"), JSON.stringify({ gateway: { mode: "local", auth: { mode: "token", token: "t".repeat(40) } }, channels: { signal: { account: BOT, transport: { kind: "managed-native", cliPath }, dmPolicy: "allowlist", allowFrom: ["+15557654321"] } } }));

  const before = await runBinary(["doctor", "--dry-run", "--json"], { env: { ...env, JAVA_HOME: STALE } });
  const findings = (JSON.parse(before.stdout) as { findings: Finding[] }).findings.filter((f) => f.checkId.startsWith("channels.signal."));
  assert.deepEqual(findings.map((f) => f.checkId).sort(), ["channels.signal.java_home_missing", "channels.signal.not_linked"], before.stdout);
  const java = findings.find((f) => f.checkId === "channels.signal.java_home_missing")!;
  assert.ok(java.title.includes(STALE), java.title);
  assert.match(java.fix ?? "", /Java 21/);
  assert.equal(findings.find((f) => f.checkId === "channels.signal.not_linked")?.fix, 'signal-cli link -n "OpenClaw"');

  const jdk = path.join(home, "jdk-21");
  mkdirSync(jdk);
  writeFileSync(path.join(jdk, "release"), 'JAVA_VERSION="21.0.4"\n');
  const data = path.join(home, ".local", "share", "signal-cli", "data");
  mkdirSync(data, { recursive: true });
  writeFileSync(path.join(data, "accounts.json"), JSON.stringify({ accounts: [{ path: "1234", environment: "LIVE", number: BOT }], version: 2 }));
  writeFileSync(path.join(data, "1234"), "{}");
  const after = await runBinary(["doctor", "--dry-run", "--json"], { env: { ...env, JAVA_HOME: jdk } });
  assert.deepEqual((JSON.parse(after.stdout) as { findings: Finding[] }).findings.filter((f) => f.checkId.startsWith("channels.signal.")), [], after.stdout);
});
