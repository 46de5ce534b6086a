import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { tempDirFactory } from "../../test/helpers/temp.js";
import { AppError } from "../shared/index.js";
import { ensureDir, writeFileAtomic } from "./fs-safe.js";
import { createStateLayout, resolveConfigPath, resolveHomeDir, resolvePaths, resolveStateDir } from "./paths.js";

const tempHome = tempDirFactory("paths");

function touch(file: string, text = "{}\n"): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe("resolveHomeDir", () => {
  test("HOME, then OPENCLAW_HOME overrides it", () => {
    const home = tempHome();
    assert.equal(resolveHomeDir({ HOME: home }), home);
    assert.equal(resolveHomeDir({ HOME: home, OPENCLAW_HOME: "/srv/openclaw" }), "/srv/openclaw");
  });

  test("OPENCLAW_HOME may start with ~", () => {
    const home = tempHome();
    assert.equal(resolveHomeDir({ HOME: home, OPENCLAW_HOME: "~" }), home);
    assert.equal(resolveHomeDir({ HOME: home, OPENCLAW_HOME: "~/alt" }), path.join(home, "alt"));
  });

  test("USERPROFILE is used when HOME is unset or blank", () => {
    const home = tempHome();
    assert.equal(resolveHomeDir({ HOME: "  ", USERPROFILE: home }), home);
  });
});

describe("resolveStateDir", () => {
  test("OPENCLAW_STATE_DIR wins, ~ expanded", () => {
    const home = tempHome();
    fs.mkdirSync(path.join(home, ".openclaw"));
    assert.deepEqual(resolveStateDir({ HOME: home, OPENCLAW_STATE_DIR: "/opt/oc-state" }), { stateDir: "/opt/oc-state", source: "env" });
    assert.deepEqual(resolveStateDir({ HOME: home, OPENCLAW_STATE_DIR: " ~/custom " }), { stateDir: path.join(home, "custom"), source: "env" });
  });

  test("explicit OPENCLAW_STATE_DIR beats OPENCLAW_HOME", () => {
    const home = tempHome();
    assert.equal(resolveStateDir({ HOME: home, OPENCLAW_HOME: "/srv/oc", OPENCLAW_STATE_DIR: "/opt/state" }).stateDir, "/opt/state");
    assert.equal(resolveStateDir({ HOME: home, OPENCLAW_HOME: "/srv/oc" }).stateDir, path.join("/srv/oc", ".openclaw"));
  });

  test("~/.openclaw when it exists, even if a legacy dir exists too", () => {
    const home = tempHome();
    fs.mkdirSync(path.join(home, ".openclaw"));
    fs.mkdirSync(path.join(home, ".clawdbot"));
    assert.deepEqual(resolveStateDir({ HOME: home }), { stateDir: path.join(home, ".openclaw"), source: "default" });
  });

  test("the legacy ~/.clawdbot when only it exists", () => {
    const home = tempHome();
    fs.mkdirSync(path.join(home, ".clawdbot"));
    assert.deepEqual(resolveStateDir({ HOME: home }), { stateDir: path.join(home, ".clawdbot"), source: "legacy" });
  });

  test("~/.openclaw by default when nothing exists", () => {
    const home = tempHome();
    assert.deepEqual(resolveStateDir({ HOME: home }), { stateDir: path.join(home, ".openclaw"), source: "default" });
    assert.equal(fs.existsSync(path.join(home, ".openclaw")), false);
  });

  test("a blank OPENCLAW_STATE_DIR is ignored", () => {
    const home = tempHome();
    assert.equal(resolveStateDir({ HOME: home, OPENCLAW_STATE_DIR: "   " }).source, "default");
  });
});

