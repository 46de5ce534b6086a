/**
 * Golden files for the launchd plist, the Task Scheduler XML and gateway.cmd, for the default
 * profile and the profile `work`. Regenerate with `UPDATE_GOLDEN=1 node scripts/run-tests.mjs
 * src/service/golden`, then review the diff of test/fixtures/service/ before committing.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, type TestContext, test } from "node:test";
import { applyProfile, type Env, resolvePaths } from "../infra/index.js";
import {
  buildServiceDefinition,
  createServiceManager,
  diffDefinitions,
  type Exec,
  parseGatewayCmd,
  parsePlist,
  renderGatewayCmd,
  renderLaunchdPlist,
  renderTaskXml,
  type ServiceDefinition,
} from "./index.js";

const FIXTURES = path.resolve(import.meta.dirname, "../../test/fixtures/service");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

const VERSION = "2026.11.0";
const MAC_HOME = "/Users/alice";
const MAC_RUNTIME = "/opt/homebrew/bin/node";
const MAC_ENTRY = "/opt/homebrew/lib/node_modules/openclaw/bin/openclaw.mjs";
const WIN_USER = "DESKTOP-ALICE\\alice";

/** Compares `actual` with the fixture byte for byte (or writes it with UPDATE_GOLDEN=1). */
function assertGolden(name: string, actual: string): void {
  const file = path.join(FIXTURES, name);
  const bytes = Buffer.from(actual, "utf8");
  if (UPDATE) {
    fs.mkdirSync(FIXTURES, { recursive: true });
    fs.writeFileSync(file, bytes);
  }
  let expected: Buffer;
  try {
    expected = fs.readFileSync(file);
  } catch {
    assert.fail(`golden file ${file} is missing: run UPDATE_GOLDEN=1 node scripts/run-tests.mjs src/service/golden and review it`);
  }
  // String comparison first for a readable diff, then the bytes (line endings, encoding).
  assert.equal(actual, expected.toString("utf8"), `${name} differs from the golden file (UPDATE_GOLDEN=1 regenerates it; review the diff)`);
  assert.ok(bytes.equals(expected), `${name}: bytes differ from the golden file`);
}

const noExec: Exec = (command) => {
  throw new Error(`unexpected exec of ${command}`);
};

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-golden-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function launchdDefinition(env: Env, o: { port: number; secrets?: Record<string, string>; runtimePath?: string; entryPath?: string }): ServiceDefinition {
  return buildServiceDefinition({
    kind: "launchd",
    env,
    paths: resolvePaths(env),
    port: o.port,
    runtimePath: o.runtimePath ?? MAC_RUNTIME,
    entryPath: o.entryPath ?? MAC_ENTRY,
    version: VERSION,
    platform: "darwin",
    secrets: o.secrets ?? {},
  });
}

/** The macOS default profile: `openclaw gateway install` as alice. */
const macDefault = () => launchdDefinition({ HOME: MAC_HOME }, { port: 18789 });
/** The macOS profile `work` (as `--profile work` sets it up), with a token that must stay out of the plist. */
const macWork = () => launchdDefinition(applyProfile({ profile: "work" }, { HOME: MAC_HOME }).env, { port: 19789, secrets: { OPENCLAW_GATEWAY_TOKEN: "tok-work-SECRET" } });

const WIN_DEFAULT: ServiceDefinition = {
  kind: "schtasks",
  name: "OpenClaw Gateway",
  description: "OpenClaw Gateway (v2026.11.0)",
  programArguments: ["C:\\Program Files\\nodejs\\node.exe", "C:\\Users\\alice\\AppData\\Roaming\\npm\\node_modules\\openclaw\\bin\\openclaw.mjs", "gateway", "--port", "18789"],
  workingDirectory: "C:\\Users\\alice",
  environment: {
    HOME: "C:\\Users\\alice",
    OPENCLAW_STATE_DIR: "C:\\Users\\alice\\.openclaw",
    OPENCLAW_CONFIG_PATH: "C:\\Users\\alice\\.openclaw\\openclaw.json",
    OPENCLAW_GATEWAY_PORT: "18789",
    OPENCLAW_WINDOWS_TASK_NAME: "OpenClaw Gateway",
    OPENCLAW_SERVICE_MARKER: "openclaw",
    OPENCLAW_SERVICE_KIND: "gateway",
    OPENCLAW_SERVICE_VERSION: "2026.11.0",
  },
  secretKeys: [],
  stdoutPath: "C:\\Users\\alice\\.openclaw\\logs\\gateway.log",
  stderrPath: "C:\\Users\\alice\\.openclaw\\logs\\gateway.err.log",
  port: 18789,
  stateDir: "C:\\Users\\alice\\.openclaw",
  configPath: "C:\\Users\\alice\\.openclaw\\openclaw.json",
  version: "2026.11.0",
};

