import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, type TestContext, test } from "node:test";
import { recordingExec } from "../../test/helpers/exec.js";
import type { Env } from "../infra/index.js";
import { AppError } from "../shared/index.js";
import {
  type Exec,
  maskSecretAssignments,
  parseLaunchctlPrint,
  parseNetstatListeners,
  parseSchtasksQuery,
  resolveServiceManager,
  resolveServiceNames,
  type ServiceContext,
  serviceDescription,
} from "./index.js";

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-parsers-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function context(home: string, platform: NodeJS.Platform, exec: Exec, env: Env = {}): ServiceContext {
  return { env: { HOME: home, ...env }, home, platform, uid: 501, user: "alice", exec };
}

describe("parseLaunchctlPrint", () => {
  const RUNNING = [
    "gui/501/bot.molt.openclaw = {",
    "\tactive count = 1",
    "\tpath = /Users/alice/Library/LaunchAgents/bot.molt.openclaw.plist",
    "\ttype = LaunchAgent",
    "\tstate = running",
    "",
    "\tprogram = /opt/homebrew/bin/node",
    "\targuments = {",
    "\t\t/opt/homebrew/bin/node",
    "\t\t/opt/homebrew/lib/node_modules/openclaw/bin/openclaw.mjs",
    "\t\tgateway",
    "\t}",
    "",
    "\tstdout path = /Users/alice/.openclaw/logs/gateway.log",
    "\truns = 3",
    "\tpid = 812",
    "\timmediate reason = speculative",
    "\tforks = 0",
    "\texecs = 1",
    "\tlast exit code = 0",
    "}",
    "",
  ].join("\n");

  test("state = running: running with pid, exit code and restarts (runs - 1)", () => {
    const rt = parseLaunchctlPrint(RUNNING);
    assert.equal(rt.status, "running");
    assert.equal(rt.loaded, true);
    assert.equal(rt.pid, 812);
    assert.equal(rt.lastExitStatus, 0);
    assert.equal(rt.restarts, 2);
  });

  test("state = waiting: stopped, with the exit code of the last run", () => {
    const text = RUNNING.replace("state = running", "state = waiting").replace(/\tpid = 812\n/, "").replace("last exit code = 0", "last exit code = 78: EX_CONFIG");
    const rt = parseLaunchctlPrint(text);
    assert.equal(rt.status, "stopped");
    assert.equal(rt.pid, undefined);
    assert.equal(rt.lastExitStatus, 78);
  });

  test("not running, spawn scheduled, never exited, garbage", () => {
    assert.equal(parseLaunchctlPrint("\tstate = not running\n").status, "stopped");
    assert.equal(parseLaunchctlPrint("\tstate = spawn scheduled\n").status, "restarting");
    const never = parseLaunchctlPrint("\tstate = running\n\tpid = 9\n\truns = 1\n\tlast exit code = (never exited)\n");
    assert.equal(never.lastExitStatus, undefined);
    assert.equal(never.restarts, undefined);
    assert.equal(parseLaunchctlPrint("Could not find service").status, "unknown");
  });
});