describe("resolveConfigPath", () => {
  test("OPENCLAW_CONFIG_PATH wins, ~ expanded", () => {
    const home = tempHome();
    touch(path.join(home, ".openclaw", "openclaw.json"));
    assert.equal(resolveConfigPath({ HOME: home, OPENCLAW_CONFIG_PATH: "~/cfg/oc.json5" }), path.join(home, "cfg", "oc.json5"));
  });

  test("openclaw.json in the state dir beats the legacy name", () => {
    const home = tempHome();
    const main = touch(path.join(home, ".openclaw", "openclaw.json"));
    touch(path.join(home, ".openclaw", "clawdbot.json"));
    assert.equal(resolveConfigPath({ HOME: home }), main);
  });

  test("the legacy clawdbot.json in the state dir when openclaw.json is absent", () => {
    const home = tempHome();
    const legacy = touch(path.join(home, ".openclaw", "clawdbot.json"));
    assert.equal(resolveConfigPath({ HOME: home }), legacy);
  });

  test("the legacy state dir's config when only the legacy dir exists", () => {
    const home = tempHome();
    const legacy = touch(path.join(home, ".clawdbot", "clawdbot.json"));
    assert.equal(resolveConfigPath({ HOME: home }), legacy);
  });

  test("<stateDir>/openclaw.json when OPENCLAW_STATE_DIR is set and nothing exists", () => {
    const home = tempHome();
    touch(path.join(home, ".openclaw", "openclaw.json"));
    const state = path.join(home, "elsewhere");
    assert.equal(resolveConfigPath({ HOME: home, OPENCLAW_STATE_DIR: state }), path.join(state, "openclaw.json"));
  });

  test("~/.openclaw/openclaw.json by default", () => {
    const home = tempHome();
    assert.equal(resolveConfigPath({ HOME: home }), path.join(home, ".openclaw", "openclaw.json"));
  });
});

describe("createStateLayout / resolvePaths", () => {
  test("layout paths under the state dir", () => {
    const home = tempHome();
    const state = path.join(home, ".openclaw");
    const layout = createStateLayout(state, { env: { HOME: home } });
    assert.equal(layout.agentDir("main"), path.join(state, "agents", "main", "agent"));
    assert.equal(layout.sessionsDir("main"), path.join(state, "agents", "main", "sessions"));
    assert.equal(layout.sessionStoreFile("main"), path.join(state, "agents", "main", "sessions", "sessions.json"));
    assert.equal(layout.authProfilesFile("ops"), path.join(state, "agents", "ops", "agent", "auth-profiles.json"));
    assert.equal(layout.credentialsDir, path.join(state, "credentials"));
    assert.equal(layout.envFile, path.join(state, ".env"));
    assert.equal(layout.logsDir, path.join(state, "logs"));
    assert.equal(layout.defaultWorkspaceDir, path.join(state, "workspace"));
  });

  test("a named profile's workspace is ~/.openclaw/workspace-<profile>", () => {
    const home = tempHome();
    const state = path.join(home, ".openclaw-rescue");
    assert.equal(createStateLayout(state, { profile: "rescue", env: { HOME: home } }).defaultWorkspaceDir, path.join(home, ".openclaw", "workspace-rescue"));
    assert.equal(createStateLayout(path.join(home, ".openclaw"), { profile: "default", env: { HOME: home } }).defaultWorkspaceDir, path.join(home, ".openclaw", "workspace"));
  });

  test("OPENCLAW_OAUTH_DIR overrides the credentials dir", () => {
    const home = tempHome();
    const layout = createStateLayout(path.join(home, ".openclaw"), { env: { HOME: home, OPENCLAW_OAUTH_DIR: "~/creds" } });
    assert.equal(layout.credentialsDir, path.join(home, "creds"));
  });

  test("resolvePaths ties it together", () => {
    const home = tempHome();
    const paths = resolvePaths({ HOME: home, OPENCLAW_PROFILE: "work", OPENCLAW_STATE_DIR: "~/.openclaw-work" });
    assert.equal(paths.home, home);
    assert.equal(paths.profile, "work");
    assert.equal(paths.stateDir, path.join(home, ".openclaw-work"));
    assert.equal(paths.stateDirSource, "env");
    assert.equal(paths.configPath, path.join(home, ".openclaw-work", "openclaw.json"));
    assert.equal(paths.layout.defaultWorkspaceDir, path.join(home, ".openclaw", "workspace-work"));
  });
});

