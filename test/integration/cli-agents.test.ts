/**
 * `openclaw agents list|add|delete [--json]`: add writes through the config editor (comments kept)
 * and bootstraps the workspace; delete refuses the default without --force and the only agent
 * always, and never deletes files. OpenClaw's own CLI reads what `agents add` wrote (when installed).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { runBinary, runInProcess, tempHome } from "../helpers/cli.js";
import { REAL_CLI, runReal } from "../interop/real-openclaw.js";

type Listed = Array<{ id: string; name?: string; isDefault: boolean; workspace: string; agentDir: string; bindings: number; model?: string }>;

function setup(t: { after(fn: () => void): void }, text?: string) {
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir, { recursive: true });
  const configPath = path.join(stateDir, "openclaw.json");
  if (text !== undefined) writeFileSync(configPath, text);
  const cli = (...argv: string[]) => runInProcess(argv, { env });
  return { home, env, stateDir, configPath, cli };
}

describe("openclaw agents", () => {
  test("list on a fresh home: the implicit main, default, in the state dir", async (t) => {
    const { cli, stateDir } = setup(t);
    const r = await cli("agents", "list", "--json");
    assert.equal(r.code, 0, r.stderr);
    const agents = JSON.parse(r.stdout) as Listed;
    assert.deepEqual(agents, [{ id: "main", workspace: path.join(stateDir, "workspace"), agentDir: path.join(stateDir, "agents", "main", "agent"), bindings: 0, isDefault: true }]);
    const human = await cli("agents");
    assert.equal(human.code, 0);
    assert.match(human.stdout, /^- main \(default\)$/m);
    assert.match(human.stdout, /Workspace: ~\/\.openclaw\/workspace/);
  });

  test("add keeps comments, makes ownership explicit, bootstraps the workspace; a second add of the id conflicts", async (t) => {
    const { cli, configPath, home } = setup(t, '{\n  // keep me\n  gateway: { mode: "local" },\n}\n');
    const ws = path.join(home, "work-ws");
    const r = await cli("agents", "add", "Work", "--workspace", "~/work-ws", "--model", "openai/gpt-5", "--json");
    assert.equal(r.code, 0, r.stderr);
    const added = JSON.parse(r.stdout) as { agentId: string; workspace: string; bootstrap: { created: string[] } };
    assert.equal(added.agentId, "work");
    assert.equal(added.workspace, ws);
    assert.deepEqual([...added.bootstrap.created].sort(), ["AGENTS.md", "IDENTITY.md", "SOUL.md", "TOOLS.md", "USER.md"]);
    const text = readFileSync(configPath, "utf8");
    assert.match(text, /\/\/ keep me/);
    assert.match(text, /ownership/);
    assert.ok(existsSync(`${configPath}.bak`));

    const listed = JSON.parse((await cli("agents", "list", "--json")).stdout) as Listed;
    assert.deepEqual(
      listed.map((a) => [a.id, a.isDefault, a.model, a.workspace]),
      [
        ["main", true, undefined, path.join(home, ".openclaw", "workspace")],
        ["work", false, "openai/gpt-5", ws],
      ],
    );

    const again = await cli("agents", "add", "work", "--json");
    assert.equal(again.code, 1);
    const err = JSON.parse(again.stdout) as { error: { code: string; message: string } };
    assert.equal(err.error.code, "CONFIG_CONFLICT");
    assert.match(err.error.message, /agent "work" already exists/);
    const bad = await cli("agents", "add", "!!!");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /cannot make an agent id/);
  });

  test("delete: default refused without --force, only agent always, files kept", async (t) => {
    const { cli, configPath, stateDir } = setup(t, '{ agents: { list: [{ id: "main" }, { id: "work" }] } }\n');
    assert.equal((await cli("agents", "add", "ops")).code, 0);
    const opsWs = path.join(stateDir, "workspace-ops");
    assert.ok(existsSync(path.join(opsWs, "SOUL.md")));

    const refused = await cli("agents", "delete", "main");
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /default agent; refusing to delete it/);
    assert.match(refused.stderr, /--force/);
    assert.match(readFileSync(configPath, "utf8"), /"main"|main/);

    const del = await cli("agents", "delete", "ops", "--json");
    assert.equal(del.code, 0, del.stderr);
    const out = JSON.parse(del.stdout) as { agentId: string; retained: { workspace: string } };
    assert.equal(out.retained.workspace, opsWs);
    assert.ok(existsSync(path.join(opsWs, "SOUL.md")), "workspace kept");
    assert.doesNotMatch(readFileSync(configPath, "utf8"), /ops"/);

    const forced = await cli("agents", "delete", "main", "--force", "--json");
    assert.equal(forced.code, 0, forced.stderr);
    const listed = JSON.parse((await cli("agents", "list", "--json")).stdout) as Listed;
    assert.deepEqual(
      listed.map((a) => [a.id, a.isDefault, a.workspace]),
      [["work", true, path.join(stateDir, "workspace-work")]],
      "the new default keeps its workspace (pinned), it does not move to the shared one",
    );
    const only = await cli("agents", "delete", "work", "--force");
    assert.equal(only.code, 2);
    assert.match(only.stderr, /only configured agent/);
    const unknown = await cli("agents", "delete", "ghost");
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /agent "ghost" is not configured/);
  });

  test("an unparseable config is one error with file:line; nothing is written", async (t) => {
    const { cli, configPath } = setup(t, "{\n  agents: { list: [ }\n");
    for (const argv of [
      ["agents", "list"],
      ["agents", "add", "x"],
    ]) {
      const r = await cli(...argv);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /openclaw\.json:2/);
    }
    assert.equal(readFileSync(configPath, "utf8"), "{\n  agents: { list: [ }\n");
  });

  test("the built binary: agents add then list", async (t) => {
    const { env } = setup(t);
    const add = await runBinary(["agents", "add", "lab", "--json"], { env });
    assert.equal(add.code, 0, add.stderr);
    const list = await runBinary(["agents", "list", "--json"], { env });
    assert.deepEqual(
      (JSON.parse(list.stdout) as Listed).map((a) => a.id),
      ["main", "lab"],
    );
  });

  test("OpenClaw's own CLI lists the agents our `agents add` wrote", { skip: REAL_CLI.skip }, async (t) => {
    const { cli, home } = setup(t, '{ gateway: { mode: "local" } }\n');
    assert.equal((await cli("agents", "add", "work", "--workspace", path.join(home, "w"))).code, 0);
    const r = await runReal(["agents", "list", "--json"], { home });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const agents = JSON.parse(r.stdout) as Listed;
    assert.deepEqual(
      agents.map((a) => [a.id, a.isDefault, a.workspace]),
      [
        ["main", true, path.join(home, ".openclaw", "workspace")],
        ["work", false, path.join(home, "w")],
      ],
    );
  });
});