describe("parseSchtasksQuery", () => {
  const query = (status: string, lastResult: string) =>
    [
      "",
      "Folder: \\",
      "HostName:                             DESKTOP-ALICE",
      "TaskName:                             \\OpenClaw Gateway",
      "Next Run Time:                        N/A",
      `Status:                               ${status}`,
      "Logon Mode:                           Interactive only",
      "Last Run Time:                        11/3/2026 9:14:02 AM",
      `Last Result:                          ${lastResult}`,
      "Author:                               DESKTOP-ALICE\\alice",
      "Task To Run:                          C:\\Users\\alice\\.openclaw\\gateway.cmd",
      "Start In:                             C:\\Users\\alice",
      "Scheduled Task State:                 Enabled",
      "Schedule Type:                        At logon time",
      "",
    ].join("\r\n");

  test("Status: Running is running", () => {
    const rt = parseSchtasksQuery(query("Running", "267009"));
    assert.equal(rt.status, "running");
    assert.equal(rt.loaded, true);
    assert.equal(rt.lastExitStatus, undefined);
  });

  test("Status: Ready with Last Result 1 is stopped with exit status 1", () => {
    const rt = parseSchtasksQuery(query("Ready", "1"));
    assert.equal(rt.status, "stopped");
    assert.equal(rt.loaded, true);
    assert.equal(rt.lastExitStatus, 1);
  });

  test("Last Result 0x41301 / 267009 (task is running) is running whatever the status text says", () => {
    assert.equal(parseSchtasksQuery(query("Wird ausgeführt", "0x41301")).status, "running");
    assert.equal(parseSchtasksQuery(query("En cours d'exécution", "267009")).status, "running");
    assert.equal(parseSchtasksQuery(query("Ready", "0x41301")).lastExitStatus, undefined);
  });

  test("Disabled is stopped and not loaded", () => {
    const rt = parseSchtasksQuery(query("Disabled", "0"));
    assert.equal(rt.status, "stopped");
    assert.equal(rt.loaded, false);
    assert.equal(rt.lastExitStatus, 0);
    assert.equal(rt.detail, "the task is disabled");
  });

  test("garbage is unknown", () => {
    assert.equal(parseSchtasksQuery("ERROR: Access is denied.\r\n").status, "unknown");
    assert.equal(parseSchtasksQuery("").status, "unknown");
  });
});

describe("parseNetstatListeners", () => {
  const NETSTAT = [
    "",
    "Active Connections",
    "",
    "  Proto  Local Address          Foreign Address        State           PID",
    "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1044",
    "  TCP    127.0.0.1:18789        0.0.0.0:0              LISTENING       4321",
    "  TCP    127.0.0.1:19001        0.0.0.0:0              LISTENING       5555",
    "  TCP    127.0.0.1:18789        127.0.0.1:50123        ESTABLISHED     4321",
    "  TCP    127.0.0.1:50123        127.0.0.1:18789        ESTABLISHED     7777",
    "  TCP    [::1]:18789            [::]:0                 LISTENING       4321",
    "  UDP    0.0.0.0:18789          *:*                                    9999",
    "",
  ].join("\r\n");

  test("PIDs listening on a port, once each", () => {
    assert.deepEqual(parseNetstatListeners(NETSTAT, 18789), [4321]);
    assert.deepEqual(parseNetstatListeners(NETSTAT, 19001), [5555]);
  });

  test("established connections, prefixes of the port and empty input list nothing", () => {
    assert.deepEqual(parseNetstatListeners(NETSTAT, 50123), []);
    assert.deepEqual(parseNetstatListeners(NETSTAT, 1878), []);
    assert.deepEqual(parseNetstatListeners("", 18789), []);
  });
});

describe("resolveServiceNames", () => {
  test("default profile", () => {
    assert.deepEqual(resolveServiceNames({}), { profile: undefined, systemdUnit: "openclaw-gateway", launchdLabel: "bot.molt.openclaw", taskName: "OpenClaw Gateway" });
  });

  test("profile dev", () => {
    assert.deepEqual(resolveServiceNames({ OPENCLAW_PROFILE: "dev" }), { profile: "dev", systemdUnit: "openclaw-gateway-dev", launchdLabel: "bot.molt.dev", taskName: "OpenClaw Gateway (dev)" });
  });

  test("profile default (any case) and blank mean no profile", () => {
    for (const p of ["default", "Default", " default ", "", "  "]) {
      const names = resolveServiceNames({ OPENCLAW_PROFILE: p });
      assert.equal(names.profile, undefined, JSON.stringify(p));
      assert.equal(names.systemdUnit, "openclaw-gateway");
      assert.equal(names.launchdLabel, "bot.molt.openclaw");
      assert.equal(names.taskName, "OpenClaw Gateway");
    }
  });

  test("OPENCLAW_SYSTEMD_UNIT overrides the unit (without .service)", () => {
    assert.equal(resolveServiceNames({ OPENCLAW_SYSTEMD_UNIT: "custom.service" }).systemdUnit, "custom");
    assert.equal(resolveServiceNames({ OPENCLAW_SYSTEMD_UNIT: "custom" }).systemdUnit, "custom");
    const withProfile = resolveServiceNames({ OPENCLAW_SYSTEMD_UNIT: "custom.service", OPENCLAW_PROFILE: "dev" });
    assert.equal(withProfile.systemdUnit, "custom");
    assert.equal(withProfile.launchdLabel, "bot.molt.dev");
  });

  test("OPENCLAW_LAUNCHD_LABEL and OPENCLAW_WINDOWS_TASK_NAME override their names only", () => {
    const names = resolveServiceNames({ OPENCLAW_LAUNCHD_LABEL: "com.example.gw", OPENCLAW_WINDOWS_TASK_NAME: "My Gateway", OPENCLAW_PROFILE: "work" });
    assert.equal(names.launchdLabel, "com.example.gw");
    assert.equal(names.taskName, "My Gateway");
    assert.equal(names.systemdUnit, "openclaw-gateway-work");
    assert.equal(names.profile, "work");
  });

  test("blank overrides fall back to the defaults", () => {
    const names = resolveServiceNames({ OPENCLAW_SYSTEMD_UNIT: " ", OPENCLAW_LAUNCHD_LABEL: "", OPENCLAW_WINDOWS_TASK_NAME: "  " });
    assert.equal(names.systemdUnit, "openclaw-gateway");
    assert.equal(names.launchdLabel, "bot.molt.openclaw");
    assert.equal(names.taskName, "OpenClaw Gateway");
  });
});

