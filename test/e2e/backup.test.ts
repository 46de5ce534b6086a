/**
 * `openclaw backup create | verify | restore` through the built binary: the round trip on a seeded
 * state dir (with a workspace outside it), hand-crafted hostile archives, an interrupted create, a
 * restore under a running gateway, and doctor's backup-age finding. Every test has its own HOME;
 * processes it starts are killed after it.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import JSON5 from "json5";
import { gatewayLockFile } from "../../src/infra/lock.js";
import { BIN, type CliRun, ROOT, runBinary, tempHome } from "../helpers/cli.js";
import { freePort, waitUntil } from "../helpers/gateway.js";
import { healthz, octal, sha256, show, treeState, writeFile } from "../helpers/inspect.js";

type After = { after(fn: () => unknown): void };

interface Home {
  home: string;
  stateDir: string;
  configPath: string;
  env: Record<string, string | undefined>;
  /** Cleanups run last-in first-out in one `t.after` (processes die before their home is removed). */
  defer(fn: () => unknown): void;
  run(argv: string[]): Promise<CliRun>;
}

/** A temp HOME with an empty `~/.openclaw` (0700). */
function newHome(t: After): Home {
  const stack: Array<() => unknown> = [];
  t.after(async () => {
    for (const fn of stack.reverse()) await fn();
  });
  const { home, env: base } = tempHome();
  stack.push(() => rmSync(home, { recursive: true, force: true }));
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir, { mode: 0o700 });
  chmodSync(stateDir, 0o700);
  const env = { ...base, TMPDIR: os.tmpdir() };
  return { home, stateDir, configPath: path.join(stateDir, "openclaw.json"), env, defer: (fn) => stack.push(fn), run: (argv) => runBinary(argv, { env }) };
}

