/** Agents from config, workspaces and bootstrap files, the system prompt's budgets, identity. */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import type { OpenClawConfig } from "../../config/index.js";
import { createStateLayout } from "../../infra/index.js";
import { parseIdentityMarkdown, resolveAgentIdentity } from "./identity.js";
import { buildSystemPrompt, TRUNCATION_NOTICE } from "./prompt.js";
import { listAgents, normalizeAgentId, resolveAgents } from "./resolve.js";
import { BOOTSTRAP_FILES } from "./templates.js";
import { ensureWorkspace, readWorkspaceFile, writeWorkspaceFile } from "./workspace.js";

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-agents-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const cfg = (agents: unknown) => ({ agents }) as OpenClawConfig;

describe("listAgents", () => {
  test("no agents → the implicit main", () => {
    assert.deepEqual(
      listAgents(cfg(undefined)).map((a) => [a.id, a.isDefault, a.source]),
      [["main", true, "implicit"]],
    );
  });

  test("list and entries both load; an entry for a listed id merges over it; ids are normalised", () => {
    const agents = listAgents(cfg({ list: [{ id: "Main" }, { id: "work", name: "Work" }], entries: { work: { model: "x/y" }, "Ops Team": { name: "Ops" } } }));
    assert.deepEqual(
      agents.map((a) => [a.id, a.name, a.source]),
      [
        ["main", undefined, "list"],
        ["work", "Work", "list"],
        ["ops-team", "Ops", "entries"],
      ],
    );
    assert.equal(agents[1]!.entry.model, "x/y");
  });

  test("default: systemAgent.agentId, else default: true, else the first", () => {
    const list = [{ id: "a" }, { id: "b", default: true }, { id: "c" }];
    assert.equal(listAgents(cfg({ list })).find((a) => a.isDefault)!.id, "b");
    assert.equal(listAgents(cfg({ list, defaults: { systemAgent: { agentId: "c" } } })).find((a) => a.isDefault)!.id, "c");
    assert.equal(listAgents(cfg({ list: [{ id: "a" }, { id: "b" }], defaults: { systemAgent: { agentId: "gone" } } })).find((a) => a.isDefault)!.id, "a");
    assert.equal(listAgents(cfg({ list })).filter((a) => a.isDefault).length, 1);
  });

  test("normalizeAgentId", () => {
    assert.equal(normalizeAgentId(" Work Bot! "), "work-bot");
    assert.equal(normalizeAgentId("../../etc"), "etc");
    assert.equal(normalizeAgentId("///"), "");
  });
});

describe("resolveAgents", () => {
  test("workspace, agentDir and limits per agent", (t) => {
    const home = tempDir(t);
    const env = { HOME: home };
    const layout = createStateLayout(path.join(home, ".openclaw"), { env });
    const agents = resolveAgents({
      config: cfg({
        defaults: { bootstrapMaxChars: 500, skipBootstrap: true, model: { primary: "anthropic/m" } },
        list: [{ id: "main" }, { id: "work", workspace: "~/w", bootstrapTotalMaxChars: 900, skipBootstrap: false, model: "openai/x" }, { id: "ops" }],
      }),
      layout,
      env,
    });
    const [main, work, ops] = agents;
    assert.equal(main!.workspace, path.join(home, ".openclaw", "workspace"));
    assert.equal(main!.agentDir, path.join(home, ".openclaw", "agents", "main", "agent"));
    assert.equal(main!.model, "anthropic/m");
    assert.equal(main!.skipBootstrap, true);
    assert.deepEqual([main!.bootstrapMaxChars, main!.bootstrapTotalMaxChars], [500, 60_000]);
    assert.equal(work!.workspace, path.join(home, "w"));
    assert.equal(work!.skipBootstrap, false);
    assert.equal(work!.model, "openai/x");
    assert.deepEqual([work!.bootstrapMaxChars, work!.bootstrapTotalMaxChars], [500, 900]);
    assert.equal(ops!.workspace, path.join(home, ".openclaw", "workspace-ops"));
    assert.equal(ops!.sessionsDir, path.join(home, ".openclaw", "agents", "ops", "sessions"));

    const rooted = resolveAgents({ config: cfg({ defaults: { workspace: "~/ws" }, list: [{ id: "main" }, { id: "ops" }] }), layout, env: { ...env, OPENCLAW_AGENT_DIR: "~/adir" } });
    assert.equal(rooted[0]!.workspace, path.join(home, "ws"));
    assert.equal(rooted[0]!.agentDir, path.join(home, "adir"), "OPENCLAW_AGENT_DIR applies to the default agent");
    assert.equal(rooted[1]!.workspace, path.join(home, "ws", "ops"));
    assert.equal(rooted[1]!.agentDir, path.join(home, ".openclaw", "agents", "ops", "agent"));
  });
});