test("serviceDescription", () => {
  assert.equal(serviceDescription(undefined, undefined), "OpenClaw Gateway");
  assert.equal(serviceDescription(undefined, "2026.11.0"), "OpenClaw Gateway (v2026.11.0)");
  assert.equal(serviceDescription("dev", undefined), "OpenClaw Gateway (profile: dev)");
  assert.equal(serviceDescription("dev", "2026.11.0"), "OpenClaw Gateway (profile: dev, v2026.11.0)");
});

describe("maskSecretAssignments", () => {
  test("an inlined token in an old systemd unit is masked", () => {
    const unit = [
      "[Service]",
      "ExecStart=/usr/bin/node /opt/openclaw/bin/openclaw.mjs gateway --port 18789",
      "Environment=HOME=/home/alice",
      "Environment=OPENCLAW_GATEWAY_TOKEN=abc123",
      'Environment="OPENCLAW_GATEWAY_PASSWORD=pw-456"',
      "Environment=BRAVE_API_KEY=brave-789",
      "",
    ].join("\n");
    const masked = maskSecretAssignments(unit);
    for (const secret of ["abc123", "pw-456", "brave-789"]) assert.ok(!masked.includes(secret), masked);
    assert.ok(masked.includes("Environment=OPENCLAW_GATEWAY_TOKEN=***"), masked);
    assert.ok(masked.includes("Environment=HOME=/home/alice"), masked);
    assert.ok(masked.includes("--port 18789"), masked);
  });

  test("a quoted secret containing spaces is masked entirely", () => {
    // renderSystemdUnit's envAssignment quotes values with spaces like this, so old units look this way.
    const masked = maskSecretAssignments('Environment="OPENCLAW_GATEWAY_PASSWORD=correct horse battery"\nEnvironment=HOME=/home/alice\n');
    assert.ok(masked.includes("OPENCLAW_GATEWAY_PASSWORD=***"), masked);
    assert.ok(!masked.includes("horse battery"), masked);
  });

  test("an inlined token in an old plist is masked", () => {
    const plist = [
      "<dict>",
      "  <key>EnvironmentVariables</key>",
      "  <dict>",
      "    <key>HOME</key>",
      "    <string>/Users/alice</string>",
      "    <key>OPENCLAW_GATEWAY_TOKEN</key>",
      "    <string>abc123</string>",
      "  </dict>",
      "</dict>",
    ].join("\n");
    const masked = maskSecretAssignments(plist);
    assert.ok(!masked.includes("abc123"), masked);
    assert.ok(masked.includes("<key>OPENCLAW_GATEWAY_TOKEN</key>\n    <string>***</string>"), masked);
    assert.ok(masked.includes("<string>/Users/alice</string>"), masked);
  });

  test("a gateway.cmd set line is masked", () => {
    const masked = maskSecretAssignments('set "OPENCLAW_GATEWAY_TOKEN=abc123"\r\nset "HOME=C:\\Users\\alice"\r\n');
    assert.ok(!masked.includes("abc123"), masked);
    assert.ok(masked.includes('set "HOME=C:\\Users\\alice"'), masked);
  });
});