/** A temp dir outside every HOME (archives that must not sit in the tree under test). */
function scratchDir(t: After, prefix = "openclaw-backup-e2e-"): string {
  const dir = path.join(os.tmpdir(), `${prefix}${randomBytes(6).toString("hex")}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function mkdirMode(dir: string, mode: number): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, mode);
}

const modeOf = (p: string) => statSync(p).mode & 0o777;

function parseJson<T>(r: CliRun, what: string): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch (error) {
    throw new Error(`${what}: stdout is not one JSON value (${(error as Error).message})\n${show(r)}`);
  }
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Archive inspection with the system tar (independent of the product's reader)
// ---------------------------------------------------------------------------------------------

function tarList(archive: string): string[] {
  const r = spawnSync("tar", ["-tzf", archive], { encoding: "utf8" });
  assert.equal(r.status, 0, `tar -tzf ${archive}: ${r.stderr}`);
  return r.stdout.split("\n").filter(Boolean);
}

interface ManifestEntry {
  path: string;
  type: "file" | "dir" | "symlink";
  size: number;
  mode: number;
  sha256?: string;
  linkname?: string;
  category: string;
  note?: string;
}

interface Manifest {
  schemaVersion: number;
  archiveRoot: string;
  assets: Array<{ kind: string; sourcePath: string; archivePath: string }>;
  skipped: Array<{ kind: string; sourcePath: string; reason: string }>;
  format: string;
  version: number;
  mode: string;
  home: string;
  externals: Array<{ id: string; kind: string; originalPath: string; archivePath: string }>;
  entries: ManifestEntry[];
}

/** The archive's `<root>/manifest.json` (OpenClaw's layout), read with the system tar. */
function readManifest(archive: string): { text: string; manifest: Manifest; name: string } {
  const name = tarList(archive).find((n) => /^[^/]+\/manifest\.json$/.test(n));
  assert.ok(name, `no <root>/manifest.json in ${archive}`);
  const r = spawnSync("tar", ["-xzOf", archive, name], { encoding: "utf8" });
  assert.equal(r.status, 0, `tar -xzOf ${archive} ${name}: ${r.stderr}`);
  return { text: r.stdout, manifest: JSON.parse(r.stdout) as Manifest, name };
}

/** Where an absolute source path sits in one of our archives. */
const inArchive = (m: Manifest, abs: string) => `${m.archiveRoot}/payload/posix${abs}`;

// ---------------------------------------------------------------------------------------------
// A tiny ustar writer for hand-crafted archives
// ---------------------------------------------------------------------------------------------

interface CraftEntry {
  name: string;
  /** ustar typeflag: 0 file, 2 symlink, 3 char device, 5 dir, 6 fifo. */
  flag: "0" | "2" | "3" | "5" | "6";
  data?: Buffer;
  mode?: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
}

function ustarHeader(e: CraftEntry): Buffer {
  const h = Buffer.alloc(512);
  assert.ok(Buffer.byteLength(e.name) <= 100, `name too long for this writer: ${e.name}`);
  const num = (n: number, off: number, len: number) => h.write(`${n.toString(8).padStart(len - 1, "0")}\0`, off, len, "ascii");
  h.write(e.name, 0, 100, "utf8");
  num(e.mode ?? (e.flag === "5" ? 0o755 : 0o644), 100, 8);
  num(0, 108, 8);
  num(0, 116, 8);
  num(e.flag === "0" ? (e.data?.length ?? 0) : 0, 124, 12);
  num(Math.floor(Date.now() / 1000), 136, 12);
  h.write("        ", 148, 8, "ascii");
  h.write(e.flag, 156, 1, "ascii");
  if (e.linkname) h.write(e.linkname, 157, 100, "utf8");
  h.write("ustar\0", 257, 6, "ascii");
  h.write("00", 263, 2, "ascii");
  h.write("root", 265, 32, "ascii");
  h.write("root", 297, 32, "ascii");
  num(e.devmajor ?? 0, 329, 8);
  num(e.devminor ?? 0, 337, 8);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return h;
}

function tarGz(entries: CraftEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(ustarHeader(e));
    if (e.flag === "0" && e.data?.length) {
      parts.push(e.data, Buffer.alloc((512 - (e.data.length % 512)) % 512));
    }
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** A manifest.json that looks like the product's own, listing `entries` with correct sizes and hashes. */
function craftedManifest(h: Home, entries: CraftEntry[], tamper: (e: ManifestEntry) => ManifestEntry = (e) => e): CraftEntry {
  const listed: ManifestEntry[] = entries.map((e) => {
    const type = e.flag === "2" ? "symlink" : e.flag === "5" ? "dir" : "file";
    const base: ManifestEntry = { path: e.name, type, size: e.flag === "0" ? (e.data?.length ?? 0) : 0, mode: e.mode ?? 0o644, category: "state" };
    if (e.flag === "0") base.sha256 = sha256(e.data ?? Buffer.alloc(0));
    if (e.linkname) base.linkname = e.linkname;
    return tamper(base);
  });
  const manifest = {
    format: "openclaw-backup",
    version: 1,
    createdAt: new Date().toISOString(),
    host: os.hostname(),
    user: "root",
    platform: process.platform,
    profile: null,
    stateDir: h.stateDir,
    home: h.home,
    mode: "full",
    externals: [],
    excluded: [],
    entries: listed,
  };
  return { name: "manifest.json", flag: "0", mode: 0o600, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) };
}

// ---------------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------------

const TOKEN = `tok-${randomBytes(20).toString("hex")}`;

interface Seeded extends Home {
  workspace: string;
  port: number;
  /** Absolute path → original bytes, for everything that must come back. */
  files: Map<string, Buffer>;
  /** The transcript whose last line has no trailing newline, and its consistent prefix. */
  partial: { file: string; prefix: Buffer };
}

const E = (message: object) => `${JSON.stringify({ type: "message", message })}\n`;

/**
 * The brief's state dir: config (0600) pointing at a workspace outside the state dir, WhatsApp
 * credentials, auth profiles, sessions (one transcript cut mid-line), identity, an extension with
 * node_modules, a log, a memory database (real SQLite) and a `.db` that is not SQLite; some secret
 * dirs and files deliberately too open.
 */
async function seedState(t: After): Promise<Seeded> {
  const h = newHome(t);
  const port = await freePort();
  const workspace = path.join(h.home, "work", "ws");
  const files = new Map<string, Buffer>();
  const put = (file: string, data: string | Buffer, mode = 0o600) => {
    writeFile(file, data, mode);
    files.set(file, Buffer.from(data));
  };
  const config = [
    "// round-trip config (hand-written; keep this comment)",
    "{",
    `  gateway: { mode: "local", port: ${port}, auth: { mode: "token", token: "${TOKEN}" } },`,
    `  agents: { defaults: { workspace: "${workspace}" } },`,
    `  logging: { file: "${path.join(h.home, "gwlogs", "openclaw.log")}" },`,
    "}",
    "",
  ].join("\n");
  put(h.configPath, config, 0o600);
  const s = (rel: string) => path.join(h.stateDir, rel);
  mkdirMode(s("credentials"), 0o755);
  mkdirMode(s("credentials/whatsapp"), 0o700);
  put(s("credentials/whatsapp/creds.json"), `${JSON.stringify({ noiseKey: randomBytes(16).toString("base64"), registered: true })}\n`, 0o644);
  mkdirMode(s("agents"), 0o755);
  mkdirMode(s("agents/main/agent"), 0o700);
  put(s("agents/main/agent/auth-profiles.json"), `${JSON.stringify({ version: 1, profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: "sk-ant-seed" } } }, null, 2)}\n`, 0o600);
  mkdirMode(s("agents/main/sessions"), 0o700);
  put(s("agents/main/sessions/sessions.json"), `${JSON.stringify({ "agent:main:main": { sessionId: "s1", updatedAt: 1 } })}\n`, 0o600);
  put(s("agents/main/sessions/s1.jsonl"), `${JSON.stringify({ type: "session", id: "s1" })}\n${E({ role: "user", content: [{ type: "text", text: "hello" }] })}`, 0o600);
  const complete = `${JSON.stringify({ type: "session", id: "s2" })}\n${E({ role: "user", content: [{ type: "text", text: "first" }] })}`;
  const partialFile = s("agents/main/sessions/s2.jsonl");
  put(partialFile, `${complete}{"type":"message","message":{"role":"assistant","content":[{"type":"text","text":"half-wri`, 0o600);
  mkdirMode(s("identity"), 0o700);
  put(s("identity/device.json"), `${JSON.stringify({ deviceId: randomBytes(8).toString("hex"), publicKey: randomBytes(32).toString("base64") })}\n`, 0o644);
  mkdirMode(s("extensions/foo"), 0o700);
  put(s("extensions/foo/openclaw.plugin.json"), `${JSON.stringify({ id: "foo", name: "Foo" })}\n`, 0o644);
  writeFile(s("extensions/foo/node_modules/x.js"), "module.exports = 1;\n", 0o644);
  chmodSync(s("extensions/foo/node_modules"), 0o700);
  writeFile(s("logs/gateway.log"), "2026-01-01T00:00:00Z gateway started\n", 0o600);
  mkdirMode(s("memory"), 0o700);
  const memory = new Database(s("memory/main.sqlite"));
  memory.exec("PRAGMA journal_mode = WAL; CREATE TABLE chunks (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO chunks (text) VALUES ('planted note')");
  memory.close();
  chmodSync(s("memory/main.sqlite"), 0o600);
  // Named like a database but not one: archived byte for byte.
  put(s("state/cache.db"), randomBytes(4096), 0o600);
  mkdirMode(workspace, 0o755);
  put(path.join(workspace, "AGENTS.md"), "# agents\nbe helpful\n", 0o644);
  put(path.join(workspace, "sub/notes.md"), "notes\n", 0o644);
  chmodSync(path.join(workspace, "sub"), 0o755);
  symlinkSync("AGENTS.md", path.join(workspace, "link-to-agents"));
  return { ...h, workspace, port, files, partial: { file: partialFile, prefix: Buffer.from(complete) } };
}

before(() => {
  assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "build the CLI first: npm run build");
});

// ---------------------------------------------------------------------------------------------
// 1. Round trip
// ---------------------------------------------------------------------------------------------

describe("create → verify → restore", () => {
  test("the archive: 0600, OpenClaw's layout (<root>/manifest.json, payload/posix/<abs>), every file with size/mode/sha256, exclusions with reasons, the external workspace, no secrets", async (t) => {
    const h = await seedState(t);
    const out = path.join(scratchDir(t), "full.tar.gz");
    const r = await h.run(["backup", "create", "--output", out, "--json"]);
    assert.equal(r.code, 0, show(r));
    const created = parseJson<{ archive: string; files: number; externals: Array<{ originalPath: string }>; sha256: string }>(r, "backup create --json");
    assert.equal(created.archive, out);
    assert.equal(modeOf(out), 0o600, "archive mode");
    assert.equal(created.sha256, sha256(readFileSync(out)));

    const names = tarList(out);
    const { text, manifest, name } = readManifest(out);
    const s = (rel: string) => path.join(h.stateDir, rel);
    assert.equal(name, `${manifest.archiveRoot}/manifest.json`);
    assert.equal(manifest.schemaVersion, 1, "OpenClaw's manifest schema");
    assert.deepEqual(manifest.assets.map((a) => [a.kind, a.sourcePath, a.archivePath]), [["state", h.stateDir, inArchive(manifest, h.stateDir)], ["workspace", h.workspace, inArchive(manifest, h.workspace)]]);
    assert.equal(manifest.format, "openclaw-backup");
    assert.equal(manifest.mode, "full");
    for (const n of names) assert.ok(n.startsWith(`${manifest.archiveRoot}/`), `${n} is outside the archive root`);

    // Every file that must come back is listed with its size, mode and hash.
    const toArch = (abs: string) => inArchive(manifest, abs);
    const fileEntries = manifest.entries.filter((e) => e.type === "file");
    assert.deepEqual(fileEntries.map((e) => e.path).sort(), [...h.files.keys(), s("memory/main.sqlite")].map(toArch).sort(), "the manifest lists exactly the portable files");
    assert.equal(created.files, fileEntries.length);
    for (const [abs, bytes] of h.files) {
      const e = fileEntries.find((x) => x.path === toArch(abs))!;
      assert.equal(e.mode, modeOf(abs), `${e.path}: mode`);
      if (abs === h.partial.file) continue;
      assert.equal(e.size, bytes.length, `${e.path}: size`);
      assert.equal(e.sha256, sha256(bytes), `${e.path}: sha256`);
    }
    // The symlink inside the workspace is kept as a link.
    const link = manifest.entries.find((e) => e.path === toArch(path.join(h.workspace, "link-to-agents")));
    assert.equal(link?.type, "symlink");
    assert.equal(link?.linkname, "AGENTS.md");
    assert.ok(names.includes(toArch(path.join(h.workspace, "link-to-agents"))));

    // A transcript cut mid-line goes in up to its last complete line.
    const partial = fileEntries.find((e) => e.path === toArch(h.partial.file))!;
    const original = readFileSync(h.partial.file);
    assert.equal(partial.size, original.lastIndexOf(0x0a) + 1, "size is the length up to the last \\n");
    assert.equal(partial.size, h.partial.prefix.length);
    assert.equal(partial.sha256, sha256(h.partial.prefix));

    // Left out, each with a reason.
    const reason = (rel: string) => manifest.skipped.find((x) => x.sourcePath === path.join(h.stateDir, rel))?.reason;
    assert.match(reason("logs") ?? "", /log/i, JSON.stringify(manifest.skipped));
    assert.match(reason("extensions/foo/node_modules") ?? "", /node_modules/, JSON.stringify(manifest.skipped));
    for (const n of names) assert.ok(!/node_modules|\.openclaw\/logs\/|\.sqlite-(wal|shm)$/.test(n), `excluded path in the archive: ${n}`);
    // The memory database goes in as an online snapshot; the .db that is not SQLite as a file.
    const memoryEntry = manifest.entries.find((e) => e.path === toArch(s("memory/main.sqlite")));
    assert.equal(memoryEntry?.note, "sqlite online backup (consistent snapshot)", JSON.stringify(memoryEntry));
    assert.equal(fileEntries.find((e) => e.path === toArch(s("state/cache.db")))?.note, undefined);

    // The workspace outside the state dir.
    assert.deepEqual(
      manifest.externals.map((x) => ({ kind: x.kind, originalPath: x.originalPath, archivePath: x.archivePath })),
      [{ kind: "workspace", originalPath: h.workspace, archivePath: toArch(h.workspace) }],
    );
    assert.deepEqual(created.externals.map((x) => x.originalPath), [h.workspace]);

    // No secret values in the manifest (nor in the command's output).
    assert.ok(!text.includes(TOKEN), "the gateway token is in manifest.json");
    assert.ok(!text.includes("sk-ant-seed"), "an auth-profile key is in manifest.json");
    assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN));

    const verify = await h.run(["backup", "verify", out, "--json"]);
    assert.equal(verify.code, 0, show(verify));
    const v = parseJson<{ ok: boolean; checked: number; problems: string[] }>(verify, "backup verify --json");
    assert.equal(v.ok, true);
    assert.deepEqual(v.problems, []);
    assert.equal(v.checked, fileEntries.length);
    const human = await h.run(["backup", "verify", out]);
    assert.equal(human.code, 0, show(human));
    assert.match(human.stdout, /ok/);
  });

  test("restore: --dry-run writes nothing; then every file comes back byte-identical with 0700 dirs and 0600 secrets, overwritten files saved; --only config", async (t) => {
    const h = await seedState(t);
    const out = path.join(scratchDir(t), "full.tar.gz");
    const c = await h.run(["backup", "create", "--output", out, "--json"]);
    assert.equal(c.code, 0, show(c));

    // Damage: delete some files (and a whole secret dir), modify others.
    const s = (rel: string) => path.join(h.stateDir, rel);
    unlinkSync(s("credentials/whatsapp/creds.json"));
    rmSync(s("memory/main.sqlite"));
    rmSync(s("identity"), { recursive: true });
    writeFileSync(s("agents/main/agent/auth-profiles.json"), "{ corrupted");
    writeFileSync(h.configPath, "{}\n");
    unlinkSync(s("agents/main/sessions/s1.jsonl"));
    writeFileSync(path.join(h.workspace, "AGENTS.md"), "edited after the backup\n");
    rmSync(path.join(h.workspace, "sub"), { recursive: true });
    unlinkSync(path.join(h.workspace, "link-to-agents"));
    const damagedConfig = readFileSync(h.configPath);
    const damagedProfiles = readFileSync(s("agents/main/agent/auth-profiles.json"));
    const excludedBefore = ["logs/gateway.log", "extensions/foo/node_modules/x.js"].map((rel) => [rel, sha256(readFileSync(s(rel)))] as const);

    const before = treeState(h.home);
    const dry = await h.run(["backup", "restore", out, "--dry-run", "--json"]);
    assert.equal(dry.code, 0, show(dry));
    const plan = parseJson<{ dryRun: boolean; files: number; writes: Array<{ dest: string; overwrite: boolean }> }>(dry, "restore --dry-run --json");
    assert.equal(plan.dryRun, true);
    assert.ok(plan.writes.some((w) => w.dest === s("credentials/whatsapp/creds.json") && !w.overwrite));
    assert.ok(plan.writes.some((w) => w.dest === h.configPath && w.overwrite));
    const dryHuman = await h.run(["backup", "restore", out, "--dry-run"]);
    assert.equal(dryHuman.code, 0, show(dryHuman));
    assert.deepEqual(treeState(h.home), before, "restore --dry-run changed files under HOME");

    // The workspace lives outside the state dir: restore writes it only when confirmed (--force here).
    const r = await h.run(["backup", "restore", out, "--force", "--json"]);
    assert.equal(r.code, 0, show(r));
    const res = parseJson<{ written: number; overwritten: number; safetyBackup: string | null }>(r, "backup restore --json");

    for (const [abs, bytes] of h.files) {
      const want = abs === h.partial.file ? h.partial.prefix : bytes;
      assert.ok(existsSync(abs), `${abs} was not restored`);
      assert.ok(readFileSync(abs).equals(want), `${abs} is not byte-identical after restore`);
    }
    assert.equal(readlinkSync(path.join(h.workspace, "link-to-agents")), "AGENTS.md", "the workspace symlink is back");
    const restoredMemory = new Database(s("memory/main.sqlite"), { readonly: true, fileMustExist: true });
    try {
      assert.equal(restoredMemory.pragma("integrity_check", { simple: true }), "ok");
      assert.deepEqual(restoredMemory.prepare("SELECT text FROM chunks").pluck().all(), ["planted note"]);
    } finally {
      restoredMemory.close();
    }

    // Modes: the state dir and secret dirs 0700 (even those that were 0755), secrets 0600 (even those that were 0644).
    for (const dir of ["", "agents", "agents/main", "agents/main/agent", "agents/main/sessions", "credentials", "credentials/whatsapp", "identity"]) {
      assert.equal(octal(modeOf(s(dir))), "0700", `dir ${s(dir)}`);
    }
    for (const file of ["openclaw.json", "credentials/whatsapp/creds.json", "agents/main/agent/auth-profiles.json", "agents/main/sessions/sessions.json", "agents/main/sessions/s1.jsonl", "agents/main/sessions/s2.jsonl", "identity/device.json"]) {
      assert.equal(octal(modeOf(s(file))), "0600", `secret file ${file}`);
    }
    // Non-secret files keep their mode.
    assert.equal(octal(modeOf(s("extensions/foo/openclaw.plugin.json"))), "0644");
    assert.equal(octal(modeOf(path.join(h.workspace, "AGENTS.md"))), "0644");
    // What the backup left out is not touched by restore.
    for (const [rel, hash] of excludedBefore) assert.equal(sha256(readFileSync(s(rel))), hash, `${rel} changed`);

    // Overwritten files were saved first.
    const safety = readdirSync(s("backups")).filter((d) => d.startsWith("pre-restore-"));
    assert.equal(safety.length, 1, `one pre-restore dir, got ${safety.join(", ")}`);
    const safetyDir = path.join(s("backups"), safety[0]!);
    assert.equal(res.safetyBackup, safetyDir);
    assert.ok(readFileSync(path.join(safetyDir, "openclaw.json")).equals(damagedConfig), "the overwritten config is in the safety copy");
    assert.ok(readFileSync(path.join(safetyDir, "agents/main/agent/auth-profiles.json")).equals(damagedProfiles));
    assert.ok(res.overwritten >= 3, `overwritten ${res.overwritten}`);
    const savedWs = readdirSync(safetyDir, { recursive: true }).map(String).find((p) => p.endsWith(path.join("work", "ws", "AGENTS.md")));
    assert.ok(savedWs, "the overwritten workspace file is in the safety copy");
    assert.equal(readFileSync(path.join(safetyDir, savedWs), "utf8"), "edited after the backup\n");

    // --only config: only openclaw.json comes back.
    writeFileSync(h.configPath, "{ gateway: {} }\n");
    writeFileSync(s("identity/device.json"), "changed again\n");
    unlinkSync(s("credentials/whatsapp/creds.json"));
    writeFileSync(path.join(h.workspace, "AGENTS.md"), "changed again\n");
    const only = await h.run(["backup", "restore", out, "--only", "config", "--json"]);
    assert.equal(only.code, 0, show(only));
    const o = parseJson<{ files: number; written: number; categories: string[] }>(only, "restore --only config --json");
    assert.deepEqual(o.categories, ["config"]);
    assert.equal(o.files, 1);
    assert.equal(o.written, 1);
    assert.ok(readFileSync(h.configPath).equals(h.files.get(h.configPath)!), "openclaw.json restored");
    assert.equal(readFileSync(s("identity/device.json"), "utf8"), "changed again\n", "--only config restored identity");
    assert.equal(existsSync(s("credentials/whatsapp/creds.json")), false, "--only config restored credentials");
    assert.equal(readFileSync(path.join(h.workspace, "AGENTS.md"), "utf8"), "changed again\n", "--only config restored the workspace");
  });

  test("restore --state-dir with --only credentials,agents,sessions fills a fresh state dir and leaves the default one alone", async (t) => {
    const h = await seedState(t);
    const out = path.join(scratchDir(t), "full.tar.gz");
    const c = await h.run(["backup", "create", "--output", out]);
    assert.equal(c.code, 0, show(c));
    const before = treeState(h.home);
    const fresh = path.join(scratchDir(t), "restored-state");
    const r = await h.run(["backup", "restore", out, "--state-dir", fresh, "--only", "credentials,agents,sessions", "--json"]);
    assert.equal(r.code, 0, show(r));
    const data = parseJson<{ stateDir: string; categories: string[] }>(r, "restore --state-dir --json");
    assert.equal(data.stateDir, fresh);
    assert.deepEqual([...data.categories].sort(), ["agents", "credentials", "identity", "sessions"]);
    for (const [abs, bytes] of h.files) {
      if (!abs.startsWith(`${h.stateDir}/`)) continue;
      const rel = path.relative(h.stateDir, abs);
      const dest = path.join(fresh, rel);
      if (/^(credentials|agents|identity)\//.test(rel)) {
        assert.ok(readFileSync(dest).equals(abs === h.partial.file ? h.partial.prefix : bytes), `${rel} in the fresh state dir`);
        assert.equal(octal(modeOf(dest)), "0600", `${rel} mode`);
      } else {
        assert.equal(existsSync(dest), false, `${rel} is not in --only credentials,agents,sessions`);
      }
    }
    assert.equal(octal(modeOf(fresh)), "0700");
    assert.deepEqual(treeState(h.home), before, "restore --state-dir touched the default state dir or the workspace");
  });

  test("--minimal holds only config, credentials and auth profiles; --exclude-sessions leaves sessions out", async (t) => {
    const h = await seedState(t);
    const dir = scratchDir(t);
    const minimal = path.join(dir, "minimal.tar.gz");
    const m = await h.run(["backup", "create", "--minimal", "--output", minimal, "--json"]);
    assert.equal(m.code, 0, show(m));
    assert.equal(modeOf(minimal), 0o600);
    const mm = readManifest(minimal).manifest;
    assert.equal(mm.mode, "minimal");
    assert.deepEqual(mm.externals, [], "no workspace in --minimal");
    const sp = (rel: string) => inArchive(mm, path.join(h.stateDir, rel));
    assert.deepEqual(
      mm.entries.filter((e) => e.type === "file").map((e) => e.path).sort(),
      [sp("agents/main/agent/auth-profiles.json"), sp("credentials/whatsapp/creds.json"), sp("openclaw.json")].sort(),
    );
    assert.deepEqual(
      tarList(minimal).filter((n) => !n.endsWith("/")).sort(),
      [`${mm.archiveRoot}/manifest.json`, sp("agents/main/agent/auth-profiles.json"), sp("credentials/whatsapp/creds.json"), sp("openclaw.json")].sort(),
    );
    assert.ok(mm.skipped.some((x) => x.sourcePath.startsWith(path.join(h.stateDir, "identity")) && /minimal/.test(x.reason)), JSON.stringify(mm.skipped));
    const mv = await h.run(["backup", "verify", minimal]);
    assert.equal(mv.code, 0, show(mv));

    const noSessions = path.join(dir, "no-sessions.tar.gz");
    const n = await h.run(["backup", "create", "--exclude-sessions", "--output", noSessions]);
    assert.equal(n.code, 0, show(n));
    const nm = readManifest(noSessions).manifest;
    const np = (abs: string) => inArchive(nm, abs);
    assert.ok(!nm.entries.some((e) => e.path.startsWith(np(path.join(h.stateDir, "agents/main/sessions")))), "sessions are in an --exclude-sessions archive");
    assert.ok(!tarList(noSessions).some((x) => x.includes("/sessions")));
    assert.match(nm.skipped.find((x) => x.sourcePath === path.join(h.stateDir, "agents/main/sessions"))?.reason ?? "", /exclude-sessions/, JSON.stringify(nm.skipped));
    for (const p of [path.join(h.stateDir, "agents/main/agent/auth-profiles.json"), path.join(h.stateDir, "identity/device.json"), path.join(h.stateDir, "credentials/whatsapp/creds.json"), path.join(h.workspace, "AGENTS.md")]) {
      assert.ok(nm.entries.some((e) => e.path === np(p)), `${p} missing from the --exclude-sessions archive`);
    }
  });

  test("a transcript whose unfinished last line is longer than 64 KiB is still cut at its last complete line", async (t) => {
    const h = newHome(t);
    writeFile(h.configPath, '{ gateway: { mode: "local" } }\n');
    const complete = `${JSON.stringify({ type: "session", id: "big" })}\n`;
    const file = path.join(h.stateDir, "agents/main/sessions/big.jsonl");
    writeFile(file, `${complete}{"type":"message","message":{"role":"tool","content":"${"x".repeat(100_000)}`);
    const out = path.join(scratchDir(t), "b.tar.gz");
    const r = await h.run(["backup", "create", "--output", out]);
    assert.equal(r.code, 0, show(r));
    const bm = readManifest(out).manifest;
    const entry = bm.entries.find((e) => e.path === inArchive(bm, file));
    assert.ok(entry);
    assert.equal(entry.size, Buffer.byteLength(complete), "the unfinished line went into the backup");
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Hostile archives
// ---------------------------------------------------------------------------------------------

/** A target HOME with some state, to check that nothing in it changes. */
function targetHome(t: After): Home {
  const h = newHome(t);
  writeFile(h.configPath, `{ gateway: { mode: "local", auth: { token: "${TOKEN}" } } }\n`);
  writeFile(path.join(h.stateDir, "credentials/whatsapp/creds.json"), '{"me":1}\n');
  writeFile(path.join(h.stateDir, "agents/main/sessions/sessions.json"), "{}\n");
  return h;
}

interface Crafted {
  label: string;
  entries: (marker: string) => CraftEntry[];
  problem: (marker: string) => RegExp;
  /** Paths that must not exist afterwards. */
  mustNotExist: (h: Home, marker: string) => string[];
}

const BENIGN: CraftEntry = { name: "state/ok.txt", flag: "0", data: Buffer.from("harmless\n"), mode: 0o600 };

const CRAFTED: Crafted[] = [
  {
    label: "an entry with `..` (state/../../escape-*.txt)",
    entries: (m) => [BENIGN, { name: `state/../../escape-${m}.txt`, flag: "0", data: Buffer.from("escaped\n") }],
    problem: (m) => new RegExp(`state/\\.\\./\\.\\./escape-${m}\\.txt: .*\\.\\.`),
    mustNotExist: (h, m) => [path.resolve(h.stateDir, "..", "..", `escape-${m}.txt`), path.resolve(ROOT, "..", `escape-${m}.txt`), path.resolve(h.stateDir, "..", `escape-${m}.txt`)],
  },
  {
    label: "an absolute path",
    entries: (m) => [BENIGN, { name: path.join(os.tmpdir(), `openclaw-abs-${m}`, "abs.txt"), flag: "0", data: Buffer.from("absolute\n") }],
    problem: (m) => new RegExp(`openclaw-abs-${m}/abs\\.txt: absolute path`),
    mustNotExist: (h, m) => [path.join(os.tmpdir(), `openclaw-abs-${m}`), path.join(h.stateDir, os.tmpdir().replace(/^\/+/, ""))],
  },
  {
    label: "a symlink that escapes (state/link → ../../../etc/passwd)",
    entries: () => [BENIGN, { name: "state/link", flag: "2", linkname: "../../../etc/passwd", mode: 0o777 }],
    problem: () => /state\/link: link to \.\.\/\.\.\/\.\.\/etc\/passwd escapes/,
    mustNotExist: (h) => [path.join(h.stateDir, "link")],
  },
  {
    label: "a character device",
    entries: () => [BENIGN, { name: "state/null", flag: "3", devmajor: 1, devminor: 3 }],
    problem: () => /state\/null: device file not allowed/,
    mustNotExist: (h) => [path.join(h.stateDir, "null")],
  },
  {
    label: "a fifo",
    entries: () => [BENIGN, { name: "state/pipe", flag: "6" }],
    problem: () => /state\/pipe: fifo not allowed/,
    mustNotExist: (h) => [path.join(h.stateDir, "pipe")],
  },
];

describe("hostile archives are refused and nothing is written", () => {
  for (const c of CRAFTED) {
    test(c.label, async (t) => {
      const h = targetHome(t);
      const marker = randomBytes(6).toString("hex");
      const entries = c.entries(marker);
      const archive = path.join(scratchDir(t), "crafted.tar.gz");
      writeFileSync(archive, tarGz([craftedManifest(h, entries), ...entries]), { mode: 0o600 });
      assert.equal(tarList(archive)[0], "manifest.json");
      const before = treeState(h.home);

      const v = await h.run(["backup", "verify", archive, "--json"]);
      assert.equal(v.code, 3, show(v));
      const report = parseJson<{ ok: boolean; problems: string[] }>(v, "backup verify --json");
      assert.equal(report.ok, false);
      assert.ok(report.problems.some((p) => c.problem(marker).test(p)), `no problem matches ${c.problem(marker)}: ${JSON.stringify(report.problems)}`);
      const human = await h.run(["backup", "verify", archive]);
      assert.equal(human.code, 3, show(human));
      assert.match(human.stdout, c.problem(marker));

      const r = await h.run(["backup", "restore", archive, "--json"]);
      assert.notEqual(r.code, 0, show(r));
      const err = parseJson<{ error: { code: string; hint?: string } }>(r, "backup restore --json");
      assert.equal(err.error.code, "CHECK_FAILED");
      const forced = await h.run(["backup", "restore", archive, "--force"]);
      assert.notEqual(forced.code, 0, show(forced));
      assert.match(forced.stderr, /Nothing was written/);

      assert.deepEqual(treeState(h.home), before, "the target HOME changed");
      assert.equal(exists(path.join(h.stateDir, "ok.txt")), false, "the harmless entry was written from a refused archive");
      for (const p of c.mustNotExist(h, marker)) assert.equal(exists(p), false, `${p} exists`);
    });
  }

  test("a checksum that does not match the manifest", async (t) => {
    const h = targetHome(t);
    const entries: CraftEntry[] = [BENIGN, { name: "state/credentials/extra.json", flag: "0", data: Buffer.from('{"k":"v"}\n') }];
    const archive = path.join(scratchDir(t), "tampered.tar.gz");
    const manifest = craftedManifest(h, entries, (e) => (e.path === "state/credentials/extra.json" ? { ...e, sha256: sha256("something else") } : e));
    writeFileSync(archive, tarGz([manifest, ...entries]), { mode: 0o600 });
    const before = treeState(h.home);

    const v = await h.run(["backup", "verify", archive, "--json"]);
    assert.equal(v.code, 3, show(v));
    const report = parseJson<{ ok: boolean; problems: string[] }>(v, "backup verify --json");
    assert.ok(report.problems.some((p) => /state\/credentials\/extra\.json: checksum mismatch/.test(p)), JSON.stringify(report.problems));
    const r = await h.run(["backup", "restore", archive]);
    assert.notEqual(r.code, 0, show(r));
    assert.deepEqual(treeState(h.home), before, "the target HOME changed");
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Interrupted create
// ---------------------------------------------------------------------------------------------

interface Spawned {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  stderr(): string;
}

function spawnCli(h: Home, argv: string[]): Spawned {
  const child = spawn(process.execPath, [BIN, ...argv], { env: h.env as NodeJS.ProcessEnv, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let running = true;
  child.stdout!.resume();
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
    child.once("error", (error) => {
      stderr += String(error);
      running = false;
      resolve({ code: null, signal: null });
    });
  });
  h.defer(async () => {
    if (running) {
      child.kill("SIGKILL");
      await exited;
    }
  });
  return { child, exited, isRunning: () => running, stderr: () => stderr };
}

/** A state dir with 300 MiB of incompressible data, so gzip takes seconds. */
function seedLarge(t: After): Home {
  const h = newHome(t);
  writeFile(h.configPath, '{ gateway: { mode: "local" } }\n');
  const fd = openSync(path.join(h.stateDir, "big.bin"), "w", 0o600);
  try {
    for (let i = 0; i < 300; i++) writeSync(fd, randomBytes(1 << 20));
  } finally {
    closeSync(fd);
  }
  return h;
}

const tempDirs = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith(".openclaw-backup-")) : []);

/** Starts `backup create` and waits until its temp dir next to the output holds part of the body. */
async function createUnderway(h: Home): Promise<{ spawned: Spawned; output: string; outDir: string; tmp: string }> {
  const outDir = path.join(h.home, "out");
  const output = path.join(outDir, "big.tar.gz");
  const spawned = spawnCli(h, ["backup", "create", "--output", output]);
  let tmp = "";
  await waitUntil(
    () => {
      if (!spawned.isRunning()) return true;
      const found = tempDirs(outDir)[0];
      if (!found) return false;
      tmp = path.join(outDir, found);
      return (statSync(path.join(tmp, "body.gz"), { throwIfNoEntry: false })?.size ?? 0) > 0;
    },
    60_000,
    "the .openclaw-backup-* temp dir with a partial body",
  );
  assert.ok(spawned.isRunning(), `backup create finished before it could be interrupted:\n${spawned.stderr()}`);
  assert.equal(existsSync(output), false, "the archive exists before the body is complete");
  return { spawned, output, outDir, tmp };
}

describe("an interrupted backup create leaves no archive", () => {
  test("SIGKILL midway: nothing at the output path", async (t) => {
    const h = seedLarge(t);
    const { spawned, output } = await createUnderway(h);
    spawned.child.kill("SIGKILL");
    const exit = await spawned.exited;
    assert.equal(exit.signal, "SIGKILL");
    assert.equal(existsSync(output), false, "a partial archive appeared at the output path");
  });

  test("SIGTERM midway: nothing at the output path and the temp dir is removed", async (t) => {
    const h = seedLarge(t);
    const { spawned, output, outDir, tmp } = await createUnderway(h);
    spawned.child.kill("SIGTERM");
    const exit = await spawned.exited;
    assert.ok(exit.signal === "SIGTERM" || exit.code !== 0, `backup create exited normally after SIGTERM: ${JSON.stringify(exit)}`);
    assert.equal(existsSync(output), false, "a partial archive appeared at the output path");
    assert.equal(existsSync(tmp), false, `${tmp} was left behind`);
    assert.deepEqual(tempDirs(outDir), []);
    assert.equal(existsSync(path.join(h.stateDir, "backups", "last-backup.json")), false, "an interrupted backup was recorded as the last backup");
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Restore under a running gateway
// ---------------------------------------------------------------------------------------------

/** `openclaw gateway --port <port>` for this home, waited on until it listens; SIGKILLed after the test. */
async function startGateway(h: Home, port: number): Promise<Spawned> {
  const g = spawnCli(h, ["gateway", "--port", String(port)]);
  h.defer(() => rmSync(gatewayLockFile(h.configPath), { force: true }));
  await waitUntil(() => !g.isRunning() || g.stderr().includes("gateway listening"), 20_000, "gateway listening");
  assert.ok(g.isRunning(), `the gateway exited early:\n${g.stderr()}`);
  return g;
}

test("restore refuses to write under a running gateway; --force stops it first and restores", async (t) => {
  const h = await seedState(t);
  const out = path.join(scratchDir(t), "full.tar.gz");
  const c = await h.run(["backup", "create", "--output", out]);
  assert.equal(c.code, 0, show(c));
  const creds = path.join(h.stateDir, "credentials/whatsapp/creds.json");
  const device = path.join(h.stateDir, "identity/device.json");
  unlinkSync(creds);
  writeFileSync(device, "modified while the gateway runs\n");

  const gw = await startGateway(h, h.port);
  assert.equal(await healthz(h.port), true);
  // The gateway's own log (logging.file) lives elsewhere under HOME; the restore's targets are these two trees.
  const snapshot = () => ({ state: treeState(h.stateDir), workspace: treeState(h.workspace) });
  const before = snapshot();

  for (const argv of [["backup", "restore", out], ["backup", "restore", out, "--only", "credentials"]]) {
    const r = await h.run(argv);
    assert.notEqual(r.code, 0, show(r));
    assert.equal(r.code, 73, show(r));
    assert.match(r.stderr, /gateway stop/, "the hint names `openclaw gateway stop`");
    assert.match(r.stderr, /--force/, "the hint names --force");
  }
  const json = await h.run(["backup", "restore", out, "--json"]);
  assert.equal(json.code, 73, show(json));
  assert.equal(parseJson<{ error: { code: string } }>(json, "restore --json").error.code, "GATEWAY_LOCKED");
  assert.deepEqual(snapshot(), before, "a refused restore changed files");
  assert.ok(gw.isRunning(), "the gateway was stopped without --force");
  assert.equal(await healthz(h.port), true);

  const forced = await h.run(["backup", "restore", out, "--force", "--json"]);
  assert.equal(forced.code, 0, show(forced));
  assert.match(forced.stderr, /stopped the gateway/);
  const exit = await gw.exited;
  assert.ok(exit.code !== null || exit.signal !== null);
  assert.equal(await healthz(h.port), false, "the gateway still answers after restore --force");
  assert.ok(readFileSync(creds).equals(h.files.get(creds)!), "credentials restored");
  assert.ok(readFileSync(device).equals(h.files.get(device)!), "identity restored");
  assert.equal(modeOf(creds), 0o600);
  assert.ok(readdirSync(path.join(h.stateDir, "backups")).some((d) => d.startsWith("pre-restore-")));
});

// ---------------------------------------------------------------------------------------------
// 5. doctor's backup-age finding
// ---------------------------------------------------------------------------------------------

test("doctor --json reports backup.stale until a backup is created", async (t) => {
  const h = newHome(t);
  writeFile(h.configPath, JSON5.stringify({ gateway: { mode: "local", auth: { mode: "token", token: TOKEN } } }, null, 2));
  type Doctor = { findings: Array<{ checkId: string; severity: string; fix?: string }> };

  const first = await h.run(["doctor", "--json"]);
  assert.ok(first.code === 0 || first.code === 3, show(first));
  const stale = parseJson<Doctor>(first, "doctor --json").findings.find((f) => f.checkId === "backup.stale");
  assert.ok(stale, `no backup.stale finding:\n${first.stdout}`);
  assert.match(stale.fix ?? "", /openclaw backup create/);

  const c = await h.run(["backup", "create", "--json"]);
  assert.equal(c.code, 0, show(c));
  const archive = parseJson<{ archive: string }>(c, "backup create --json").archive;
  assert.ok(archive.startsWith(path.join(h.home, "openclaw-backups")), `default output ${archive}`);
  assert.equal(modeOf(archive), 0o600);

  const second = await h.run(["doctor", "--json"]);
  assert.ok(second.code === 0 || second.code === 3, show(second));
  const ids = parseJson<Doctor>(second, "doctor --json").findings.map((f) => f.checkId);
  assert.ok(!ids.includes("backup.stale"), `backup.stale after backup create: ${ids.join(", ")}`);
});