const WIN_WORK: ServiceDefinition = {
  kind: "schtasks",
  name: "OpenClaw Gateway (work)",
  description: "OpenClaw Gateway (profile: work, v2026.11.0)",
  programArguments: ["C:\\Program Files\\nodejs\\node.exe", "C:\\Users\\alice\\AppData\\Roaming\\npm\\node_modules\\openclaw\\bin\\openclaw.mjs", "gateway", "--port", "19789"],
  workingDirectory: "C:\\Users\\alice",
  environment: {
    HOME: "C:\\Users\\alice",
    OPENCLAW_PROFILE: "work",
    OPENCLAW_STATE_DIR: "C:\\Users\\alice\\.openclaw-work",
    OPENCLAW_CONFIG_PATH: "C:\\Users\\alice\\.openclaw-work\\openclaw.json",
    OPENCLAW_GATEWAY_PORT: "19789",
    OPENCLAW_WINDOWS_TASK_NAME: "OpenClaw Gateway (work)",
    OPENCLAW_SERVICE_MARKER: "openclaw",
    OPENCLAW_SERVICE_KIND: "gateway",
    OPENCLAW_SERVICE_VERSION: "2026.11.0",
    OPENCLAW_SERVICE_ENV_FILE: "C:\\Users\\alice\\.openclaw-work\\gateway.env",
  },
  envFile: "C:\\Users\\alice\\.openclaw-work\\gateway.env",
  secretKeys: ["OPENCLAW_GATEWAY_TOKEN"],
  stdoutPath: "C:\\Users\\alice\\.openclaw-work\\logs\\gateway.log",
  stderrPath: "C:\\Users\\alice\\.openclaw-work\\logs\\gateway.err.log",
  port: 19789,
  profile: "work",
  stateDir: "C:\\Users\\alice\\.openclaw-work",
  configPath: "C:\\Users\\alice\\.openclaw-work\\openclaw.json",
  version: "2026.11.0",
};

const scriptPath = (def: ServiceDefinition) => path.win32.join(def.stateDir, "gateway.cmd");
const taskXml = (def: ServiceDefinition) => renderTaskXml(def, { userId: WIN_USER, scriptPath: scriptPath(def) });

type Dict = Record<string, unknown>;
const asDict = (v: unknown): Dict => {
  assert.ok(v !== null && typeof v === "object" && !Array.isArray(v), `expected a dict, got ${JSON.stringify(v)}`);
  return v as Dict;
};

/** Every line ends in CRLF (and there is no bare LF or CR). */
function assertCrlf(text: string): void {
  assert.ok(text.endsWith("\r\n"), "does not end with CRLF");
  assert.equal(text.replace(/\r\n/g, "").search(/[\r\n]/), -1, "has a bare LF or CR");
}