describe("resolveServiceManager", () => {
  test("OPENCLAW_SERVICE_MANAGER=supervisor forces the supervisor without probing", (t) => {
    const { exec, calls } = recordingExec();
    const resolved = resolveServiceManager(context(tempDir(t), "linux", exec, { OPENCLAW_SERVICE_MANAGER: "supervisor" }));
    assert.equal(resolved.manager.kind, "supervisor");
    assert.equal(resolved.fallback, undefined);
    assert.deepEqual(calls, []);
  });

  test("OPENCLAW_SERVICE_MANAGER can force any kind on any platform", (t) => {
    const home = tempDir(t);
    for (const kind of ["systemd", "launchd", "schtasks"] as const) {
      const resolved = resolveServiceManager(context(home, "linux", recordingExec().exec, { OPENCLAW_SERVICE_MANAGER: ` ${kind} ` }));
      assert.equal(resolved.manager.kind, kind);
    }
  });

  test("an invalid OPENCLAW_SERVICE_MANAGER throws a USAGE AppError", (t) => {
    const ctx = context(tempDir(t), "linux", recordingExec().exec, { OPENCLAW_SERVICE_MANAGER: "upstart" });
    assert.throws(
      () => resolveServiceManager(ctx),
      (error: unknown) => {
        assert.ok(error instanceof AppError, String(error));
        assert.equal(error.code, "USAGE");
        assert.match(error.message, /upstart/);
        assert.match(error.hint ?? "", /systemd, launchd, schtasks, supervisor/);
        return true;
      },
    );
  });

  test("linux without a user bus falls back to the supervisor, from systemd", (t) => {
    const { exec, calls } = recordingExec((command, args) => (command === "systemctl" && args.join(" ") === "--user show-environment" ? { code: 1, stderr: "Failed to connect to bus: No medium found" } : {}));
    const resolved = resolveServiceManager(context(tempDir(t), "linux", exec));
    assert.equal(resolved.manager.kind, "supervisor");
    assert.ok(resolved.fallback);
    assert.equal(resolved.fallback.from, "systemd");
    assert.equal(resolved.fallback.problems.length, 1);
    assert.match(resolved.fallback.problems[0]!.fix, /loginctl enable-linger/);
    assert.deepEqual(calls[0], { command: "systemctl", args: ["--user", "show-environment"] });
  });

  test("linux with a user bus picks systemd", (t) => {
    const resolved = resolveServiceManager(context(tempDir(t), "linux", recordingExec().exec));
    assert.equal(resolved.manager.kind, "systemd");
    assert.equal(resolved.fallback, undefined);
  });

  test("darwin picks launchd when `launchctl print gui/<uid>` succeeds", (t) => {
    const { exec, calls } = recordingExec();
    const resolved = resolveServiceManager(context(tempDir(t), "darwin", exec));
    assert.equal(resolved.manager.kind, "launchd");
    assert.equal(resolved.fallback, undefined);
    assert.deepEqual(calls, [{ command: "launchctl", args: ["print", "gui/501"] }]);
  });

  test("darwin without a GUI domain falls back to the supervisor, from launchd", (t) => {
    const { exec } = recordingExec((command) => (command === "launchctl" ? { code: 113, stderr: "Could not find domain for user gui: 501" } : {}));
    const resolved = resolveServiceManager(context(tempDir(t), "darwin", exec));
    assert.equal(resolved.manager.kind, "supervisor");
    assert.equal(resolved.fallback?.from, "launchd");
  });

  test("win32 picks the Task Scheduler when schtasks answers", (t) => {
    const { exec, calls } = recordingExec();
    const resolved = resolveServiceManager(context(tempDir(t), "win32", exec));
    assert.equal(resolved.manager.kind, "schtasks");
    assert.equal(calls[0]?.command, "schtasks");
  });
});
