/**
 * Secrets stay masked in every sink. A temp HOME holds distinctive planted values — the gateway
 * token, a Telegram bot token, an `env` API key, a password inside `env.DATABASE_URL` and an
 * auth-profile key — and every output of the built CLI, the gateway's own output and log file,
 * the backup manifest and the gateway's RPC errors are searched for each of them: 0 hits. Each value
 * is first proven present in the inputs, so the search can fail.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, test } from "node:test";
import { GatewayClient } from "../../src/client/index.js";
import { gatewayLockFile } from "../../src/infra/lock.js";
import { BIN, type CliRun, ROOT, runBinary, tempHome } from "../helpers/cli.js";
import { freePort, waitUntil } from "../helpers/gateway.js";
import { writeFile } from "../helpers/inspect.js";

/** The planted values. Each is caught by a different rule: key name, known format, URL shape. */
const SECRETS = {
  gatewayToken: "7c3e9a1f5b2d8e4a6c0f9b3d7e1a5c8f2b6d0e4a9c3f7b1d",
  botToken: "7712345678:AAF3xKq9Lm2Np7Rs4Tv8Wx1Yz5Bc6De0FgH",
  // Made of words: only its key name (BRAVE_API_KEY) marks it as a secret.
  envKey: "orchid-velvet-lantern-2931-ember",
  // Made of words too, under a harmless key (DATABASE_URL): only the URL shape marks it.
  urlPassword: "correct-horse-battery-staple-42",
  authKey: "sk-ant-api03-Zq8Wx2Ev5Rb9Tn3Ym7Uk1Il4Op6Aa0Ss",
} as const;

type SecretName = keyof typeof SECRETS;

/** Every place a secret was found, for one message listing them all. */
const leaks: string[] = [];

/** Records a leak for every planted value `text` contains (in clear). */
function scan(what: string, text: string): void {
  for (const [name, value] of Object.entries(SECRETS)) {
    if (text.includes(value)) leaks.push(`${what}: ${name}\n    ${text.split("\n").find((l) => l.includes(value))?.slice(0, 300)}`);
  }
}

function scanRun(what: string, r: CliRun): CliRun {
  scan(`${what} (stdout)`, r.stdout);
  scan(`${what} (stderr)`, r.stderr);
  return r;
}

function configText(port: number, logFile: string, lines: { tokenLine?: string; botLine?: string; envKeyLine?: string; urlLine?: string } = {}): string {
  return [
    "// planted secrets for the redaction test",
    "{",
    `  gateway: { mode: "local", port: ${port}, reload: { debounceMs: 50 },`,
    "    auth: {",
    "      mode: \"token\",",
    lines.tokenLine ?? `      token: "${SECRETS.gatewayToken}",`,
    "    },",
    "  },",
    "  channels: {",
    "    telegram: {",
    "      enabled: true,",
    lines.botLine ?? `      botToken: "${SECRETS.botToken}",`,
    "      dmPolicy: \"pairing\",",
    "    },",
    "  },",
    "  env: {",
    lines.envKeyLine ?? `    BRAVE_API_KEY: "${SECRETS.envKey}",`,
    lines.urlLine ?? `    DATABASE_URL: "postgres://app:${SECRETS.urlPassword}@db.internal:5432/app",`,
    "  },",
    `  logging: { file: ${JSON.stringify(logFile)}, level: "debug" },`,
    "}",
    "",
  ].join("\n");
}

before(() => {
  assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "build the CLI first: npm run build");
});

