/**
 * The built gateway (`openclaw gateway`, the bundle users run) starts its channel SDKs: a spawned
 * gateway polls a loopback Telegram Bot API and answers an allowlisted DM through a loopback model.
 * Tests that import src/ cannot catch a bundling fault (a CommonJS SDK losing its exports, a missing
 * asset); this one does.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { freePort } from "../helpers/gateway.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "bin", "openclaw.mjs");
const TOKEN = "717171717:AAbuiltGatewayTelegramToken0000000000";

test("the built gateway runs Telegram: a DM through the bundle gets the agent's reply", { timeout: 120_000 }, async (t) => {
  const llm = await startFakeLlm(() => ({ text: "hello from the bundle" }));
  t.after(() => llm.close());
  const bot = await startFakeTelegram({ tokens: [TOKEN] });
  t.after(() => bot.close());
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-built-gw-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(path.join(home, ".openclaw"), { mode: 0o700 });
  const port = await freePort();
  writeFileSync(
    path.join(home, ".openclaw", "openclaw.json"),
    JSON.stringify({
      gateway: { mode: "local", port, auth: { mode: "token", token: "b".repeat(40) } },
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-builtKEY0000000000000000000000" } } },
      channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot, dmPolicy: "allowlist", allowFrom: ["tg:909"] } },
    }),
    { mode: 0o600 },
  );
  const child = spawn(process.execPath, [BIN, "gateway"], { env: { HOME: home, PATH: process.env.PATH }, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  t.after(async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  });
  assert.ok(await pollUntil(() => bot.calls.some((c) => c.method === "getUpdates") || child.exitCode !== null, 30_000, 50), `the bundled gateway polls the Bot API:\n${output}`);
  bot.enqueue({ chatId: 909, fromId: 909, text: "hi" });
  assert.ok(await pollUntil(() => bot.sent().some((s) => s.text === "hello from the bundle"), 30_000, 50), `the reply went out:\n${output}`);
  assert.ok(!output.includes(TOKEN), "the token is not printed");
});
