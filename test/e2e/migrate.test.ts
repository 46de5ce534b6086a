/**
 * `openclaw migrate export | import | verify` through the built binary: the round trip
 * between two HOMEs with different names on this host. The source config points into the source
 * home (workspace, agentDir, an `$include`); its sessions hold two poisoned transcripts and a clean
 * one. The import installs the gateway service (detached supervisor) from the imported state;
 * cleanup uninstalls it and kills whatever is left.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, test } from "node:test";
import JSON5 from "json5";
import { gatewayLockFile } from "../../src/infra/lock.js";
import { type CliRun, ROOT, runBinary } from "../helpers/cli.js";
import { freePort, waitUntil } from "../helpers/gateway.js";
import { alive, octal, readJson, show, treeState, writeFile } from "../helpers/inspect.js";

type After = { after(fn: () => unknown): void };

/** Where systemd's user bus answers, force the detached supervisor; otherwise auto-selection picks it. */
const SYSTEMD_USABLE = spawnSync("systemctl", ["--user", "show-environment"], { stdio: "ignore", timeout: 10_000 }).status === 0;

const modeOf = (p: string) => statSync(p).mode & 0o777;

function parseJson<T>(r: CliRun, what: string): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch (error) {
    throw new Error(`${what}: stdout is not one JSON value (${(error as Error).message})\n${show(r)}`);
  }
}

interface Home {
  home: string;
  stateDir: string;
  configPath: string;
  env: Record<string, string | undefined>;
  run(argv: string[]): Promise<CliRun>;
}

function makeHome(root: string, name: string): Home {
  const home = path.join(root, name);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(home, { mode: 0o700 });
  const env: Record<string, string | undefined> = { HOME: home, PATH: process.env.PATH, NO_COLOR: "1", TMPDIR: os.tmpdir(), ...(SYSTEMD_USABLE ? { OPENCLAW_SERVICE_MANAGER: "supervisor" } : {}) };
  return { home, stateDir, configPath: path.join(stateDir, "openclaw.json"), env, run: (argv) => runBinary(argv, { env }) };
}

/** The pids a home's supervisor state files name (the supervisor and its gateway). */
function servicePids(h: Home): number[] {
  const files = new Set([path.join(h.stateDir, "gateway.supervisor.json")]);
  const defs = path.join(h.home, ".config", "openclaw", "supervisor");
  if (existsSync(defs)) {
    for (const f of readdirSync(defs)) {
      const stateFile = readJson<{ stateFile?: string }>(path.join(defs, f))?.stateFile;
      if (f.endsWith(".json") && stateFile) files.add(stateFile);
    }
  }
  const pids: number[] = [];
  for (const f of files) {
    const s = readJson<{ supervisorPid?: number; pid?: number }>(f);
    if (s?.supervisorPid) pids.push(s.supervisorPid);
    if (s?.pid) pids.push(s.pid);
  }
  return pids;
}

