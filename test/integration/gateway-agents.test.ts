/**
 * The agents subsystem's RPC against a real gateway and the real client: agents.list/create/update/
 * delete (through the config editor, comments kept, workspaces bootstrapped and never deleted),
 * agents.files.*, agent.identity.get, sessions.preview/patch/reset/delete, scopes, and models.list.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { GatewayClient } from "../../src/client/index.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

type Agent = { id: string; name?: string; isDefault: boolean; workspace?: string; agentDir?: string; identity: Record<string, unknown> };

/** The call fails with `code` (the AppError code in the wire details, else the wire code) and a message matching `pattern`. */
async function rejects(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error & { wire?: { code: string; details?: { code?: string } } }) => {
    assert.match(e.message, pattern);
    assert.equal(e.wire?.details?.code ?? e.wire?.code, code, e.message);
    return true;
  });
}

describe("agents RPC", () => {
  test("list, create (comment kept, workspace bootstrapped), update, identity, delete (default refused, files kept)", async (t) => {
    const gw = await startTestGateway(t, { config: { agents: { list: [{ id: "main", name: "Main" }] } } });
    writeFileSync(gw.configPath, `// my agents — this comment must survive edits\n${readFileSync(gw.configPath, "utf8")}`);
    const c = await gw.connect();
    t.after(() => c.close());

    const first = (await c.call("agents.list", {})) as { defaultId: string; mainKey: string; agents: Agent[] };
    assert.equal(first.defaultId, "main");
    assert.deepEqual(
      first.agents.map((a) => [a.id, a.isDefault]),
      [["main", true]],
    );
    // The default workspace was bootstrapped on start.
    const mainWs = first.agents[0]!.workspace!;
    assert.equal(mainWs, path.join(gw.stateDir, "workspace"));
    for (const f of ["AGENTS.md", "SOUL.md", "USER.md", "IDENTITY.md", "TOOLS.md"]) assert.ok(existsSync(path.join(mainWs, f)), f);

    const created = (await c.call("agents.create", { name: "Work Bot", emoji: "🛠" })) as { agentId: string; workspace: string };
    assert.equal(created.agentId, "work-bot");
    assert.equal(created.workspace, path.join(gw.stateDir, "workspace-work-bot"));
    for (const f of ["AGENTS.md", "SOUL.md", "USER.md", "IDENTITY.md", "TOOLS.md"]) assert.ok(existsSync(path.join(created.workspace, f)), f);
    const text = readFileSync(gw.configPath, "utf8");
    assert.match(text, /this comment must survive edits/);
    assert.match(text, /work-bot/);

    await rejects(c.call("agents.create", { name: "work-bot" }), "CONFIG_CONFLICT", /already exists/);
    await rejects(c.call("agents.create", { name: "x", agentId: "Bad Id" }), "USAGE", /invalid agent id/);
    await rejects(c.call("agents.create", { name: "rel", workspace: "some/dir" }), "USAGE", /is relative/);

    const listed = (await c.call("agents.list", {})) as { agents: Agent[] };
    assert.deepEqual(
      listed.agents.map((a) => a.id),
      ["main", "work-bot"],
    );
    assert.equal(listed.agents[1]!.identity.emoji, "🛠");

    await c.call("agents.update", { agentId: "work-bot", name: "Work", identity: { name: "Wrench", emoji: "🔧" } });
    const identity = (await c.call("agent.identity.get", { sessionKey: "agent:work-bot:main" })) as Record<string, unknown>;
    assert.deepEqual(identity, { agentId: "work-bot", name: "Wrench", emoji: "🔧" });
    // Without config identity, IDENTITY.md fills in.
    writeFileSync(path.join(mainWs, "IDENTITY.md"), "# IDENTITY\n- **Name:** Claw\n- **Emoji:** 🦞\n- **Vibe:** dry\n");
    assert.deepEqual(await c.call("agent.identity.get", {}), { agentId: "main", name: "Claw", emoji: "🦞", theme: "dry" });
    await rejects(c.call("agent.identity.get", { agentId: "nobody" }), "NOT_FOUND", /not configured.*|nobody/);

    await rejects(c.call("agents.delete", { agentId: "main" }), "USAGE", /default agent/);
    await rejects(c.call("agents.delete", { agentId: "work-bot", deleteFiles: true }), "USAGE", /never deletes files/);
    const del = (await c.call("agents.delete", { agentId: "work-bot" })) as { retained: { workspace: string } };
    assert.ok(existsSync(path.join(del.retained.workspace, "SOUL.md")), "workspace kept");
    assert.doesNotMatch(readFileSync(gw.configPath, "utf8"), /work-bot/);
    assert.match(readFileSync(gw.configPath, "utf8"), /this comment must survive edits/);
    await rejects(c.call("agents.delete", { agentId: "main", force: true }), "USAGE", /only configured agent/);
  });

  test("concurrent agents.create calls on a list-form config all land (no lost update)", async (t) => {
    const gw = await startTestGateway(t, { config: { agents: { list: [{ id: "main", default: true }] } } });
    const c = await gw.connect();
    t.after(() => c.close());
    const names = ["a1", "a2", "a3", "a4", "a5", "a6"];
    await Promise.all(names.map((name) => c.call("agents.create", { name })));
    const r = (await c.call("agents.list", {})) as { agents: Agent[] };
    assert.deepEqual(r.agents.map((a) => a.id).sort(), ["main", ...names].sort());
  });

  test("agents.files list/get/set: names allowlisted, content round-trips, paths only for admin", async (t) => {
    // auth.mode none: connections get the scopes they declare (a token grants admin).
    const gw = await startTestGateway(t, { config: { agents: { defaults: { skipBootstrap: true } }, gateway: { auth: { mode: "none" } } } });
    const c = await gw.connect();
    t.after(() => c.close());
    const listed = (await c.call("agents.files.list", { agentId: "main" })) as { workspace: string; files: Array<{ name: string; missing: boolean }> };
    assert.ok(listed.files.every((f) => f.missing), "skipBootstrap created nothing");
    assert.deepEqual(readdirSync(listed.workspace), []);
    await rejects(c.call("agents.files.get", { agentId: "main", name: "SOUL.md" }), "NOT_FOUND", /does not exist/);
    await c.call("agents.files.set", { agentId: "main", name: "SOUL.md", content: "be kind\n" });
    const got = (await c.call("agents.files.get", { agentId: "main", name: "SOUL.md" })) as { file: { content: string; path: string } };
    assert.equal(got.file.content, "be kind\n");
    assert.equal(got.file.path, path.join(listed.workspace, "SOUL.md"));
    for (const bad of ["../openclaw.json", "/etc/passwd", "notes.txt", "memory/x.md"]) {
      await rejects(c.call("agents.files.set", { agentId: "main", name: bad, content: "x" }), "USAGE", /unsupported workspace file/);
    }
    assert.ok(!existsSync(path.join(gw.stateDir, "notes.txt")));

    const reader = await GatewayClient.connect({ url: gw.url, token: gw.token, timeoutMs: 3000, clientId: "test", clientMode: "test", scopes: ["operator.read"] });
    t.after(() => reader.close());
    const seen = (await reader.call("agents.files.get", { agentId: "main", name: "SOUL.md" })) as { workspace: string; file: Record<string, unknown> };
    assert.equal(seen.workspace, "[redacted]");
    assert.equal(seen.file.path, undefined);
    const list = (await reader.call("agents.list", {})) as { agents: Agent[] };
    assert.equal(list.agents[0]!.workspace, undefined);
    await rejects(reader.call("agents.files.set", { agentId: "main", name: "SOUL.md", content: "x" }), "MISSING_SCOPE", /missing scope/);
    await rejects(reader.call("agents.create", { name: "x" }), "MISSING_SCOPE", /missing scope/);
    assert.equal(readFileSync(path.join(listed.workspace, "SOUL.md"), "utf8"), "be kind\n");
  });

  test("agents.entries form loads, merges with list, and create keeps the entries form", async (t) => {
    const gw = await startTestGateway(t, {
      config: { agents: { defaults: { skipBootstrap: true, systemAgent: { agentId: "home" } }, entries: { ops: { name: "Ops" }, home: { workspace: "~/home-ws" } } } },
    });
    const c = await gw.connect();
    t.after(() => c.close());
    const r = (await c.call("agents.list", {})) as { defaultId: string; agents: Agent[] };
    assert.equal(r.defaultId, "home");
    assert.deepEqual(
      r.agents.map((a) => [a.id, a.isDefault, a.workspace]),
      [
        ["ops", false, path.join(gw.stateDir, "workspace-ops")],
        ["home", true, path.join(gw.home, "home-ws")],
      ],
    );
    await c.call("agents.create", { name: "Lab", workspace: path.join(gw.home, "lab") });
    const cfg = readFileSync(gw.configPath, "utf8");
    assert.match(cfg, /"?entries"?[\s\S]*"?lab"?\s*:/);
    assert.doesNotMatch(cfg, /"list"/);
  });
});

