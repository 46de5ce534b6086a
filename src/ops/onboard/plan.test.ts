/** Onboarding's plan keeps what exists (token, workspace, channel token, primary model) and its preview diff never shows a secret. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { commitConfig, previewConfig } from "./apply.js";
import { planConfigSets } from "./plan.js";

const ctx = { defaultWorkspace: "/home/u/.openclaw/workspace", generateToken: () => "generated-token-0123456789abcdef", baseline: true };
const TG = "123456789:AAplanTelegramToken000000000000";

describe("planConfigSets", () => {
  test("a fresh config gets gateway.mode local, a generated token and the default workspace", () => {
    assert.deepEqual(planConfigSets({}, {}, ctx), [
      { path: ["gateway", "mode"], value: "local" },
      { path: ["gateway", "auth", "mode"], value: "token" },
      { path: ["gateway", "auth", "token"], value: "generated-token-0123456789abcdef" },
      { path: ["agents", "defaults", "workspace"], value: "/home/u/.openclaw/workspace" },
    ]);
  });

  test("a re-run keeps the token, the workspace, the channel token and the primary model", () => {
    const current = {
      gateway: { mode: "local", port: 19000, auth: { mode: "token", token: "kept-token" } },
      agents: { defaults: { workspace: "/w", model: { primary: "anthropic/claude-sonnet-4-6" } } },
      channels: { telegram: { enabled: true, botToken: TG } },
    };
    assert.deepEqual(planConfigSets(current, { gateway: { port: 19000 }, model: { provider: "anthropic" }, telegram: {} }, ctx), []);
  });

  test("explicit answers replace: a new port, a new primary (a string model becomes an object), an allowlist", () => {
    const current = { gateway: { mode: "local", auth: { mode: "token", token: "t" } }, agents: { defaults: { workspace: "/w", model: "openai/gpt-5.1" } } };
    const sets = planConfigSets(current, { gateway: { port: 20000 }, model: { provider: "anthropic" }, telegram: { botToken: TG, allowFrom: ["42"] } }, ctx);
    assert.deepEqual(sets, [
      { path: ["gateway", "port"], value: 20000 },
      { path: ["agents", "defaults", "model"], value: { primary: "anthropic/claude-opus-4-6" } },
      { path: ["channels", "telegram", "enabled"], value: true },
      { path: ["channels", "telegram", "botToken"], value: TG },
      { path: ["channels", "telegram", "dmPolicy"], value: "allowlist" },
      { path: ["channels", "telegram", "allowFrom"], value: ["tg:42"] },
    ]);
  });

  test("bad answers are usage errors", () => {
    assert.throws(() => planConfigSets({}, { gateway: { port: 70000 } }, ctx), /invalid gateway port/);
    assert.throws(() => planConfigSets({}, { gateway: { bind: "everywhere" } }, ctx), /invalid gateway bind/);
    assert.throws(() => planConfigSets({}, { telegram: { botToken: "nope" } }, ctx), /Telegram bot token/);
    assert.throws(() => planConfigSets({}, { gateway: { auth: "password" } }, ctx), /needs a password/);
  });
});

describe("previewConfig / commitConfig", () => {
  test("the diff masks the token and keeps comments; commit writes with a .bak", async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-onboard-plan-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "openclaw.json");
    writeFileSync(file, "// mine\n{ gateway: { port: 19001 } }\n");
    const env = { HOME: dir };
    const token = "s3cr3t-gateway-token-value-000000000";
    const preview = await previewConfig({ configPath: file, env, sets: [{ path: ["gateway", "auth"], value: { mode: "token", token } }, { path: ["channels", "telegram", "botToken"], value: TG }] });
    assert.equal(preview.changed, true);
    const diff = preview.diff.join("\n");
    assert.ok(!diff.includes(token) && !diff.includes(TG), diff);
    assert.match(diff, /\+.*"?token"?: "s3cr3t…0000"/);
    assert.ok(preview.after.startsWith("// mine\n"));
    assert.equal(readFileSync(file, "utf8"), "// mine\n{ gateway: { port: 19001 } }\n", "a preview writes nothing");
    const written = await commitConfig(preview, env);
    assert.equal(written.written, true);
    assert.equal(readFileSync(`${file}.bak`, "utf8"), "// mine\n{ gateway: { port: 19001 } }\n");
    assert.ok(readFileSync(file, "utf8").includes(token));
  });
});
