/**
 * `openclaw onboard --non-interactive`, `setup` and `configure` through the built binary, against a
 * loopback model server and a loopback Telegram Bot API: one command ends with a running service
 * (detached supervisor) that answers a Telegram DM; a re-run keeps the token and says "no changes";
 * `configure --section models` changes the primary model with a diff and keeps comments; no secret
 * is ever printed; a failing credential writes nothing.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parseJson5 } from "../../src/config/index.js";
import { pollUntil } from "../../src/infra/index.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { freePort } from "../helpers/gateway.js";
import { onboardHome } from "./onboard-home.js";

const KEY = "sk-ant-api03-onboardKEY000000000000000000000000";
const TG = "818181818:AAonboardTelegramToken00000000000000";

// biome-ignore lint/suspicious/noExplicitAny: test reads of loose JSON
type Loose = Record<string, any>;

const readConfig = (file: string): Loose => parseJson5(readFileSync(file, "utf8")) as Loose;

function assertNoSecrets(text: string, secrets: string[]): void {
  for (const s of secrets) assert.ok(!text.includes(s), `a secret was printed: ${s.slice(0, 6)}…`);
}

test("onboard --non-interactive: service running, Telegram DM answered, re-run keeps the token and says no changes, configure --section models diffs and keeps comments", { timeout: 180_000 }, async (t) => {
  const llm = await startFakeLlm((req) => (req.credential === KEY ? { text: "hello from onboard" } : { status: 401, message: "invalid x-api-key" }));
  t.after(() => llm.close());
  const bot = await startFakeTelegram({ tokens: [TG], botUsername: "onboard_bot" });
  t.after(() => bot.close());
  const h = onboardHome(t);
  const port = await freePort();
  const argv = [
    "onboard",
    "--non-interactive",
    "--accept-risk",
    "--auth-choice",
    "apiKey",
    "--anthropic-api-key",
    KEY,
    "--custom-base-url",
    llm.anthropicUrl,
    "--gateway-port",
    String(port),
    "--telegram-bot-token",
    TG,
    "--telegram-api-root",
    bot.apiRoot,
    "--telegram-allow-from",
    "4242",
    "--install-daemon",
  ];
  const first = await h.run(argv, { timeoutMs: 90_000 });
  assert.equal(first.code, 0, `onboard failed:\n${first.stdout}\n${first.stderr}`);
  const config = readConfig(h.configPath);
  const token = config.gateway.auth.token as string;
  assert.match(token, /^[0-9a-f]{48}$/, "a generated token");
  assert.equal(config.gateway.mode, "local");
  assert.equal(config.gateway.port, port);
  assert.equal(config.agents.defaults.model.primary, "anthropic/claude-opus-4-6");
  assert.equal(config.channels.telegram.botToken, TG);
  assertNoSecrets(first.stdout + first.stderr, [KEY, TG, token]);
  assert.match(first.stdout, /anthropic:default = api_key sk-ant…0000/, "the credential is shown masked");
  assert.ok(llm.requests.some((r) => r.credential === KEY), "the key was probed against the model server");
  const store = JSON.parse(readFileSync(path.join(h.stateDir, "agents", "main", "agent", "auth-profiles.json"), "utf8")) as Loose;
  assert.deepEqual(store.profiles["anthropic:default"], { type: "api_key", provider: "anthropic", key: KEY });
  assert.equal(statSync(h.stateDir).mode & 0o777, 0o700);
  assert.ok(existsSync(path.join(h.stateDir, "workspace", "AGENTS.md")), "workspace bootstrapped");
  assert.ok(bot.calls.some((c) => c.method === "getMe"), "the bot token was checked with getMe");

  const status = await h.run(["gateway", "status", "--json"]);
  assert.equal(status.code, 0, `gateway status is healthy:\n${status.stdout}\n${status.stderr}`);
  assert.equal((JSON.parse(status.stdout) as Loose).service.runtime.status, "running");

  bot.enqueue({ chatId: 4242, fromId: 4242, fromName: "Ada", text: "hi bot" });
  assert.ok(await pollUntil(() => bot.sent().some((s) => s.chatId === "4242" && s.text === "hello from onboard"), 30_000, 50), `the agent answered the DM; sent: ${JSON.stringify(bot.sent())}`);

  // A second onboard with the same answers keeps everything.
  const before = readFileSync(h.configPath, "utf8");
  const agentsMd = path.join(h.stateDir, "workspace", "AGENTS.md");
  writeFileSync(agentsMd, "# my own notes\n");
  const again = await h.run(argv, { timeoutMs: 90_000 });
  assert.equal(again.code, 0, `re-run failed:\n${again.stdout}\n${again.stderr}`);
  assert.match(again.stdout, /^no changes$/m);
  assert.equal(readFileSync(h.configPath, "utf8"), before, "config untouched");
  assert.equal(readConfig(h.configPath).gateway.auth.token, token, "the token is kept");
  assert.equal(readFileSync(agentsMd, "utf8"), "# my own notes\n", "workspace files are kept");
  assertNoSecrets(again.stdout + again.stderr, [KEY, TG, token]);

  // configure --section models: a diff, the new primary, comments kept, a .bak taken.
  writeFileSync(h.configPath, `// my onboarding notes: keep this\n${before}`);
  const conf = await h.run(["configure", "--section", "models", "--non-interactive", "--model", "anthropic/claude-sonnet-4-6"]);
  assert.equal(conf.code, 0, `configure failed:\n${conf.stdout}\n${conf.stderr}`);
  assert.match(conf.stdout, /-\s+"primary": "anthropic\/claude-opus-4-6"/);
  assert.match(conf.stdout, /\+\s+"primary": "anthropic\/claude-sonnet-4-6"/);
  const after = readFileSync(h.configPath, "utf8");
  assert.ok(after.startsWith("// my onboarding notes: keep this\n"), "the comment survives");
  assert.equal(readConfig(h.configPath).agents.defaults.model.primary, "anthropic/claude-sonnet-4-6");
  assert.equal(readConfig(h.configPath).gateway.auth.token, token);
  assert.ok(readFileSync(`${h.configPath}.bak`, "utf8").includes("claude-opus-4-6"), "the previous file is kept as .bak");
  assertNoSecrets(conf.stdout + conf.stderr, [KEY, TG, token]);

  const stop = await h.run(["gateway", "uninstall"]);
  assert.equal(stop.code, 0, stop.stderr);
});

test("a credential the provider rejects stops onboarding before anything is written; the key is not printed", { timeout: 60_000 }, async (t) => {
  const llm = await startFakeLlm(() => ({ status: 401, message: "invalid x-api-key" }));
  t.after(() => llm.close());
  const h = onboardHome(t);
  const r = await h.run(["onboard", "--non-interactive", "--accept-risk", "--anthropic-api-key", KEY, "--custom-base-url", llm.anthropicUrl, "--skip-channels", "--no-install-daemon"]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /did not work/);
  assert.ok(llm.requests.length >= 1, "the probe reached the model server");
  assertNoSecrets(r.stdout + r.stderr, [KEY]);
  assert.ok(!existsSync(h.configPath), "no config written");
  assert.ok(!existsSync(path.join(h.stateDir, "agents")), "no auth store written");
  const refused = await h.run(["onboard", "--non-interactive"]);
  assert.equal(refused.code, 2, "non-interactive onboard needs --accept-risk");
  assert.match(refused.stderr, /--accept-risk/);
});

test("setup: state dir 0700, minimal valid config with a token, workspace files; keeps what exists; a second run says no changes", { timeout: 60_000 }, async (t) => {
  const h = onboardHome(t);
  const first = await h.run(["setup", "--json"]);
  assert.equal(first.code, 0, first.stderr);
  const data = JSON.parse(first.stdout) as Loose;
  assert.equal(data.changed, true);
  const config = readConfig(h.configPath);
  assert.equal(config.gateway.mode, "local");
  assertNoSecrets(first.stdout + first.stderr, [config.gateway.auth.token]);
  assert.equal(statSync(h.stateDir).mode & 0o777, 0o700);
  assert.equal((await h.run(["config", "validate"])).code, 0);
  const second = await h.run(["setup"]);
  assert.equal(second.code, 0);
  assert.equal(second.stdout.trim(), "no changes");

  // An existing config (comments, own token, remote-ish bind) and workspace are kept; only what is missing is added.
  const h2 = onboardHome(t);
  mkdirSync(path.join(h2.stateDir, "work"), { recursive: true, mode: 0o755 });
  writeFileSync(path.join(h2.stateDir, "work", "SOUL.md"), "mine\n");
  const own = `// hand-written\n{\n  gateway: { auth: { mode: "token", token: "${"c".repeat(40)}" }, bind: "loopback" }, // stays\n  agents: { defaults: { workspace: "${path.join(h2.stateDir, "work")}" } },\n}\n`;
  writeFileSync(h2.configPath, own, { mode: 0o600 });
  const kept = await h2.run(["setup"]);
  assert.equal(kept.code, 0, kept.stderr);
  const text = readFileSync(h2.configPath, "utf8");
  assert.ok(text.startsWith("// hand-written\n") && text.includes("// stays"), "comments kept");
  assert.equal(readConfig(h2.configPath).gateway.auth.token, "c".repeat(40));
  assert.equal(readConfig(h2.configPath).gateway.mode, "local");
  assert.equal(readFileSync(path.join(h2.stateDir, "work", "SOUL.md"), "utf8"), "mine\n");
  assert.ok(existsSync(path.join(h2.stateDir, "work", "AGENTS.md")));
  assert.equal(statSync(h2.stateDir).mode & 0o777, 0o700, "state dir tightened");
  assert.equal((await h2.run(["setup"])).stdout.trim(), "no changes");
});