describe("workspace bootstrap", () => {
  test("creates the five files once, never overwrites, skipBootstrap creates none", (t) => {
    const dir = tempDir(t);
    const ws = path.join(dir, "ws");
    const first = ensureWorkspace({ workspace: ws, skipBootstrap: false });
    assert.deepEqual([...first.created].sort(), [...BOOTSTRAP_FILES].sort());
    for (const f of BOOTSTRAP_FILES) assert.ok(readFileSync(path.join(ws, f), "utf8").startsWith(`# ${f}`), f);
    writeFileSync(path.join(ws, "SOUL.md"), "mine");
    rmSync(path.join(ws, "USER.md"));
    const second = ensureWorkspace({ workspace: ws, skipBootstrap: false });
    assert.deepEqual(second.created, ["USER.md"]);
    assert.equal(readFileSync(path.join(ws, "SOUL.md"), "utf8"), "mine");

    const bare = path.join(dir, "bare");
    assert.deepEqual(ensureWorkspace({ workspace: bare, skipBootstrap: true }), { workspace: bare, created: [], skipped: true });
    assert.deepEqual(readdirSync(bare), []);
  });

  test("files: named ones only, symlinks refused", (t) => {
    const ws = tempDir(t);
    const outside = path.join(tempDir(t), "secret.txt");
    writeFileSync(outside, "secret");
    symlinkSync(outside, path.join(ws, "MEMORY.md"));
    assert.throws(() => readWorkspaceFile(ws, "MEMORY.md"), /does not exist/);
    assert.throws(() => writeWorkspaceFile(ws, "MEMORY.md", "x"), /symbolic link/);
    assert.equal(readFileSync(outside, "utf8"), "secret");
    assert.throws(() => writeWorkspaceFile(ws, "../x.md", "x"), /unsupported workspace file/);
    assert.ok(!existsSync(path.join(ws, "..", "x.md")));
  });
});

