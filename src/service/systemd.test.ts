import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, type TestContext, test } from "node:test";
import { type Call, recordingExec } from "../../test/helpers/exec.js";
import { type Env, resolvePaths } from "../infra/index.js";
import {
  buildServiceDefinition,
  createServiceManager,
  diffDefinitions,
  type Exec,
  type InstalledService,
  NO_RESTART_EXIT_CODES,
  parseSystemctlShow,
  parseSystemdUnit,
  renderSystemdUnit,
  type ServiceContext,
  type ServiceDefinition,
} from "./index.js";

const VERSION = "2026.11.0";
const PORT = 19789;

/** A fresh directory under the OS temp dir, removed after the test. */
function tempDir(t: TestContext, prefix = "openclaw-systemd-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Creates `file` (and its directories) so paths in a unit point at something real. */
function touch(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "// entry\n");
  return file;
}

function systemdDefinition(env: Env, overrides: { port?: number; runtimePath?: string; entryPath?: string; secrets?: Record<string, string> } = {}): ServiceDefinition {
  const home = env.HOME!;
  return buildServiceDefinition({
    kind: "systemd",
    env,
    paths: resolvePaths(env),
    port: overrides.port ?? PORT,
    runtimePath: overrides.runtimePath ?? process.execPath,
    entryPath: overrides.entryPath ?? path.join(home, "lib", "openclaw", "bin", "openclaw.mjs"),
    version: VERSION,
    platform: "linux",
    secrets: overrides.secrets ?? {},
  });
}

