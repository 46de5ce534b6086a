/**
 * `openclaw onboard` in a real terminal (tmux), driven by keystrokes: the guided first run against a
 * loopback model server and a loopback Telegram Bot API ends with a running service that answers a
 * Telegram DM; an Enter-through re-run keeps everything and says "no changes"; Ctrl-C at a prompt
 * exits 130 with nothing written; `configure --section models` changes the primary model with a diff.
 * Nothing typed as a secret ever shows on the screen.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parseJson5 } from "../../src/config/index.js";
import { pollUntil } from "../../src/infra/index.js";
import { BIN } from "../helpers/cli.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { freePort } from "../helpers/gateway.js";
import { startTmux, type TmuxSession } from "../helpers/tmux.js";
import { type OnboardHome, onboardHome } from "./onboard-home.js";

const KEY = "sk-ant-api03-tmuxOnboardKEY00000000000000000000";
const TG = "727272727:AAtmuxOnboardTelegramToken000000000";
const BAD_TG = "727272727:AAtmuxRejectedTelegramToken00000000";

/** `openclaw onboard` in tmux; the shell prints the exit code and waits, so the last screen stays readable. */
function onboardInTmux(t: { after(fn: () => unknown): void }, h: OnboardHome): TmuxSession {
  const cmd = `'${process.execPath}' '${BIN}' onboard; echo "EXIT=$?"; read -r _`;
  return startTmux(t, ["bash", "--norc", "--noprofile", "-c", cmd], { ...h.env, PS1: "$ " });
}

/** Waits for a prompt, then types `text` (if any) and Enter. */
async function answer(term: TmuxSession, prompt: RegExp, text?: string): Promise<void> {
  await term.waitFor(prompt, `the prompt ${prompt}`, 30_000);
  if (text) term.send(text);
  term.send("Enter", { keys: true });
}

test("onboard by keystrokes: service healthy, Telegram DM answered; an Enter-through re-run keeps the token and says no changes", { timeout: 240_000 }, async (t) => {
  const llm = await startFakeLlm((req) => (req.credential === KEY ? { text: "hello from the wizard" } : { status: 401, message: "invalid x-api-key" }));
  t.after(() => llm.close());
  const bot = await startFakeTelegram({ tokens: [TG], botUsername: "wizard_bot" });
  t.after(() => bot.close());
  const h = onboardHome(t);
  const port = await freePort();

  const term = onboardInTmux(t, h);
  await answer(term, /Continue\?/);
  await answer(term, /Gateway port/, String(port));
  await answer(term, /Gateway bind/);
  await answer(term, /Gateway auth/);
  await answer(term, /Agent workspace/);
  await answer(term, /Model provider/);
  await answer(term, /Anthropic API key/, KEY);
  await answer(term, /API base URL/, llm.anthropicUrl);
  await answer(term, /Primary model/);
  await answer(term, /Connect a chat channel/);
  // A token the Bot API rejects is asked again (getMe at the prompt), not saved and not shown.
  await answer(term, /Telegram bot token/, BAD_TG);
  await answer(term, /Bot API root/, bot.apiRoot);
  await answer(term, /Paste it again[\s\S]*Telegram bot token/, TG);
  await answer(term, /Paste it again[\s\S]*Bot API root/, bot.apiRoot);
  await answer(term, /allowed to DM the bot/, "4242");
  await term.waitFor(/Write these changes\?/, "the diff and the write confirmation", 30_000);
  assert.ok(!existsSync(h.configPath), "nothing is written before the confirmation");
  term.send("Enter", { keys: true });
  await answer(term, /Install the gateway as a service/);
  await term.waitFor(/EXIT=\d+/, "onboarding to finish", 90_000);
  const screen = term.scrollback();
  assert.match(screen, /EXIT=0/, screen);
  assert.match(screen, /anthropic probe .*: ok/);
  assert.match(screen, /@wizard_bot answered getMe/);
  assert.match(screen, /Telegram rejected the bot token/);
  for (const secret of [KEY, TG, BAD_TG]) assert.ok(!screen.includes(secret), `a secret showed on the screen: ${secret.slice(0, 6)}…`);
  const config = parseJson5(readFileSync(h.configPath, "utf8")) as { gateway: { port: number; auth: { token: string } }; channels: { telegram: { allowFrom: string[] } } };
  assert.equal(config.gateway.port, port);
  assert.deepEqual(config.channels.telegram.allowFrom, ["tg:4242"]);
  const token = config.gateway.auth.token;
  assert.ok(!screen.includes(token), "the gateway token is not shown");

  const status = await h.run(["gateway", "status", "--json"]);
  assert.equal(status.code, 0, `gateway status is healthy:\n${status.stdout}\n${status.stderr}`);
  bot.enqueue({ chatId: 4242, fromId: 4242, text: "hello?" });
  assert.ok(await pollUntil(() => bot.sent().some((s) => s.chatId === "4242" && s.text === "hello from the wizard"), 30_000, 50), `the agent answered; sent: ${JSON.stringify(bot.sent())}`);

  // Re-run: Enter through every prompt keeps every answer.
  const before = readFileSync(h.configPath, "utf8");
  const again = onboardInTmux(t, h);
  await answer(again, /Continue\?/);
  await answer(again, /Gateway port/);
  await answer(again, /Gateway bind/);
  await answer(again, /Gateway auth/);
  await answer(again, /Keep the existing gateway token/);
  await answer(again, /Agent workspace/);
  await answer(again, /Model provider/);
  await answer(again, /Keep the saved anthropic API key/);
  await answer(again, /API base URL/);
  await answer(again, /Primary model/);
  await answer(again, /Connect a chat channel/);
  await answer(again, /Keep the configured Telegram bot token/);
  await answer(again, /Bot API root/);
  await answer(again, /allowed to DM the bot/);
  await again.waitFor(/no changes/, "the re-run to find nothing to change", 30_000);
  await answer(again, /Install the gateway as a service/);
  await again.waitFor(/EXIT=\d+/, "the re-run to finish", 90_000);
  const screen2 = again.scrollback();
  assert.match(screen2, /EXIT=0/, screen2);
  assert.equal(readFileSync(h.configPath, "utf8"), before, "the config is untouched");
  for (const secret of [KEY, TG, token]) assert.ok(!screen2.includes(secret), "no secret on the re-run's screen");

  const stop = await h.run(["gateway", "uninstall"]);
  assert.equal(stop.code, 0, stop.stderr);
});