describe("fs-safe", () => {
  test("ensureDir creates every missing directory with mode 0700", () => {
    const base = tempHome();
    const deep = path.join(base, "a", "b", "c");
    ensureDir(deep);
    for (const d of [path.join(base, "a"), path.join(base, "a", "b"), deep]) assert.equal(mode(d), 0o700, d);
    ensureDir(deep); // existing: no error
  });

  test("writeFileAtomic writes the data with the given mode (default 0600)", () => {
    const dir = tempHome();
    const a = path.join(dir, "sub", "a.json");
    writeFileAtomic(a, "hello\n");
    assert.equal(fs.readFileSync(a, "utf8"), "hello\n");
    assert.equal(mode(a), 0o600);
    assert.equal(mode(path.dirname(a)), 0o700);
    const b = path.join(dir, "b.bin");
    writeFileAtomic(b, Uint8Array.from([0, 1, 2, 255]), { mode: 0o640 });
    assert.deepEqual([...fs.readFileSync(b)], [0, 1, 2, 255]);
    assert.equal(mode(b), 0o640);
  });

  test("writeFileAtomic keeps the previous version as .bak only when asked", () => {
    const dir = tempHome();
    const file = touch(path.join(dir, "c.json"), "v1 café\n");
    writeFileAtomic(file, "v2\n");
    assert.equal(fs.existsSync(`${file}.bak`), false);
    writeFileAtomic(file, "v3\n", { backup: true });
    assert.equal(fs.readFileSync(file, "utf8"), "v3\n");
    assert.ok(fs.readFileSync(`${file}.bak`).equals(Buffer.from("v2\n")));
    assert.equal(mode(`${file}.bak`), 0o600);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["c.json", "c.json.bak"]);
  });

  test("failure: the target's directory is a regular file", () => {
    const dir = tempHome();
    const blocker = touch(path.join(dir, "blocker"), "original bytes");
    const before = fs.readFileSync(blocker);
    assert.throws(
      () => writeFileAtomic(path.join(blocker, "x.json"), "new"),
      (error: unknown) => error instanceof AppError && error.code === "FS",
    );
    assert.ok(fs.readFileSync(blocker).equals(before));
    assert.deepEqual(fs.readdirSync(dir), ["blocker"]);
  });

  test("failure after the temp file was written leaves the original byte-identical and no temp files", () => {
    const dir = tempHome();
    const file = touch(path.join(dir, "d.json"), "original\n");
    const before = fs.readFileSync(file);
    fs.mkdirSync(`${file}.bak`); // the backup copy cannot be made
    assert.throws(
      () => writeFileAtomic(file, "replacement\n", { backup: true }),
      (error: unknown) => error instanceof AppError && error.code === "FS",
    );
    assert.ok(fs.readFileSync(file).equals(before));
    assert.deepEqual(fs.readdirSync(dir).sort(), ["d.json", "d.json.bak"]);
  });

  test("failure: read-only directory", { skip: process.getuid?.() === 0 ? "root ignores directory modes" : false }, () => {
    const dir = tempHome();
    const file = touch(path.join(dir, "e.json"), "original\n");
    const before = fs.readFileSync(file);
    fs.chmodSync(dir, 0o500);
    try {
      assert.throws(
        () => writeFileAtomic(file, "replacement\n", { backup: true }),
        (error: unknown) => error instanceof AppError && error.code === "FS",
      );
    } finally {
      fs.chmodSync(dir, 0o700);
    }
    assert.ok(fs.readFileSync(file).equals(before));
    assert.deepEqual(fs.readdirSync(dir), ["e.json"]);
  });
});