/** Writes the unit as `<definition.name>.service` into its own directory and returns the path. */
function writeUnit(dir: string, def: ServiceDefinition, text = renderSystemdUnit(def)): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${def.name}.service`);
  fs.writeFileSync(file, text);
  return file;
}

/**
 * Runs the real `systemd-analyze verify --user <file>` with a private 0700 XDG_RUNTIME_DIR. It
 * reports parse problems as warnings on stderr with exit code 0, so callers look at both.
 */
function systemdVerify(t: TestContext, file: string): { code: number | null; stderr: string; lines: string[] } {
  const runtimeDir = tempDir(t, "openclaw-xdg-runtime-");
  fs.chmodSync(runtimeDir, 0o700);
  const r = spawnSync("systemd-analyze", ["verify", "--user", file], {
    encoding: "utf8",
    env: { ...process.env, XDG_RUNTIME_DIR: runtimeDir },
    timeout: 60_000,
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      assert.fail(
        "systemd-analyze is not installed, so the generated units cannot be verified. `npm test` installs it (scripts/ensure-system-deps.mjs installs the systemd package); or install your distribution's systemd package and rerun.",
      );
    }
    assert.fail(`systemd-analyze verify could not run: ${r.error.message}`);
  }
  const name = path.basename(file);
  const lines = r.stderr.split("\n").filter((l) => l.includes(name));
  return { code: r.status, stderr: r.stderr, lines };
}

function assertVerifies(t: TestContext, file: string): void {
  const v = systemdVerify(t, file);
  assert.equal(v.code, 0, `systemd-analyze verify ${file} exited ${v.code}:\n${v.stderr}`);
  assert.deepEqual(v.lines, [], `systemd-analyze verify reported problems in ${file}:\n${v.stderr}\n--- unit ---\n${fs.readFileSync(file, "utf8")}`);
}

function lineOf(text: string, key: string): string {
  const line = text.split("\n").find((l) => l.startsWith(`${key}=`));
  assert.ok(line !== undefined, `no ${key}= line in:\n${text}`);
  return line;
}

/** The InstalledService a unit file parses to (what the manager's readInstalled builds). */
function installedFromUnit(def: ServiceDefinition, text: string, envFileKeys = def.secretKeys): InstalledService {
  const u = parseSystemdUnit(text);
  return {
    kind: "systemd",
    name: def.name,
    definitionPath: `/dev/null/${def.name}.service`,
    programArguments: u.execStart,
    ...(u.workingDirectory ? { workingDirectory: u.workingDirectory } : {}),
    environment: u.environment,
    ...(u.envFile ? { envFile: u.envFile } : {}),
    envFileKeys,
  };
}

function context(home: string, exec: Exec, env: Env = { HOME: home }): ServiceContext {
  return { env, home, platform: "linux", uid: 1000, user: "alice", exec };
}

const flat = (calls: Call[]) => calls.map((c) => [c.command, ...c.args].join(" "));

describe("systemd unit: systemd-analyze verify", () => {
  test("the default profile's unit verifies cleanly", (t) => {
    const home = tempDir(t);
    const env = { HOME: home };
    const def = systemdDefinition(env, { entryPath: touch(path.join(home, "lib", "openclaw", "bin", "openclaw.mjs")) });
    assert.equal(def.name, "openclaw-gateway");
    const file = writeUnit(path.join(home, "units"), def);
    assert.equal(path.basename(file), "openclaw-gateway.service");
    assertVerifies(t, file);
  });

  test("the dev profile's unit verifies cleanly", (t) => {
    const home = tempDir(t);
    const env = { HOME: home, OPENCLAW_PROFILE: "dev", OPENCLAW_STATE_DIR: path.join(home, ".openclaw-dev") };
    const def = systemdDefinition(env, { entryPath: touch(path.join(home, "lib", "openclaw", "bin", "openclaw.mjs")) });
    const file = writeUnit(path.join(home, "units"), def);
    assert.equal(path.basename(file), "openclaw-gateway-dev.service");
    assertVerifies(t, file);
  });

  test("the unit with a secrets EnvironmentFile verifies cleanly", (t) => {
    const home = tempDir(t);
    const env = { HOME: home };
    const def = systemdDefinition(env, { entryPath: touch(path.join(home, "bin", "openclaw.mjs")), secrets: { OPENCLAW_GATEWAY_TOKEN: "tok-SECRET-123" } });
    assertVerifies(t, writeUnit(path.join(home, "units"), def));
  });

  test("negative control: an unknown key in [Service] is reported against the file", (t) => {
    const home = tempDir(t);
    const def = systemdDefinition({ HOME: home }, { entryPath: touch(path.join(home, "bin", "openclaw.mjs")) });
    const bogus = renderSystemdUnit(def).replace("[Service]\n", "[Service]\nBogus=1\n");
    assert.notEqual(bogus, renderSystemdUnit(def));
    const v = systemdVerify(t, writeUnit(path.join(home, "units"), def, bogus));
    assert.ok(v.lines.length > 0, `expected a warning naming the unit file, got:\n${v.stderr}`);
    assert.match(v.stderr, /Bogus/);
  });

  test("negative control: a relative ExecStart is reported against the file", (t) => {
    const home = tempDir(t);
    const def = systemdDefinition({ HOME: home });
    const text = renderSystemdUnit(def).replace(/^ExecStart=.*$/m, "ExecStart=relative/path gateway");
    const v = systemdVerify(t, writeUnit(path.join(home, "units"), def, text));
    assert.ok(v.lines.length > 0, `expected an error naming the unit file, got:\n${v.stderr}`);
  });
});

describe("systemd unit: content", () => {
  test("profile dev: name, description, state dir, profile and port", (t) => {
    const home = tempDir(t);
    const stateDir = path.join(home, ".openclaw-dev");
    const env = { HOME: home, OPENCLAW_PROFILE: "dev", OPENCLAW_STATE_DIR: stateDir };
    const def = systemdDefinition(env);
    assert.equal(def.name, "openclaw-gateway-dev");
    assert.equal(def.profile, "dev");
    const text = renderSystemdUnit(def);
    assert.match(lineOf(text, "Description"), /profile: dev/);
    assert.match(lineOf(text, "Description"), /v2026\.11\.0/);
    assert.ok(text.includes(`OPENCLAW_STATE_DIR=${stateDir}`), text);
    assert.ok(text.includes(`OPENCLAW_CONFIG_PATH=${path.join(stateDir, "openclaw.json")}`), text);
    assert.ok(text.split("\n").includes("Environment=OPENCLAW_PROFILE=dev"), text);
    assert.ok(text.split("\n").includes("Environment=OPENCLAW_SYSTEMD_UNIT=openclaw-gateway-dev.service"), text);
    const execStart = lineOf(text, "ExecStart");
    assert.match(execStart, / --port 19789$/);
    assert.ok(execStart.startsWith(`ExecStart=${process.execPath} `), execStart);
    assert.ok(text.includes("\nRestart=always\n"), text);
    assert.ok(text.includes("\nRestartPreventExitStatus=78\n"), text);
    assert.ok(text.includes("\nWantedBy=default.target\n"), text);
    // A port held by another process (75) must not loop forever: systemd gives up like OpenClaw's unit.
    assert.ok(text.includes("\nStartLimitIntervalSec=300\nStartLimitBurst=10\n"), text);
  });

  test("RestartPreventExitStatus lists exactly the codes the detached supervisor never restarts", () => {
    const text = renderSystemdUnit(systemdDefinition({ HOME: "/home/u" }));
    const listed = lineOf(text, "RestartPreventExitStatus").split("=")[1]!.split(" ").map(Number);
    assert.deepEqual(listed, [...NO_RESTART_EXIT_CODES].sort((a, b) => a - b));
    assert.ok(listed.includes(78), "exit 78 (config refused) is never restarted");
  });

  test("the default profile has no OPENCLAW_PROFILE and a plain description", (t) => {
    const home = tempDir(t);
    const def = systemdDefinition({ HOME: home });
    const text = renderSystemdUnit(def);
    assert.equal(def.profile, undefined);
    assert.equal(lineOf(text, "Description"), "Description=OpenClaw Gateway (v2026.11.0)");
    assert.ok(!text.includes("OPENCLAW_PROFILE"), text);
    assert.ok(text.includes(`OPENCLAW_STATE_DIR=${path.join(home, ".openclaw")}`), text);
  });

  test("secrets go to the 0600 env file only, never into the unit", (t) => {
    const home = tempDir(t);
    const env = { HOME: home };
    const secrets = { OPENCLAW_GATEWAY_TOKEN: "tok-SECRET-123" };
    const def = systemdDefinition(env, { secrets });
    const stateDir = path.join(home, ".openclaw");
    assert.deepEqual(def.secretKeys, ["OPENCLAW_GATEWAY_TOKEN"]);
    assert.equal(def.envFile, path.join(stateDir, "gateway.env"));
    // systemd reads the file itself: the gateway is not told where it is.
    assert.equal(def.environment.OPENCLAW_SERVICE_ENV_FILE, undefined);

    const text = renderSystemdUnit(def);
    assert.ok(!text.includes("tok-SECRET-123"), text);
    assert.ok(text.split("\n").includes(`EnvironmentFile=${path.join(stateDir, "gateway.env")}`), text);

    const manager = createServiceManager("systemd", context(home, recordingExec().exec));
    const files = manager.render(def, secrets);
    assert.equal(files.length, 2);
    const [unit, envFile] = files;
    assert.equal(unit!.path, path.join(home, ".config", "systemd", "user", "openclaw-gateway.service"));
    assert.equal(unit!.path, manager.definitionPath(def.name));
    assert.equal(unit!.role, "systemd unit");
    assert.equal(unit!.mode, 0o644);
    assert.equal(unit!.content, text);
    assert.ok(!unit!.content.includes("tok-SECRET-123"));
    assert.equal(envFile!.role, "secrets env file");
    assert.equal(envFile!.path, def.envFile);
    assert.equal(envFile!.mode, 0o600);
    assert.ok(envFile!.content.split("\n").includes("OPENCLAW_GATEWAY_TOKEN=tok-SECRET-123"), envFile!.content);
  });

  test("without secrets there is no EnvironmentFile and render returns the unit only", (t) => {
    const home = tempDir(t);
    const def = systemdDefinition({ HOME: home });
    assert.equal(def.envFile, undefined);
    assert.ok(!renderSystemdUnit(def).includes("EnvironmentFile="));
    const files = createServiceManager("systemd", context(home, recordingExec().exec)).render(def, {});
    assert.deepEqual(files.map((f) => f.role), ["systemd unit"]);
  });
});

describe("systemd unit: round trip and drift", () => {
  test("parseSystemdUnit(renderSystemdUnit(def)) gives back the definition", (t) => {
    const home = tempDir(t);
    const env = { HOME: home, OPENCLAW_PROFILE: "dev", OPENCLAW_STATE_DIR: path.join(home, ".openclaw-dev") };
    const def = systemdDefinition(env, { secrets: { OPENCLAW_GATEWAY_TOKEN: "tok-SECRET-123" } });
    const parsed = parseSystemdUnit(renderSystemdUnit(def));
    assert.deepEqual(parsed.execStart, def.programArguments);
    assert.deepEqual(parsed.environment, def.environment);
    assert.deepEqual(Object.keys(parsed.environment), Object.keys(def.environment));
    assert.equal(parsed.envFile, def.envFile);
    assert.equal(parsed.workingDirectory, def.workingDirectory);
    assert.equal(parsed.description, def.description);
  });

  test("diffDefinitions is empty for a parsed unit, and reports port and runtime changes", (t) => {
    const home = tempDir(t);
    const env = { HOME: home };
    const def = systemdDefinition(env, { secrets: { OPENCLAW_GATEWAY_TOKEN: "tok-SECRET-123" } });
    const installed = installedFromUnit(def, renderSystemdUnit(def));
    assert.deepEqual(diffDefinitions(installed, def), []);

    const newPort = systemdDefinition(env, { port: 19790, secrets: { OPENCLAW_GATEWAY_TOKEN: "tok-SECRET-123" } });
    const portDrift = diffDefinitions(installed, newPort);
    const port = portDrift.find((d) => d.field === "port");
    assert.ok(port, JSON.stringify(portDrift));
    assert.equal(port.installed, "19789");
    assert.equal(port.expected, "19790");
    assert.ok(portDrift.some((d) => d.field === "env:OPENCLAW_GATEWAY_PORT"), JSON.stringify(portDrift));
    assert.ok(!portDrift.some((d) => d.field === "runtime"), JSON.stringify(portDrift));

    const otherRuntime = path.join(home, "node-22", "bin", "node");
    const newRuntime = systemdDefinition(env, { runtimePath: otherRuntime, secrets: { OPENCLAW_GATEWAY_TOKEN: "tok-SECRET-123" } });
    const runtimeDrift = diffDefinitions(installed, newRuntime);
    const runtime = runtimeDrift.find((d) => d.field === "runtime");
    assert.ok(runtime, JSON.stringify(runtimeDrift));
    assert.equal(runtime.installed, process.execPath);
    assert.equal(runtime.expected, otherRuntime);
    assert.ok(!runtimeDrift.some((d) => d.field === "port"), JSON.stringify(runtimeDrift));
    // The runtime's directory leads PATH, so PATH drifts with it.
    assert.ok(runtimeDrift.some((d) => d.field === "env:PATH"), JSON.stringify(runtimeDrift));
  });

  test("the manager's readInstalled reads a written unit and env file back without drift", (t) => {
    const home = tempDir(t);
    const env = { HOME: home };
    const secrets = { OPENCLAW_GATEWAY_TOKEN: "tok-SECRET-123" };
    const def = systemdDefinition(env, { secrets });
    const manager = createServiceManager("systemd", context(home, recordingExec().exec));
    assert.equal(manager.readInstalled(def.name), undefined);
    for (const f of manager.render(def, secrets)) {
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      fs.writeFileSync(f.path, f.content, { mode: f.mode });
    }
    const installed = manager.readInstalled(def.name);
    assert.ok(installed);
    assert.equal(installed.definitionPath, manager.definitionPath(def.name));
    assert.deepEqual(installed.programArguments, def.programArguments);
    assert.deepEqual(installed.environment, def.environment);
    assert.equal(installed.envFile, def.envFile);
    assert.deepEqual(installed.envFileKeys, ["OPENCLAW_GATEWAY_TOKEN"]);
    assert.deepEqual(diffDefinitions(installed, def), []);
    assert.deepEqual(manager.list().map((s) => s.name), ["openclaw-gateway"]);
  });
});

describe("systemd unit: escaping", () => {
  test("a space and a % in HOME and in the entry path round-trip exactly and still verify", (t) => {
    const root = tempDir(t);
    const home = path.join(root, "ali ce 100%x");
    fs.mkdirSync(home);
    const entryPath = touch(path.join(home, "open claw %h", "bin", "openclaw.mjs"));
    const env = { HOME: home };
    const def = systemdDefinition(env, { entryPath, secrets: { OPENCLAW_GATEWAY_TOKEN: "tok-SECRET-123" } });
    assert.equal(def.workingDirectory, home);
    assert.equal(def.programArguments[1], entryPath);
    const text = renderSystemdUnit(def);
    // Every % is doubled (a lone % would be a specifier: %x is invalid, %h would be expanded).
    assert.ok(!/%/.test(text.replace(/%%/g, "")), text);
    assert.ok(text.includes("100%%x"), text);
    assert.ok(text.includes("%%h"), text);

    const parsed = parseSystemdUnit(text);
    assert.deepEqual(parsed.execStart, def.programArguments);
    assert.equal(parsed.execStart[1], entryPath);
    assert.equal(parsed.workingDirectory, home);
    assert.deepEqual(parsed.environment, def.environment);
    assert.equal(parsed.environment.HOME, home);
    assert.equal(parsed.environment.OPENCLAW_STATE_DIR, path.join(home, ".openclaw"));
    assert.equal(parsed.envFile, path.join(home, ".openclaw", "gateway.env"));
    assert.deepEqual(diffDefinitions(installedFromUnit(def, text), def), []);

    assertVerifies(t, writeUnit(path.join(root, "units"), def, text));
  });

  test("negative control: an unescaped % makes verify fail", (t) => {
    const root = tempDir(t);
    const home = path.join(root, "ali ce 100%x");
    fs.mkdirSync(home);
    const def = systemdDefinition({ HOME: home }, { entryPath: touch(path.join(home, "bin", "openclaw.mjs")) });
    const broken = renderSystemdUnit(def).replace(/%%/g, "%");
    const v = systemdVerify(t, writeUnit(path.join(root, "units"), def, broken));
    assert.ok(v.code !== 0 || v.lines.length > 0, `expected verify to reject a lone %:\n${v.stderr}`);
  });
});

describe("systemd manager: runtime", () => {
  const RUNNING = "ActiveState=active\nSubState=running\nMainPID=4242\nExecMainStatus=0\nNRestarts=3\nUnitFileState=enabled\nLoadState=loaded\nResult=success\n";

  test("parseSystemctlShow reads Key=value lines (values may contain =)", () => {
    const s = parseSystemctlShow(`${RUNNING}Environment=A=1 B=2\r\nnot a pair\n`);
    assert.equal(s.ActiveState, "active");
    assert.equal(s.SubState, "running");
    assert.equal(s.MainPID, "4242");
    assert.equal(s.NRestarts, "3");
    assert.equal(s.UnitFileState, "enabled");
    assert.equal(s.Environment, "A=1 B=2");
    assert.equal(Object.keys(s).length, 9);
  });

  test("active/running: status running, pid, restarts, loaded", (t) => {
    const home = tempDir(t);
    const { exec, calls } = recordingExec(() => ({ stdout: RUNNING }));
    const rt = createServiceManager("systemd", context(home, exec)).runtime("openclaw-gateway");
    assert.equal(rt.status, "running");
    assert.equal(rt.pid, 4242);
    assert.equal(rt.restarts, 3);
    assert.equal(rt.lastExitStatus, 0);
    assert.equal(rt.loaded, true);
    assert.equal(rt.detail, undefined);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.command, "systemctl");
    assert.deepEqual(calls[0]!.args.slice(0, 3), ["--user", "show", "openclaw-gateway.service"]);
  });

  test("ActiveState=failed: status failed with the result as detail", (t) => {
    const home = tempDir(t);
    const { exec } = recordingExec(() => ({ stdout: "ActiveState=failed\nSubState=failed\nMainPID=0\nExecMainStatus=78\nNRestarts=0\nUnitFileState=enabled\nLoadState=loaded\nResult=exit-code\n" }));
    const rt = createServiceManager("systemd", context(home, exec)).runtime("openclaw-gateway");
    assert.equal(rt.status, "failed");
    assert.equal(rt.pid, undefined);
    assert.equal(rt.lastExitStatus, 78);
    assert.match(rt.detail ?? "", /^result: exit-code, gateway exited with code 78 \(the config is invalid\); not restarted \(RestartPreventExitStatus\)\. Fix: .*config validate/);
  });

  test("start-limit-hit on a port in use says systemd gave up and how to free the port", (t) => {
    const home = tempDir(t);
    const { exec } = recordingExec(() => ({ stdout: "ActiveState=failed\nSubState=failed\nMainPID=0\nExecMainStatus=75\nNRestarts=9\nUnitFileState=enabled\nLoadState=loaded\nResult=start-limit-hit\n" }));
    const rt = createServiceManager("systemd", context(home, exec)).runtime("openclaw-gateway");
    assert.equal(rt.status, "failed");
    assert.match(rt.detail ?? "", /code 75 \(the port is in use\); systemd gave up after repeated restarts\. Fix: free the port/);
  });

  test("activating/auto-restart: status restarting", (t) => {
    const home = tempDir(t);
    const { exec } = recordingExec(() => ({ stdout: "ActiveState=activating\nSubState=auto-restart\nMainPID=0\nExecMainStatus=1\nNRestarts=7\nUnitFileState=enabled\nLoadState=loaded\nResult=exit-code\n" }));
    const rt = createServiceManager("systemd", context(home, exec)).runtime("openclaw-gateway");
    assert.equal(rt.status, "restarting");
    assert.equal(rt.restarts, 7);
  });

  test("inactive and disabled: stopped and not loaded; a failing systemctl: unknown", (t) => {
    const home = tempDir(t);
    const { exec } = recordingExec(() => ({ stdout: "ActiveState=inactive\nSubState=dead\nMainPID=0\nUnitFileState=disabled\nLoadState=loaded\nResult=success\n" }));
    const rt = createServiceManager("systemd", context(home, exec)).runtime("openclaw-gateway");
    assert.equal(rt.status, "stopped");
    assert.equal(rt.loaded, false);

    const failing = recordingExec(() => ({ code: 1, stderr: "Failed to connect to bus: No medium found" }));
    const unknown = createServiceManager("systemd", context(home, failing.exec)).runtime("openclaw-gateway");
    assert.equal(unknown.status, "unknown");
    assert.equal(unknown.loaded, false);
    assert.match(unknown.detail ?? "", /Failed to connect to bus/);
  });
});

describe("systemd manager: commands", () => {
  test("activate runs daemon-reload, enable, restart in that order", async (t) => {
    const home = tempDir(t);
    const { exec, calls } = recordingExec();
    const def = systemdDefinition({ HOME: home });
    await createServiceManager("systemd", context(home, exec)).activate(def);
    assert.deepEqual(flat(calls), ["systemctl --user daemon-reload", "systemctl --user enable openclaw-gateway.service", "systemctl --user restart openclaw-gateway.service"]);
  });

  test("activate stops at the first failing step and says which", async (t) => {
    const home = tempDir(t);
    const { exec, calls } = recordingExec((_c, args) => (args.includes("enable") ? { code: 1, stderr: "Unit file is masked." } : {}));
    const def = systemdDefinition({ HOME: home });
    await assert.rejects(createServiceManager("systemd", context(home, exec)).activate(def), /enable openclaw-gateway\.service: Unit file is masked/);
    assert.deepEqual(flat(calls), ["systemctl --user daemon-reload", "systemctl --user enable openclaw-gateway.service"]);
  });

  test("start, stop and restart address <name>.service", async (t) => {
    const home = tempDir(t);
    const { exec, calls } = recordingExec();
    const manager = createServiceManager("systemd", context(home, exec));
    await manager.start("openclaw-gateway-dev");
    await manager.stop("openclaw-gateway-dev");
    await manager.restart("openclaw-gateway-dev");
    assert.deepEqual(flat(calls), ["systemctl --user start openclaw-gateway-dev.service", "systemctl --user stop openclaw-gateway-dev.service", "systemctl --user restart openclaw-gateway-dev.service"]);
  });

  test("preflight without a user bus: not ok, and the fix is loginctl enable-linger", (t) => {
    const home = tempDir(t);
    const { exec, calls } = recordingExec(() => ({ code: 1, stderr: "Failed to connect to bus: No medium found\n" }));
    const pre = createServiceManager("systemd", context(home, exec)).preflight();
    assert.equal(pre.ok, false);
    assert.equal(pre.problems.length, 1);
    assert.match(pre.problems[0]!.message, /Failed to connect to bus: No medium found/);
    assert.match(pre.problems[0]!.fix, /loginctl enable-linger alice/);
    assert.deepEqual(flat(calls), ["systemctl --user show-environment"]);

    const withRuntimeDir = createServiceManager("systemd", context(home, exec, { HOME: home, XDG_RUNTIME_DIR: "/run/user/1000" })).preflight();
    assert.equal(withRuntimeDir.ok, false);
    assert.match(withRuntimeDir.problems[0]!.fix, /loginctl enable-linger/);
  });

  test("preflight with a user bus but lingering off: ok, with a lingering warning", (t) => {
    const home = tempDir(t);
    const { exec, calls } = recordingExec((command) => (command === "loginctl" ? { stdout: "Linger=no\n" } : {}));
    const pre = createServiceManager("systemd", context(home, exec)).preflight();
    assert.equal(pre.ok, true);
    assert.equal(pre.problems.length, 1);
    assert.match(pre.problems[0]!.fix, /loginctl enable-linger alice/);
    assert.deepEqual(flat(calls), ["systemctl --user show-environment", "loginctl show-user alice --property=Linger"]);
  });
});