describe("golden: launchd plist", () => {
  const cases = [
    { name: "default", file: "launchd-default.plist", def: macDefault, label: "bot.molt.openclaw", state: "/Users/alice/.openclaw", port: "18789" },
    { name: "work", file: "launchd-work.plist", def: macWork, label: "bot.molt.work", state: "/Users/alice/.openclaw-work", port: "19789" },
  ];
  for (const c of cases) {
    test(`profile ${c.name}: matches ${c.file}`, () => {
      const def = c.def();
      assert.equal(def.name, c.label);
      const text = renderLaunchdPlist(def);
      assertGolden(c.file, text);

      const root = asDict(parsePlist(text));
      assert.equal(root.Label, c.label);
      assert.equal(root.RunAtLoad, true);
      assert.equal(root.KeepAlive, true);
      assert.equal(root.ThrottleInterval, 5);
      assert.equal(root.StandardOutPath, `${c.state}/logs/gateway.log`);
      assert.equal(root.StandardErrorPath, `${c.state}/logs/gateway.err.log`);
      assert.equal(root.WorkingDirectory, MAC_HOME);
      assert.deepEqual(root.ProgramArguments, [MAC_RUNTIME, MAC_ENTRY, "gateway", "--port", c.port]);
      const env = asDict(root.EnvironmentVariables);
      assert.equal(env.HOME, MAC_HOME);
      assert.equal(env.PATH, "/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin");
      assert.equal(env.OPENCLAW_STATE_DIR, c.state);
      assert.equal(env.OPENCLAW_CONFIG_PATH, `${c.state}/openclaw.json`);
      assert.equal(env.OPENCLAW_GATEWAY_PORT, c.port);
      assert.equal(env.OPENCLAW_LAUNCHD_LABEL, c.label);
      for (const key of Object.keys(env)) assert.doesNotMatch(key, /TOKEN|PASSWORD|SECRET/, `secret-looking key ${key} in the plist`);
      assert.ok(!text.includes("tok-work-SECRET"));
    });
  }

  test("the work plist points the gateway at the env file; the default one has none", () => {
    const work = asDict(asDict(parsePlist(renderLaunchdPlist(macWork()))).EnvironmentVariables);
    assert.equal(work.OPENCLAW_PROFILE, "work");
    assert.equal(work.OPENCLAW_SERVICE_ENV_FILE, "/Users/alice/.openclaw-work/gateway.env");
    const def = asDict(asDict(parsePlist(renderLaunchdPlist(macDefault()))).EnvironmentVariables);
    assert.equal(def.OPENCLAW_PROFILE, undefined);
    assert.equal(def.OPENCLAW_SERVICE_ENV_FILE, undefined);
  });
});

describe("golden: Task Scheduler XML", () => {
  const cases = [
    { name: "default", file: "task-default.xml", def: WIN_DEFAULT, state: "C:\\Users\\alice\\.openclaw" },
    { name: "work", file: "task-work.xml", def: WIN_WORK, state: "C:\\Users\\alice\\.openclaw-work" },
  ];
  for (const c of cases) {
    test(`profile ${c.name}: matches ${c.file}`, () => {
      const text = taskXml(c.def);
      assertGolden(c.file, text);
      assertCrlf(text);
      assert.match(text, /<LogonTrigger>\r\n\s*<Enabled>true<\/Enabled>\r\n\s*<UserId>DESKTOP-ALICE\\alice<\/UserId>\r\n\s*<\/LogonTrigger>/);
      assert.ok(text.includes("<ExecutionTimeLimit>PT0S</ExecutionTimeLimit>"));
      assert.match(text, /<RestartOnFailure>\r\n\s*<Interval>PT1M<\/Interval>\r\n\s*<Count>\d+<\/Count>\r\n\s*<\/RestartOnFailure>/);
      assert.ok(text.includes(`<Command>${c.state}\\gateway.cmd</Command>`), text);
      assert.ok(text.includes("<WorkingDirectory>C:\\Users\\alice</WorkingDirectory>"), text);
      assert.ok(text.includes(`<URI>\\${c.def.name}</URI>`), text);
      assert.ok(text.includes(`<Description>${c.def.description}</Description>`), text);
    });
  }

  test("names and paths are XML-escaped", () => {
    const def: ServiceDefinition = { ...WIN_WORK, name: "OpenClaw Gateway (R&D)", description: "OpenClaw Gateway (profile: R&D <x>)", workingDirectory: "C:\\Users\\R&D" };
    const text = renderTaskXml(def, { userId: "CORP\\r&d", scriptPath: "C:\\Users\\R&D\\.openclaw-R&D\\gateway.cmd" });
    assert.ok(!/&(?!amp;|lt;|gt;)/.test(text), text);
    assert.ok(text.includes("<URI>\\OpenClaw Gateway (R&amp;D)</URI>"), text);
    assert.ok(text.includes("<Description>OpenClaw Gateway (profile: R&amp;D &lt;x&gt;)</Description>"), text);
    assert.ok(text.includes("<Command>C:\\Users\\R&amp;D\\.openclaw-R&amp;D\\gateway.cmd</Command>"), text);
  });
});