describe("system prompt", () => {
  function workspace(t: { after(fn: () => void): void }, files: Record<string, string>): string {
    const ws = tempDir(t);
    mkdirSync(ws, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(ws, name), text);
    return ws;
  }

  test("files in order; missing required ones marked; optional ones left out; no notice when nothing is cut", (t) => {
    const ws = workspace(t, { "SOUL.md": "soul", "AGENTS.md": "agents", "USER.md": "user" });
    const p = buildSystemPrompt({ id: "main", workspace: ws, bootstrapMaxChars: 100, bootstrapTotalMaxChars: 1000 });
    assert.ok(p.text.indexOf("## AGENTS.md\nagents") < p.text.indexOf("## SOUL.md\nsoul"));
    assert.match(p.text, /## TOOLS\.md\n\[missing file: TOOLS\.md\]/);
    assert.doesNotMatch(p.text, /MEMORY\.md/);
    assert.equal(p.truncated, false);
    assert.ok(!p.text.includes(TRUNCATION_NOTICE));
  });

  test("an edit between turns is seen: same length, same second; a new file appears; a removed one is marked missing", (t) => {
    const ws = workspace(t, { "SOUL.md": "calm", "AGENTS.md": "agents" });
    const agent = { id: "main", workspace: ws, bootstrapMaxChars: 100, bootstrapTotalMaxChars: 1000 };
    assert.match(buildSystemPrompt(agent).text, /## SOUL\.md\ncalm/);
    writeFileSync(path.join(ws, "SOUL.md"), "bold");
    assert.match(buildSystemPrompt(agent).text, /## SOUL\.md\nbold/);
    writeFileSync(path.join(ws, "MEMORY.md"), "remember");
    assert.match(buildSystemPrompt(agent).text, /## MEMORY\.md\nremember/);
    rmSync(path.join(ws, "SOUL.md"));
    assert.match(buildSystemPrompt(agent).text, /\[missing file: SOUL\.md\]/);
  });

  test("a file over bootstrapMaxChars keeps head and tail with a marker, and the notice is added", (t) => {
    const body = `HEAD${"a".repeat(5000)}TAIL`;
    const ws = workspace(t, { "AGENTS.md": body });
    const p = buildSystemPrompt({ id: "main", workspace: ws, bootstrapMaxChars: 300, bootstrapTotalMaxChars: 10_000 });
    const f = p.files.find((x) => x.name === "AGENTS.md")!;
    assert.deepEqual([f.truncated, f.rawChars, f.injectedChars], [true, body.length, 300]);
    const section = p.text.slice(p.text.indexOf("## AGENTS.md\n") + 13).split("\n\n## ")[0]!;
    assert.ok(section.startsWith("HEAD") && section.endsWith("TAIL"), section);
    assert.match(section, /AGENTS\.md truncated: (about )?4708 of 5008 characters omitted/);
    assert.ok(p.text.includes(TRUNCATION_NOTICE));
    assert.equal(readFileSync(path.join(ws, "AGENTS.md"), "utf8"), body, "the file on disk is unchanged");
  });

  test("the total budget is shared: later files are cut or left out, never over the total", (t) => {
    const ws = workspace(t, { "AGENTS.md": "a".repeat(400), "SOUL.md": "s".repeat(400), "TOOLS.md": "t".repeat(400), "IDENTITY.md": "i".repeat(400), "MEMORY.md": "m".repeat(400) });
    const p = buildSystemPrompt({ id: "main", workspace: ws, bootstrapMaxChars: 400, bootstrapTotalMaxChars: 1000 });
    assert.equal(p.totalInjectedChars, 1000);
    assert.deepEqual(
      p.files.map((f) => [f.name, f.injectedChars, f.truncated]),
      [
        ["AGENTS.md", 400, false],
        ["SOUL.md", 400, false],
        ["TOOLS.md", 200, true],
        ["IDENTITY.md", 0, true],
        ["MEMORY.md", 0, true],
      ],
    );
    assert.ok(p.truncated);
  });

  test("a huge MEMORY.md is read only up to its budget", (t) => {
    const ws = workspace(t, { "MEMORY.md": `${"m".repeat(3_000_000)}END` });
    const p = buildSystemPrompt({ id: "main", workspace: ws, bootstrapMaxChars: 1000, bootstrapTotalMaxChars: 5000 });
    const f = p.files.find((x) => x.name === "MEMORY.md")!;
    assert.equal(f.injectedChars, 1000);
    assert.equal(f.rawChars, 3_000_003);
    assert.ok(f.truncated);
  });
});

describe("identity", () => {
  test("IDENTITY.md lines; config wins; name falls back to the agent name", (t) => {
    assert.deepEqual(parseIdentityMarkdown("# x\n- **Name:** Claw\n- **Emoji:**\nVibe: calm\n- **Avatar:** (later)\n"), { name: "Claw", theme: "calm" });
    const ws = tempDir(t);
    writeFileSync(path.join(ws, "IDENTITY.md"), "- **Name:** FromFile\n- **Emoji:** 🦞\n");
    assert.deepEqual(resolveAgentIdentity({ id: "a", workspace: ws, identity: { name: "Cfg" } }), { agentId: "a", name: "Cfg", emoji: "🦞" });
    assert.deepEqual(resolveAgentIdentity({ id: "b", name: "Bee", workspace: path.join(ws, "none"), identity: {} }), { agentId: "b", name: "Bee" });
  });
});