/** Two HOMEs under one temp root; after the test: `gateway uninstall` in each, SIGKILL leftovers, remove the root. */
function twoHomes(t: After): { root: string; alice: Home; bob: Home } {
  const root = mkdtempSync(path.join(os.tmpdir(), "openclaw-migrate-"));
  const alice = makeHome(root, "home-alice");
  const bob = makeHome(root, "home-bob");
  t.after(async () => {
    const pids = new Set<number>();
    try {
      for (const h of [bob, alice]) {
        for (const pid of servicePids(h)) pids.add(pid);
        await runBinary(["gateway", "uninstall"], { env: h.env });
        for (const pid of servicePids(h)) pids.add(pid);
      }
    } finally {
      for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
      await waitUntil(() => [...pids].every((pid) => !alive(pid)), 5000, "service processes to exit").catch(() => {});
      for (const h of [alice, bob]) rmSync(gatewayLockFile(h.configPath), { force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });
  return { root, alice, bob };
}

const line = (message: object) => `${JSON.stringify({ type: "message", message })}\n`;
const TOOL_ERROR = line({ role: "user", content: [{ type: "tool_result", is_error: true, content: "boom" }] });
const STRAY_MEDIA = line({ role: "user", content: [{ type: "text", text: "x", media_type: "image/png" }] });

interface Seed {
  port: number;
  secrets: Record<string, string>;
  /** Path relative to the source HOME → original bytes. */
  files: Map<string, Buffer>;
  configText: string;
  includeText: string;
}

/** The source deployment: absolute paths into alice's home, secrets in the state `.env`, poisoned and clean transcripts. */
async function seedSource(root: string, alice: Home): Promise<Seed> {
  const port = await freePort();
  const secrets = {
    OPENCLAW_GATEWAY_TOKEN: `gw-${randomBytes(20).toString("hex")}`,
    BRAVE_API_KEY: `brave-${randomBytes(12).toString("hex")}`,
    OPENAI_API_KEY: `sk-${randomBytes(16).toString("hex")}`,
  };
  const files = new Map<string, Buffer>();
  const put = (rel: string, data: string | Buffer, mode = 0o600) => {
    writeFile(path.join(alice.home, rel), data, mode);
    files.set(rel, Buffer.from(data));
  };
  mkdirSync(alice.stateDir, { mode: 0o700 });
  const A = alice.home;
  const configText = [
    "// alice's deployment (hand-written; keep this comment)",
    "{",
    `  "$include": "${A}/.openclaw/extra.json5",`,
    `  gateway: { mode: "local", port: ${port}, bind: "loopback", auth: { mode: "token", token: "\${OPENCLAW_GATEWAY_TOKEN}" } },`,
    "  agents: {",
    "    // the workspace lives outside the state dir",
    `    defaults: { workspace: "${A}/work/ws" },`,
    `    list: [{ id: "main", agentDir: "${A}/.openclaw/agents/main/agent" }],`,
    "  },",
    '  channels: { whatsapp: { dmPolicy: "allowlist", allowFrom: ["+15551234567"] } },',
    `  logging: { file: "${root}/gateway-logs/openclaw.log" }, // outside both homes`,
    "}",
    "",
  ].join("\n");
  put(".openclaw/openclaw.json", configText);
  const includeText = [
    "// included by openclaw.json",
    "{",
    '  tools: { web: { search: { apiKey: "${BRAVE_API_KEY}" } } },',
    "  // skills shipped in the workspace",
    `  skills: { load: { extraDirs: ["${A}/work/ws/skills"] } },`,
    "}",
    "",
  ].join("\n");
  put(".openclaw/extra.json5", includeText);
  put(".openclaw/.env", Object.entries(secrets).map(([k, v]) => `${k}=${v}\n`).join(""));
  put(".openclaw/credentials/whatsapp/creds.json", `${JSON.stringify({ noiseKey: randomBytes(16).toString("base64"), registered: true })}\n`, 0o644);
  chmodSync(path.join(alice.stateDir, "credentials"), 0o755);
  put(".openclaw/agents/main/agent/auth-profiles.json", `${JSON.stringify({ version: 1, profiles: { "openai:default": { type: "api_key", provider: "openai", key: "${OPENAI_API_KEY}" } } }, null, 2)}\n`);
  put(".openclaw/agents/main/sessions/sessions.json", `${JSON.stringify({ "agent:main:main": { sessionId: "clean", updatedAt: 1 } })}\n`);
  const header = (id: string) => `${JSON.stringify({ type: "session", id })}\n`;
  put(".openclaw/agents/main/sessions/poisoned-errors.jsonl", `${header("poisoned-errors")}${line({ role: "user", content: [{ type: "text", text: "run it" }] })}${TOOL_ERROR}${TOOL_ERROR}${TOOL_ERROR}`);
  put(".openclaw/agents/main/sessions/poisoned-media.jsonl", `${header("poisoned-media")}${STRAY_MEDIA}`);
  put(
    ".openclaw/agents/main/sessions/clean.jsonl",
    `${header("clean")}${line({ role: "user", content: [{ type: "text", text: "hi" }] })}${TOOL_ERROR}${line({ role: "assistant", content: [{ type: "text", text: "retrying" }] })}${TOOL_ERROR}`,
  );
  put(".openclaw/identity/device.json", `${JSON.stringify({ deviceId: randomBytes(8).toString("hex") })}\n`, 0o644);
  put("work/ws/AGENTS.md", "# agents\n", 0o644);
  put("work/ws/skills/search.md", "search skill\n", 0o644);
  return { port, secrets, files, configText, includeText };
}

interface ImportJson {
  stateDir: string;
  restored: number;
  rewritten: Array<{ file: string; path: string; from: string; to: string }>;
  unresolved: unknown[];
  quarantined: Array<{ file: string; movedTo: string; reason: string }>;
  service: { installed: boolean; kind?: string; healthy?: boolean; detail?: string };
  secretsToEnter: string[];
}

before(() => {
  assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "build the CLI first: npm run build");
});

test("migrate export on alice, import on bob (service installed), migrate verify passes all but the unlinked WhatsApp session", async (t) => {
  const { root, alice, bob } = twoHomes(t);
  const seed = await seedSource(root, alice);
  const A = alice.home;
  const B = bob.home;

  // --- export (no gateway running) ---
  const archive = path.join(root, "transfer", "alice.tar.gz");
  // The secrets travel sealed with a passphrase (the default export carries none: see the next test).
  const passFile = path.join(root, "passphrase");
  writeFile(passFile, `${randomBytes(12).toString("hex")}\n`);
  const exp = await alice.run(["migrate", "export", "--output", archive, "--include-secrets", "--passphrase-file", passFile, "--json"]);
  assert.equal(exp.code, 0, show(exp));
  const exported = parseJson<{ archive: string; stopped: string[]; secrets: Array<{ name: string; source: string }>; nonPortable: Array<{ item: string }> }>(exp, "migrate export --json");
  assert.equal(exported.archive, archive);
  assert.deepEqual(exported.stopped, [], "no gateway was running");
  assert.equal(modeOf(archive), 0o600);
  const names = exported.secrets.map((s) => s.name);
  for (const name of Object.keys(seed.secrets)) assert.ok(names.includes(name), `secret name ${name} missing from ${names.join(", ")}`);
  assert.match(exported.secrets.find((s) => s.name === "BRAVE_API_KEY")?.source ?? "", /\$\{BRAVE_API_KEY\}/);
  assert.match(exported.secrets.find((s) => s.name === "OPENAI_API_KEY")?.source ?? "", /\.env/);
  for (const [name, value] of Object.entries(seed.secrets)) {
    assert.ok(!exp.stdout.includes(value) && !exp.stderr.includes(value), `the value of ${name} is in migrate export's output`);
  }
  const human = await alice.run(["migrate", "export", "--output", path.join(root, "transfer", "again.tar.gz"), "--include-secrets", "--passphrase-file", passFile]);
  assert.equal(human.code, 0, show(human));
  assert.match(human.stdout, /BRAVE_API_KEY/);
  for (const value of Object.values(seed.secrets)) assert.ok(!human.stdout.includes(value) && !human.stderr.includes(value), "a secret value in the human output");
  const manifestName = spawnSync("tar", ["-tzf", archive], { encoding: "utf8" }).stdout.split("\n").find((n) => /^[^/]+\/manifest\.json$/.test(n))!;
  const manifest = JSON.parse(spawnSync("tar", ["-xzOf", archive, manifestName], { encoding: "utf8" }).stdout) as {
    home: string;
    entries: Array<{ path: string; type: string }>;
    externals: Array<{ id: string; originalPath: string }>;
    sealed: { path: string; files: string[] };
  };
  assert.deepEqual(manifest.sealed.files, ["state:.env"], "the .env values travel sealed");
  const plainBytes = spawnSync("sh", ["-c", `gzip -dc '${archive}'`], { maxBuffer: 64 << 20 }).stdout.toString("latin1");
  for (const [name, value] of Object.entries(seed.secrets)) assert.ok(!plainBytes.includes(value), `the value of ${name} is readable in the archive`);
  assert.equal(manifest.home, A);
  assert.deepEqual(manifest.externals.map((e) => e.originalPath), [`${A}/work/ws`]);

  // --- import on bob ---
  const aliceBefore = treeState(A);
  // The workspace lives outside the state dir: import writes it only when confirmed (--force).
  const imp = await bob.run(["migrate", "import", archive, "--force", "--passphrase-file", passFile, "--json"]);
  assert.equal(imp.code, 0, show(imp));
  const imported = parseJson<ImportJson>(imp, "migrate import --json");
  assert.equal(imported.stateDir, bob.stateDir);
  assert.equal(imported.service.installed, true, JSON.stringify(imported.service));
  assert.equal(imported.service.kind, "supervisor");
  assert.equal(imported.service.healthy, true, JSON.stringify(imported.service));
  assert.deepEqual(imported.unresolved, []);
  assert.deepEqual(imported.secretsToEnter, [], "the sealed secrets were opened: nothing to re-enter");
  for (const value of Object.values(seed.secrets)) assert.ok(!imp.stdout.includes(value) && !imp.stderr.includes(value), "a secret value in migrate import's output");

  // Paths now point into bob's home, comments kept; nothing else in the config changed.
  const rehome = (text: string) => text.split(`${A}/`).join(`${B}/`);
  const bobConfig = readFileSync(bob.configPath, "utf8");
  assert.equal(bobConfig, rehome(seed.configText), "openclaw.json is the original with alice's paths replaced by bob's");
  assert.ok(bobConfig.includes("// alice's deployment (hand-written; keep this comment)") && bobConfig.includes("// the workspace lives outside the state dir"));
  assert.ok(!bobConfig.includes(A), "a path into alice's home is left in openclaw.json");
  const cfg = JSON5.parse(bobConfig) as { $include: string; agents: { defaults: { workspace: string }; list: Array<{ agentDir: string }> } };
  assert.equal(cfg.$include, `${B}/.openclaw/extra.json5`);
  assert.equal(cfg.agents.defaults.workspace, `${B}/work/ws`);
  assert.equal(cfg.agents.list[0]?.agentDir, `${B}/.openclaw/agents/main/agent`);
  const bobInclude = readFileSync(path.join(bob.stateDir, "extra.json5"), "utf8");
  assert.equal(bobInclude, rehome(seed.includeText), "the included file is the original with alice's paths replaced");
  assert.ok(bobInclude.includes("// skills shipped in the workspace"));
  for (const p of ["$include", "agents.defaults.workspace", "agents.list.0.agentDir", "skills.load.extraDirs.0"]) {
    assert.ok(imported.rewritten.some((r) => r.path === p && r.to.startsWith(`${B}/`)), `${p} not reported as rewritten: ${JSON.stringify(imported.rewritten)}`);
  }

  // Every portable file byte-identical (the two config files aside); poisoned transcripts in quarantine.
  const sessions = path.join(bob.stateDir, "agents/main/sessions");
  const quarantine = path.join(sessions, "quarantine");
  const poisoned = ["poisoned-errors.jsonl", "poisoned-media.jsonl"];
  for (const [rel, bytes] of seed.files) {
    if (rel === ".openclaw/openclaw.json" || rel === ".openclaw/extra.json5") continue;
    const base = path.basename(rel);
    const dest = poisoned.includes(base) ? path.join(quarantine, base) : path.join(B, rel);
    assert.ok(existsSync(dest), `${dest} missing after import`);
    assert.ok(readFileSync(dest).equals(bytes), `${dest} differs from alice's ${rel}`);
  }
  const archived = manifest.entries.filter((e) => e.type === "file").map((e) => e.path);
  assert.equal(archived.length, seed.files.size - 1, `the archive holds ${archived.join(", ")} (and .env sealed)`);

  for (const name of poisoned) {
    assert.equal(existsSync(path.join(sessions, name)), false, `${name} is still in sessions/`);
    const q = imported.quarantined.find((x) => path.basename(x.file) === name);
    assert.ok(q, `${name} not reported as quarantined: ${JSON.stringify(imported.quarantined)}`);
    assert.equal(q.movedTo, path.join(quarantine, name));
  }
  assert.match(imported.quarantined.find((q) => q.file.endsWith("poisoned-errors.jsonl"))?.reason ?? "", /same tool error/);
  assert.match(imported.quarantined.find((q) => q.file.endsWith("poisoned-media.jsonl"))?.reason ?? "", /media_type/);
  assert.equal(imported.quarantined.length, 2);
  assert.ok(readFileSync(path.join(sessions, "clean.jsonl")).equals(seed.files.get(".openclaw/agents/main/sessions/clean.jsonl")!), "clean.jsonl untouched");

  // Modes: every dir in bob's state dir 0700, secrets 0600 (alice had some at 0755/0644).
  const walkDirs = (dir: string): string[] => [dir, ...readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => walkDirs(path.join(dir, d.name)))];
  for (const dir of walkDirs(bob.stateDir)) assert.equal(octal(modeOf(dir)), "0700", `dir ${dir}`);
  for (const rel of ["openclaw.json", "extra.json5", ".env", "credentials/whatsapp/creds.json", "agents/main/agent/auth-profiles.json", "agents/main/sessions/sessions.json", "agents/main/sessions/clean.jsonl", "agents/main/sessions/quarantine/poisoned-errors.jsonl", "agents/main/sessions/quarantine/poisoned-media.jsonl", "identity/device.json"]) {
    assert.equal(octal(modeOf(path.join(bob.stateDir, rel))), "0600", `secret file ${rel}`);
  }

  // The service runs from bob's imported state.
  const state = readJson<{ pid?: number; status?: string }>(path.join(bob.stateDir, "gateway.supervisor.json"));
  assert.ok(state?.pid && alive(state.pid), `the supervised gateway runs: ${JSON.stringify(state)}`);
  const environ = readFileSync(`/proc/${state.pid}/environ`, "utf8").split("\0");
  assert.ok(environ.includes(`HOME=${B}`) || environ.includes(`OPENCLAW_STATE_DIR=${bob.stateDir}`), "the service gateway runs for bob's home");
  const res = await fetch(`http://127.0.0.1:${seed.port}/healthz`, { signal: AbortSignal.timeout(2000) });
  assert.equal(res.status, 200);
  await res.arrayBuffer();

  // --- verify ---
  // migrate verify makes an authenticated health call. The token is in bob's restored .env, which
  // the CLI does not read yet (issue 11 item 3, another branch): give it the way a user would today.
  const verifyEnv = { ...bob.env, OPENCLAW_GATEWAY_TOKEN: seed.secrets.OPENCLAW_GATEWAY_TOKEN };
  const v = await runBinary(["migrate", "verify", "--json"], { env: verifyEnv });
  const verified = parseJson<{ ok: boolean; checks: Array<{ check: string; ok: boolean; detail: string }> }>(v, "migrate verify --json");
  // Everything checks out except the WhatsApp session itself: the fixture's credential files are not a
  // real linked session, so the live probe says so with the fix (a moved real session would answer).
  assert.equal(v.code, 3, show(v));
  assert.equal(verified.ok, false);
  assert.ok(verified.checks.length >= 8, JSON.stringify(verified.checks));
  const failing = verified.checks.filter((c) => !c.ok);
  assert.deepEqual(failing.map((c) => c.check), ["channel whatsapp/default answers a probe"], JSON.stringify(verified.checks));
  assert.match(failing[0]!.detail, /not linked — run openclaw channels login --channel whatsapp/);
  assert.match(verified.checks.find((c) => /channel credentials/.test(c.check))?.detail ?? "", /whatsapp/);
  const table = await runBinary(["migrate", "verify"], { env: verifyEnv });
  assert.equal(table.code, 3, show(table));
  assert.equal(table.stdout.match(/^FAIL/gm)?.length, 1, table.stdout);

  // The import wrote nothing in the source home (on one host, both homes are reachable).
  const aliceAfter = treeState(A);
  const changed = Object.keys({ ...aliceBefore, ...aliceAfter }).filter((k) => aliceBefore[k] !== aliceAfter[k]);
  const rewroteSource = imported.rewritten.filter((r) => r.file.startsWith(`${A}/`));
  assert.deepEqual(changed, [], `migrate import changed the source home: ${changed.join(", ")}; rewrites reported there: ${JSON.stringify(rewroteSource)}`);
});
