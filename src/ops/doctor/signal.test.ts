import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { collectSignalHostFacts, isSignalAccountLinked, javaMajorVersion, signalCliDataDir } from "../signal-host.js";
import { signalConfigFindings } from "./signal.js";

/** Gather the facts as doctor's snapshot does, then run the pure check. */
const check = (input: Record<string, unknown>, env: Record<string, string | undefined>) => signalConfigFindings(collectSignalHostFacts(input, env));

const BOT = "+15550001111";
const posix = process.platform !== "win32";

function sandbox(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-signal-doctor-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  const cli = path.join(bin, "signal-cli");
  writeFileSync(cli, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  const jdk = (version: string) => {
    const home = path.join(dir, `jdk-${version}`);
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, "release"), `IMPLEMENTOR="Eclipse Adoptium"\nJAVA_VERSION="${version}"\n`);
    return home;
  };
  const link = (layout: "index" | "file", number = BOT) => {
    const data = path.join(dir, ".local", "share", "signal-cli", "data");
    mkdirSync(data, { recursive: true });
    if (layout === "file") writeFileSync(path.join(data, number), "{}");
    else {
      writeFileSync(path.join(data, "accounts.json"), JSON.stringify({ accounts: [{ path: "308511", environment: "LIVE", number, uuid: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee" }], version: 2 }));
      writeFileSync(path.join(data, "308511"), "{}");
    }
  };
  return { dir, bin, cli, jdk, link, env: { HOME: dir, PATH: bin } as Record<string, string | undefined> };
}

const ids = (f: Array<{ checkId: string }>) => f.map((x) => x.checkId).sort();

test("only a configured (enabled) channels.signal is checked", () => {
  assert.deepEqual(check({}, {}), []);
  assert.deepEqual(check({ channels: { signal: { enabled: false, account: BOT } } }, { JAVA_HOME: "/nope" }), []);
});

test("healthy host: signal-cli on PATH, Java 21, the account in accounts.json → no findings", { skip: posix ? false : "POSIX executables" }, (t) => {
  const s = sandbox(t);
  s.link("index");
  assert.deepEqual(check({ channels: { signal: { account: BOT } } }, { ...s.env, JAVA_HOME: s.jdk("21.0.2") }), []);
});

test("signal-cli missing from PATH or at a stale cliPath; stale JAVA_HOME named; Java < 21; not linked with the link command", { skip: posix ? false : "POSIX executables" }, (t) => {
  const s = sandbox(t);
  const noPath = check({ channels: { signal: { account: BOT } } }, { HOME: s.dir, PATH: path.join(s.dir, "empty"), JAVA_HOME: "/opt/homebrew/Cellar/openjdk@21/21.0.1/libexec/openjdk.jdk/Contents/Home" });
  assert.deepEqual(ids(noPath), ["channels.signal.cli_missing", "channels.signal.java_home_missing", "channels.signal.not_linked"]);
  const cli = noPath.find((f) => f.checkId === "channels.signal.cli_missing")!;
  assert.match(cli.title, /not on PATH/);
  assert.match(cli.fix ?? "", /install signal-cli.*cliPath/);
  assert.match(noPath.find((f) => f.checkId === "channels.signal.java_home_missing")!.title, /JAVA_HOME points at \/opt\/homebrew\/Cellar\/openjdk@21\/21\.0\.1\/libexec\/openjdk\.jdk\/Contents\/Home, which does not exist/);
  const linked = noPath.find((f) => f.checkId === "channels.signal.not_linked")!;
  assert.match(linked.title, new RegExp(`${BOT.replace("+", "\\+")} is not linked`));
  assert.equal(linked.fix, 'signal-cli link -n "OpenClaw"');

  const stale = check({ channels: { signal: { account: BOT, transport: { cliPath: "/opt/homebrew/Cellar/signal-cli/0.12.0/bin/signal-cli" } } } }, s.env);
  const staleCli = stale.find((f) => f.checkId === "channels.signal.cli_missing")!;
  assert.match(staleCli.title, /signal-cli not found at \/opt\/homebrew\/Cellar\/signal-cli\/0\.12\.0\/bin\/signal-cli \(channels\.signal cliPath\)/);
  assert.match(staleCli.detail ?? "", /Homebrew upgrade/);

  s.link("file");
  const old = check({ channels: { signal: { account: BOT } } }, { ...s.env, JAVA_HOME: s.jdk("17.0.9") });
  assert.deepEqual(ids(old), ["channels.signal.java_too_old"]);
  assert.match(old[0]!.title, /is Java 17; signal-cli needs Java 21 or newer/);
  assert.deepEqual(ids(check({ channels: { signal: { account: BOT } } }, { ...s.env, JAVA_HOME: s.jdk("1.8.0_292") })), ["channels.signal.java_too_old"]);
});

test("external-native daemons are not checked for local files; config errors are findings; --config dirs are honoured", { skip: posix ? false : "POSIX executables" }, (t) => {
  const s = sandbox(t);
  const ext = check({ channels: { signal: { account: BOT, transport: { kind: "external-native", url: "http://10.0.0.5:8080" } } } }, { HOME: s.dir, PATH: "", JAVA_HOME: "/gone" });
  assert.deepEqual(ext, []);
  const bad = check({ channels: { signal: { account: "0701234567", transport: { kind: "external-native", url: "http://x:1" } } } }, {});
  assert.deepEqual(ids(bad), ["channels.signal.config_invalid"]);
  assert.match(bad[0]!.title, /not an E\.164 number/);
  const custom = path.join(s.dir, "custom");
  mkdirSync(path.join(custom, "data"), { recursive: true });
  writeFileSync(path.join(custom, "data", BOT), "{}");
  assert.equal(isSignalAccountLinked(signalCliDataDir(custom, s.env), BOT), true);
  assert.deepEqual(check({ channels: { signal: { account: BOT, transport: { cliPath: s.cli, configPath: custom } } } }, s.env), []);
  const other = check({ channels: { signal: { account: "+15550002222", transport: { cliPath: s.cli, configPath: custom } } } }, s.env);
  assert.equal(other[0]?.fix, `signal-cli --config ${custom} link -n "OpenClaw"`);
  assert.equal(signalCliDataDir(undefined, { HOME: "/h", XDG_DATA_HOME: "/x" }), path.join("/x", "signal-cli"));
  assert.equal(javaMajorVersion(path.join(s.dir, "nowhere")), undefined);
});