describe("sessions RPC", () => {
  function seed(gw: TestGateway): { dir: string; storeFile: string } {
    const dir = path.join(gw.stateDir, "agents", "main", "sessions");
    mkdirSync(dir, { recursive: true });
    const storeFile = path.join(dir, "sessions.json");
    const now = Date.now();
    writeFileSync(
      storeFile,
      JSON.stringify({
        "agent:main:main": { sessionId: "s-1", updatedAt: now, chatType: "direct", thinkingLevel: "low", inputTokens: 10 },
        "agent:main:telegram:group:7": { sessionId: "s-2", updatedAt: now - 1000 },
      }),
    );
    const line = (role: string, text: string) => JSON.stringify({ type: "message", id: text, message: { role, content: [{ type: "text", text }] } });
    writeFileSync(
      path.join(dir, "s-1.jsonl"),
      [JSON.stringify({ type: "session", id: "s-1" }), line("user", "hello there"), line("assistant", "x".repeat(500)), "{torn"].join("\n"),
    );
    return { dir, storeFile };
  }

  test("preview, patch (null clears), reset (archives .reset.<ts>), delete (archives .deleted.<ts>)", async (t) => {
    const gw = await startTestGateway(t);
    const { dir, storeFile } = seed(gw);
    const c = await gw.connect();
    t.after(() => c.close());

    const pv = (await c.call("sessions.preview", { keys: ["agent:main:main", "agent:main:telegram:group:7", "agent:main:nope"], maxChars: 40 })) as {
      previews: Array<{ key: string; status: string; items: Array<{ role: string; text: string }> }>;
    };
    assert.deepEqual(
      pv.previews.map((p) => p.status),
      ["ok", "empty", "missing"],
    );
    assert.deepEqual(pv.previews[0]!.items[0], { role: "user", text: "hello there" });
    assert.equal(pv.previews[0]!.items[1]!.text.length, 40);
    await rejects(c.call("sessions.preview", { keys: ["x"], maxChars: 5 }), "INVALID_REQUEST", /maxChars/);

    const patched = (await c.call("sessions.patch", { key: "agent:main:main", label: "Inbox", thinkingLevel: null, model: "anthropic/claude-x" })) as { entry: Record<string, unknown> };
    assert.equal(patched.entry.label, "Inbox");
    assert.equal(patched.entry.thinkingLevel, undefined);
    const stored = JSON.parse(readFileSync(storeFile, "utf8"));
    assert.equal(stored["agent:main:main"].modelOverride, "anthropic/claude-x");
    assert.equal(stored["agent:main:main"].thinkingLevel, undefined);
    await rejects(c.call("sessions.patch", { key: "agent:main:ghost", label: "x" }), "NOT_FOUND", /"agent:main:ghost" not found/);
    await rejects(c.call("sessions.patch", { key: "agent:main:main", sendPolicy: "maybe" }), "INVALID_REQUEST", /sendPolicy/);

    const reset = (await c.call("sessions.reset", { key: "agent:main:main", reason: "new" })) as { entry: Record<string, unknown>; previousSessionId: string; archived: string };
    assert.equal(reset.previousSessionId, "s-1");
    assert.notEqual(reset.entry.sessionId, "s-1");
    assert.equal(reset.entry.label, "Inbox", "preferences survive a reset");
    assert.equal(reset.entry.inputTokens, undefined, "counters are cleared");
    assert.ok(!existsSync(path.join(dir, "s-1.jsonl")));
    assert.ok(readdirSync(dir).some((f) => f.startsWith("s-1.jsonl.reset.")));

    const listed = (await c.call("sessions.list", {})) as { count: number };
    assert.equal(listed.count, 2);
    assert.equal(((await c.call("sessions.list", { agentId: "Main" })) as { count: number }).count, 2, "agentId is normalised");
    writeFileSync(path.join(dir, "s-2.jsonl"), "");
    const del = (await c.call("sessions.delete", { key: "agent:main:telegram:group:7" })) as { deleted: boolean };
    assert.equal(del.deleted, true);
    assert.ok(readdirSync(dir).some((f) => f.startsWith("s-2.jsonl.deleted.")), "transcript archived, not removed");
    assert.equal(((await c.call("sessions.list", {})) as { count: number }).count, 1);
    assert.deepEqual(await c.call("sessions.delete", { key: "agent:main:telegram:group:7" }), { ok: true, key: "agent:main:telegram:group:7", agentId: "main", deleted: false });

    // A corrupt store is reported and never overwritten.
    writeFileSync(storeFile, "{ not json");
    await rejects(c.call("sessions.patch", { key: "agent:main:main", label: "y" }), "FS", /not valid JSON.*refusing to overwrite/);
    assert.equal(readFileSync(storeFile, "utf8"), "{ not json");
  });

  test("write scope may patch but not delete; read scope may preview only", async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { auth: { mode: "none" } } } });
    seed(gw);
    const writer = await GatewayClient.connect({ url: gw.url, token: gw.token, timeoutMs: 3000, clientId: "test", clientMode: "test", scopes: ["operator.write"] });
    t.after(() => writer.close());
    await writer.call("sessions.patch", { key: "agent:main:main", label: "ok" });
    await rejects(writer.call("sessions.delete", { key: "agent:main:main" }), "MISSING_SCOPE", /missing scope/);
    const reader = await GatewayClient.connect({ url: gw.url, token: gw.token, timeoutMs: 3000, clientId: "test", clientMode: "test", scopes: ["operator.read"] });
    t.after(() => reader.close());
    await reader.call("sessions.preview", { keys: ["agent:main:main"] });
    await rejects(reader.call("sessions.reset", { key: "agent:main:main" }), "MISSING_SCOPE", /missing scope/);
  });
});

describe("models.list serves the catalog", () => {
  test("built-in and configured provider models are listed, by view", async (t) => {
    const gw = await startTestGateway(t, { config: { models: { providers: { local: { baseUrl: "http://127.0.0.1:1/v1", models: [{ id: "m1", name: "Model One" }] } } } } });
    const c = await gw.connect();
    t.after(() => c.close());
    const r = (await c.call("models.list", {})) as { models: Array<{ id: string; key: string; provider: string; contextWindow: number }> };
    const local = r.models.filter((m) => m.provider === "local");
    assert.deepEqual(
      local.map((m) => [m.id, m.key, m.provider, m.contextWindow]),
      [["m1", "local/m1", "local", 200_000]],
    );
    assert.ok(r.models.some((m) => m.key === "anthropic/claude-opus-4-6"), "the built-in catalog is listed");
    const configured = (await c.call("models.list", { view: "configured" })) as { models: Array<{ key: string }> };
    assert.deepEqual(configured.models.map((m) => m.key).sort(), ["anthropic/claude-opus-4-6", "local/m1"]);
  });
});