describe("golden: gateway.cmd", () => {
  const cases = [
    { name: "default", file: "gateway-default.cmd", def: WIN_DEFAULT },
    { name: "work", file: "gateway-work.cmd", def: WIN_WORK },
  ];
  for (const c of cases) {
    test(`profile ${c.name}: matches ${c.file}`, () => {
      const text = renderGatewayCmd(c.def);
      assertGolden(c.file, text);
      assertCrlf(text);
      const lines = text.split("\r\n");
      assert.equal(lines[0], "@echo off");
      assert.ok(lines.includes('cd /d "C:\\Users\\alice"'), text);
      for (const [k, v] of Object.entries(c.def.environment)) assert.ok(lines.includes(`set "${k}=${v}"`), `no set line for ${k}:\n${text}`);
      const setLines = lines.filter((l) => l.startsWith("set "));
      assert.equal(setLines.length, Object.keys(c.def.environment).length);
      for (const l of setLines) assert.match(l, /^set "[A-Z_]+=[^"]*"$/);
      const port = String(c.def.port);
      const command = `"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\alice\\AppData\\Roaming\\npm\\node_modules\\openclaw\\bin\\openclaw.mjs" "gateway" "--port" "${port}" >> "${c.def.stdoutPath}" 2>> "${c.def.stderrPath}"`;
      assert.ok(lines.includes(command), `no command line ${command}:\n${text}`);
      assert.ok(lines.includes(":run") && lines.includes("goto run"), text);
      assert.ok(lines.includes("if %ERRORLEVEL% GEQ 78 if %ERRORLEVEL% LEQ 78 exit /b %ERRORLEVEL%"), text);
      assert.ok(!/TOKEN|PASSWORD/.test(text), text);
    });
  }
});

describe("launchd plist: round trip", () => {
  test("parsePlist(renderLaunchdPlist(def)) gives back ProgramArguments and EnvironmentVariables, XML-special characters included", () => {
    const home = "/Users/R&D <team> \"q\" 'a'";
    const entry = `${home}/lib/open&claw/<bin>/openclaw.mjs`;
    const def = launchdDefinition({ HOME: home, TZ: "Europe/Berlin", NODE_EXTRA_CA_CERTS: `${home}/ca&.pem` }, { port: 18789, entryPath: entry, secrets: { OPENCLAW_GATEWAY_TOKEN: "x" } });
    const text = renderLaunchdPlist(def);
    assert.ok(!text.includes("R&D"), "a raw & in the plist");
    assert.ok(!text.includes("<team>"), "a raw < in the plist");
    assert.ok(text.includes("R&amp;D &lt;team&gt;"), text);
    const root = asDict(parsePlist(text));
    assert.deepEqual(root.ProgramArguments, def.programArguments);
    assert.deepEqual(root.EnvironmentVariables, def.environment);
    assert.deepEqual(Object.keys(asDict(root.EnvironmentVariables)), Object.keys(def.environment));
    assert.equal(root.WorkingDirectory, home);
    assert.equal(root.Comment, def.description);
    assert.equal(root.ExitTimeOut, 30);
    assert.equal(root.Umask, 0o077);
  });

  test("the launchd manager's readInstalled reads back a plist written into ~/Library/LaunchAgents", (t) => {
    const home = tempDir(t);
    const env = { HOME: home };
    const secrets = { OPENCLAW_GATEWAY_TOKEN: "tok-SECRET-123" };
    const def = launchdDefinition(env, { port: 18789, secrets, entryPath: `${home}/a&b <c>/openclaw.mjs` });
    const manager = createServiceManager("launchd", { env, home, platform: "darwin", uid: 501, user: "alice", exec: noExec });
    const files = manager.render(def, secrets);
    assert.equal(files[0]!.path, path.join(home, "Library", "LaunchAgents", "bot.molt.openclaw.plist"));
    assert.equal(files[0]!.role, "launchd plist");
    assert.ok(!files[0]!.content.includes("tok-SECRET-123"));
    assert.equal(files[1]!.role, "secrets env file");
    assert.equal(files[1]!.mode, 0o600);
    assert.equal(manager.readInstalled(def.name), undefined);
    for (const f of files) {
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      fs.writeFileSync(f.path, f.content, { mode: f.mode });
    }
    const installed = manager.readInstalled(def.name);
    assert.ok(installed);
    assert.equal(installed.kind, "launchd");
    assert.equal(installed.name, "bot.molt.openclaw");
    assert.equal(installed.definitionPath, files[0]!.path);
    assert.deepEqual(installed.programArguments, def.programArguments);
    assert.deepEqual(installed.environment, def.environment);
    assert.equal(installed.workingDirectory, home);
    assert.equal(installed.envFile, path.join(home, ".openclaw", "gateway.env"));
    assert.deepEqual(installed.envFileKeys, ["OPENCLAW_GATEWAY_TOKEN"]);
    assert.deepEqual(diffDefinitions(installed, def), []);
    assert.deepEqual(manager.list().map((s) => s.name), ["bot.molt.openclaw"]);
  });
});