test("planted secrets appear in no output, log, error, manifest or RPC error", { timeout: 120_000 }, async (t) => {
  const { home, env: baseEnv } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir, { mode: 0o700 });
  chmodSync(stateDir, 0o700);
  const configPath = path.join(stateDir, "openclaw.json");
  const logFile = path.join(home, "logs", "openclaw.log");
  const port = await freePort();
  const env = { ...baseEnv, TMPDIR: os.tmpdir() };
  const good = configText(port, logFile);
  writeFile(configPath, good);
  const authFile = path.join(stateDir, "agents", "main", "agent", "auth-profiles.json");
  writeFile(authFile, `${JSON.stringify({ version: 1, profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: SECRETS.authKey } } }, null, 2)}\n`);
  // A line an older version wrote in clear: `logs` must not print it back.
  mkdirSync(path.dirname(logFile), { recursive: true, mode: 0o700 });
  writeFileSync(
    logFile,
    `${JSON.stringify({ time: new Date().toISOString(), level: "error", subsystem: "telegram", message: `getMe failed for https://api.telegram.org/bot${SECRETS.botToken}/getMe`, meta: { url: `postgres://app:${SECRETS.urlPassword}@db.internal:5432/app` } })}\n`,
    { mode: 0o600 },
  );

  // The inputs really hold every planted value (so a clean search means something).
  const inputs = readFileSync(configPath, "utf8") + readFileSync(authFile, "utf8") + readFileSync(logFile, "utf8");
  for (const [name, value] of Object.entries(SECRETS)) assert.ok(inputs.includes(value), `${name} is planted`);
  const cli = (argv: string[]) => runBinary(argv, { env });

  // config get: each secret and the sections around them.
  for (const p of ["gateway.auth.token", "gateway.auth", "channels.telegram.botToken", "channels.telegram", "env", "env.BRAVE_API_KEY", "env.DATABASE_URL"]) {
    const human = scanRun(`config get ${p}`, await cli(["config", "get", p]));
    assert.equal(human.code, 0, human.stderr);
    scanRun(`config get ${p} --json`, await cli(["config", "get", p, "--json"]));
  }

  // config set --dry-run next to each secret, and over each secret (the old value is in the diff).
  const edits: Array<[string, string]> = [
    ["gateway.reload.debounceMs", "60"],
    ["gateway.port", String(port + 1)],
    ["channels.telegram.enabled", "false"],
    ["channels.telegram.botToken", "1234567:short"],
    ["env.OTHER_SETTING", "plain"],
    ["env.BRAVE_API_KEY", "replaced"],
    ["env.DATABASE_URL", "sqlite://local.db"],
  ];
  for (const [p, v] of edits) {
    const r = scanRun(`config set ${p} --dry-run`, await cli(["config", "set", p, v, "--dry-run"]));
    assert.equal(r.code, 0, `config set ${p} --dry-run: ${r.stderr}`);
    assert.match(r.stdout, /dry run/);
    scanRun(`config set ${p} --dry-run --json`, await cli(["config", "set", p, JSON.stringify(v), "--dry-run", "--json"]));
    scanRun(`config unset ${p} --dry-run`, await cli(["config", "unset", p, "--dry-run"]));
  }
  assert.equal(readFileSync(configPath, "utf8"), good, "dry runs wrote nothing");

  // A syntax error on each secret's line: validate and get show a code frame of that line.
  const broken: Array<[string, Parameters<typeof configText>[2]]> = [
    ["token line, unterminated string", { tokenLine: `      token: "${SECRETS.gatewayToken}` }],
    ["bot line, junk after the value", { botLine: `      botToken: "${SECRETS.botToken}" oops,` }],
    ["env key line, missing comma", { envKeyLine: `    BRAVE_API_KEY: "${SECRETS.envKey}" "x"` }],
    ["url line, junk after the value", { urlLine: `    DATABASE_URL: "postgres://app:${SECRETS.urlPassword}@db.internal:5432/app" ]` }],
  ];
  for (const [what, lines] of broken) {
    writeFile(configPath, configText(port, logFile, lines));
    const v = scanRun(`config validate (${what})`, await cli(["config", "validate"]));
    assert.notEqual(v.code, 0, `config validate fails on ${what}`);
    assert.match(v.stdout + v.stderr, /\^/, `a code frame is shown for ${what}`);
    scanRun(`config validate --json (${what})`, await cli(["config", "validate", "--json"]));
    scanRun(`config get (${what})`, await cli(["config", "get", "gateway.port"]));
    scanRun(`config get --json (${what})`, await cli(["config", "get", "gateway.port", "--json"]));
    scanRun(`config set --dry-run (${what})`, await cli(["config", "set", "gateway.port", "1", "--dry-run"]));
    scanRun(`doctor --dry-run --json (${what})`, await cli(["doctor", "--dry-run", "--json"]));
  }
  writeFile(configPath, good);

  // Reports.
  scanRun("status --all", await cli(["status", "--all"]));
  scanRun("status --all --json", await cli(["status", "--all", "--json"]));
  scanRun("status --json", await cli(["status", "--json"]));
  scanRun("doctor --dry-run", await cli(["doctor", "--dry-run"]));
  scanRun("doctor --dry-run --json", await cli(["doctor", "--dry-run", "--json"]));
  scanRun("security audit", await cli(["security", "audit"]));
  scanRun("security audit --json", await cli(["security", "audit", "--json"]));
  scanRun("logs --json", await cli(["logs", "--json"]));
  scanRun("logs --plain", await cli(["logs", "--plain"]));

  // The backup manifest (the archive itself carries the secrets by design; its manifest must not).
  const archive = path.join(home, "backup.tar.gz");
  const b = scanRun("backup create", await cli(["backup", "create", "--output", archive, "--json"]));
  assert.equal(b.code, 0, b.stderr);
  const manifestName = spawnSync("tar", ["-tzf", archive], { encoding: "utf8" }).stdout.split("\n").find((n) => /^[^/]+\/manifest\.json$/.test(n)) ?? "manifest.json";
  const manifest = spawnSync("tar", ["-xzOf", archive, manifestName], { encoding: "utf8" });
  assert.equal(manifest.status, 0, manifest.stderr);
  scan("backup manifest.json", manifest.stdout);
  scanRun("backup verify", await cli(["backup", "verify", archive, "--json"]));

  // The gateway in the foreground: its output, its log file, its health and its RPC errors.
  const child = spawn(process.execPath, [BIN, "gateway", "--port", String(port), "--verbose"], { env: env as NodeJS.ProcessEnv, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let exited = false;
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exit.then(() => (exited = true));
  t.after(async () => {
    if (!exited) {
      child.kill("SIGKILL");
      await exit;
    }
    rmSync(gatewayLockFile(configPath), { force: true });
  });
  await waitUntil(() => exited || out.includes("gateway listening"), 15_000, "gateway listening");
  assert.ok(!exited, `the gateway exited early:\n${out}`);
  const client = await GatewayClient.connect({ url: `ws://127.0.0.1:${port}`, token: SECRETS.gatewayToken, timeoutMs: 5000, clientId: "test", clientMode: "test" });
  t.after(() => client.close());
  const snap = (await client.call("config.get", {})) as { hash: string };
  scan("RPC config.get", JSON.stringify(snap));
  for (const [what, lines] of broken) {
    const raw = configText(port, logFile, lines);
    for (const method of ["config.set", "config.apply", "config.patch"] as const) {
      const error = await client.call(method, { raw, baseHash: snap.hash }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error, `${method} refuses a broken file (${what})`);
      const e = error as { message?: string; details?: unknown; code?: string };
      scan(`RPC ${method} error (${what})`, JSON.stringify({ message: e.message, code: e.code, details: e.details }));
    }
  }
  // A broken file on disk: the reload keeps the running config and reports the problem in health.
  writeFile(configPath, configText(port, logFile, broken[1]![1]));
  await waitUntil(async () => {
    const h = (await client.call("health", {})) as { configReload?: { lastError?: string | null } };
    return Boolean(h.configReload?.lastError);
  }, 10_000, "health reports the reload error");
  scan("RPC health", JSON.stringify(await client.call("health", {})));
  scanRun("health --json", await cli(["health", "--json", "--token", SECRETS.gatewayToken]));
  writeFile(configPath, good);
  scanRun("status --all (gateway running)", await cli(["status", "--all"]));
  scanRun("logs --json (after the gateway ran)", await cli(["logs", "--json"]));

  client.close();
  child.kill("SIGTERM");
  await exit;
  scan("gateway stdout/stderr", out);
  const logDir = path.dirname(logFile);
  for (const f of readdirSync(logDir)) {
    const text = readFileSync(path.join(logDir, f), "utf8");
    // The planted old line is the only one allowed to hold a secret; every line the gateway wrote must be clean.
    scan(`log file ${f}`, text.split("\n").slice(1).join("\n"));
  }

  assert.deepEqual(leaks, [], `planted secrets leaked:\n${leaks.join("\n")}`);
  const names = Object.keys(SECRETS) as SecretName[];
  assert.equal(names.length, 5);
});