test("Ctrl-C at an onboarding prompt exits 130 and writes nothing", { timeout: 60_000 }, async (t) => {
  const h = onboardHome(t);
  const term = onboardInTmux(t, h);
  await answer(term, /Continue\?/);
  await answer(term, /Gateway port/, "19999");
  await term.waitFor(/Gateway bind/, "the bind prompt");
  term.send("C-c", { keys: true });
  await term.waitFor(/EXIT=\d+/, "onboarding to stop");
  assert.match(term.screen(), /EXIT=130/);
  assert.ok(!existsSync(h.stateDir), "no state dir, config or credential written");
  assert.ok(!existsSync(path.join(h.home, ".openclaw", "openclaw.json")));
});

test("configure --section models by keystrokes: the saved key is kept, the primary model changes with a diff, comments and a .bak stay", { timeout: 90_000 }, async (t) => {
  const llm = await startFakeLlm((req) => (req.credential === KEY ? { text: "ok" } : { status: 401, message: "invalid x-api-key" }));
  t.after(() => llm.close());
  const h = onboardHome(t);
  const setup = await h.run(["onboard", "--non-interactive", "--accept-risk", "--anthropic-api-key", KEY, "--custom-base-url", llm.anthropicUrl, "--skip-channels", "--no-install-daemon", "--skip-health"]);
  assert.equal(setup.code, 0, setup.stderr);
  const original = `// written by hand: keep me\n${readFileSync(h.configPath, "utf8")}`;
  writeFileSync(h.configPath, original);
  const cmd = `'${process.execPath}' '${BIN}' configure --section models; echo "EXIT=$?"; read -r _`;
  const term = startTmux(t, ["bash", "--norc", "--noprofile", "-c", cmd], { ...h.env, PS1: "$ " });
  await answer(term, /Model provider/);
  await answer(term, /Keep the saved anthropic API key/);
  await answer(term, /API base URL/);
  await answer(term, /Primary model/, "anthropic/claude-sonnet-4-6");
  const diff = await term.waitFor(/Write these changes\?/, "the diff", 30_000);
  assert.match(diff, /-\s+"primary": "anthropic\/claude-opus-4-6"/);
  assert.match(diff, /\+\s+"primary": "anthropic\/claude-sonnet-4-6"/);
  assert.equal(readFileSync(h.configPath, "utf8"), original, "nothing written before the confirmation");
  term.send("Enter", { keys: true });
  await term.waitFor(/EXIT=\d+/, "configure to finish");
  assert.match(term.screen(), /EXIT=0/);
  const after = readFileSync(h.configPath, "utf8");
  assert.ok(after.startsWith("// written by hand: keep me\n"), "the comment survives");
  assert.match(after, /"primary": "anthropic\/claude-sonnet-4-6"/);
  assert.equal(readFileSync(`${h.configPath}.bak`, "utf8"), original);
  assert.ok(!term.scrollback().includes(KEY), "the key is not shown");
});