describe("gateway.cmd: round trip", () => {
  test("parseGatewayCmd(renderGatewayCmd(def)) returns the program arguments and environment (minus PATH)", () => {
    for (const def of [WIN_DEFAULT, WIN_WORK]) {
      const withPath: ServiceDefinition = { ...def, environment: { ...def.environment, PATH: "C:\\Program Files\\nodejs;C:\\Windows\\system32" } };
      const parsed = parseGatewayCmd(renderGatewayCmd(withPath));
      assert.deepEqual(parsed.programArguments, def.programArguments);
      assert.deepEqual(parsed.environment, def.environment);
      assert.equal(parsed.environment.PATH, undefined);
      assert.equal(parsed.workingDirectory, def.workingDirectory);
    }
  });

  test("a % in an environment value is doubled in the script and comes back single", () => {
    const def: ServiceDefinition = { ...WIN_WORK, environment: { ...WIN_WORK.environment, TZ: "50%off", NODE_EXTRA_CA_CERTS: "C:\\certs\\%USERNAME%.pem" } };
    const text = renderGatewayCmd(def);
    assert.ok(text.split("\r\n").includes('set "TZ=50%%off"'), text);
    assert.ok(text.split("\r\n").includes('set "NODE_EXTRA_CA_CERTS=C:\\certs\\%%USERNAME%%.pem"'), text);
    assert.deepEqual(parseGatewayCmd(text).environment, def.environment);
  });

  test("a % in the install or home path is doubled on the command and cd lines, and round-trips", () => {
    const home = "C:\\Users\\100%x";
    const def: ServiceDefinition = {
      ...WIN_DEFAULT,
      workingDirectory: home,
      programArguments: ["C:\\Program Files\\nodejs\\node.exe", `${home}\\npm\\openclaw.mjs`, "gateway", "--port", "18789"],
      stdoutPath: `${home}\\.openclaw\\logs\\gateway.log`,
      stderrPath: `${home}\\.openclaw\\logs\\gateway.err.log`,
    };
    const text = renderGatewayCmd(def);
    const lines = text.split("\r\n");
    const command = lines.find((l) => l.startsWith('"'));
    assert.ok(command, text);
    // In a batch file a lone % is stripped (or starts a variable reference), so it must be written %%.
    assert.ok(command.includes("100%%x\\npm\\openclaw.mjs"), command);
    assert.ok(lines.includes('cd /d "C:\\Users\\100%%x"'), text);
    const parsed = parseGatewayCmd(text);
    assert.deepEqual(parsed.programArguments, def.programArguments);
    assert.equal(parsed.workingDirectory, home);
  });
});
