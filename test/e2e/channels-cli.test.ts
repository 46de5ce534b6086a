/**
 * `openclaw channels list|add|remove|status|logs|logout` and `openclaw message send` through the
 * built binary: a real temp config (token never printed, `.bak` kept), a real gateway for
 * `channels status` (a disabled Telegram account, a Signal channel nothing runs), the config-only
 * view when the gateway is down, and the log filter over a written log file.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parseJson5 } from "../../src/config/index.js";
import { formatRecord } from "../../src/logging/index.js";
import { runBinary, tempHome } from "../helpers/cli.js";
import { freePort, startTestGateway } from "../helpers/gateway.js";
import { show, writeFile } from "../helpers/inspect.js";

const TOKEN = "123456789:AAHsecretSECRETsecretSECRET_xyz";
const FILE_TOKEN = "987654321:BBHfileFILEfileFILEfile_abc";

function setup(t: { after(fn: () => void): void }, config: Record<string, unknown>) {
  const { home, env } = tempHome();
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const stateDir = path.join(home, ".openclaw");
  const configPath = path.join(stateDir, "openclaw.json");
  writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return { home, env, stateDir, configPath, read: () => parseJson5(readFileSync(configPath, "utf8")) as { channels?: Record<string, Record<string, unknown>> } };
}

const leaks = (r: { stdout: string; stderr: string }, secret: string) => r.stdout.includes(secret) || r.stderr.includes(secret) || r.stdout.includes(secret.split(":")[1]!) || r.stderr.includes(secret.split(":")[1]!);

test("add → list → remove → remove --delete round-trip: written through the config path, token never printed, .bak kept", async (t) => {
  const { home, env, configPath, read } = setup(t, { gateway: { mode: "local" } });
  const tokenFile = path.join(home, "tg-work.token");
  writeFile(tokenFile, `${FILE_TOKEN}\n`);

  const add = await runBinary(["channels", "add", "--channel", "telegram", "--token", TOKEN], { env });
  assert.equal(add.code, 0, show(add));
  assert.ok(!leaks(add, TOKEN), `token printed:\n${show(add)}`);
  assert.match(add.stdout, /Saved telegram account default \(credential: config\)/);
  assert.equal(read().channels?.telegram?.botToken, TOKEN);
  assert.equal(read().channels?.telegram?.enabled, true);

  const work = await runBinary(["channels", "add", "telegram", "--account", "work", "--name", "Work bot", "--token-file", tokenFile, "--json"], { env });
  assert.equal(work.code, 0, show(work));
  assert.ok(!leaks(work, TOKEN) && !leaks(work, FILE_TOKEN), show(work));
  const workJson = JSON.parse(work.stdout) as { channel: string; accountId: string; tokenSource: string; written: boolean; backupPath: string; path: string };
  assert.deepEqual([workJson.channel, workJson.accountId, workJson.tokenSource, workJson.written, workJson.path], ["telegram", "work", "file", true, "channels.telegram.accounts.work"]);
  assert.equal(workJson.backupPath, `${configPath}.bak`);
  assert.equal((parseJson5(readFileSync(`${configPath}.bak`, "utf8")) as { channels: { telegram: { accounts?: unknown } } }).channels.telegram.accounts, undefined, "the .bak is the version before this write");
  assert.deepEqual(read().channels?.telegram?.accounts, { work: { enabled: true, name: "Work bot", tokenFile } });
  assert.doesNotMatch(readFileSync(configPath, "utf8"), /null/, "a merge patch never writes literal nulls");

  const list = await runBinary(["channels", "list", "--json"], { env: { ...env, TELEGRAM_BOT_TOKEN: "555:envENVenvENVenvENV" } });
  assert.equal(list.code, 0, show(list));
  assert.ok(!leaks(list, TOKEN) && !leaks(list, FILE_TOKEN), show(list));
  const chat = (JSON.parse(list.stdout) as { chat: Record<string, { label: string; accounts: string[]; details: Array<Record<string, unknown>> }> }).chat;
  assert.deepEqual(chat.telegram?.accounts, ["work"]);
  assert.equal(chat.telegram?.label, "Telegram");
  assert.deepEqual(chat.telegram?.details, [{ accountId: "work", name: "Work bot", enabled: true, configured: true, tokenSource: "file", dmPolicy: "pairing" }]);
  const human = await runBinary(["channels", "list"], { env });
  assert.match(human.stdout, /^- Telegram work \(Work bot\): enabled, configured, token:file, dm:pairing$/m);

  const disable = await runBinary(["channels", "remove", "--channel", "telegram", "--account", "work"], { env });
  assert.equal(disable.code, 0, show(disable));
  assert.match(disable.stdout, /telegram account work disabled \(config kept/);
  const disabled = (read().channels?.telegram?.accounts ?? {}) as Record<string, Record<string, unknown>>;
  assert.equal(disabled.work?.enabled, false);
  assert.equal(disabled.work?.tokenFile, tokenFile, "disabling keeps the config");
  assert.match(readFileSync(`${configPath}.bak`, "utf8"), /"enabled": true/, "the previous version is kept");
  const listed = await runBinary(["channels", "list"], { env });
  assert.match(listed.stdout, /^- Telegram work \(Work bot\): disabled,/m);

  const del = await runBinary(["channels", "remove", "--channel", "telegram", "--account", "work", "--delete", "--json"], { env });
  assert.equal(del.code, 0, show(del));
  assert.equal((JSON.parse(del.stdout) as { action: string }).action, "deleted");
  assert.equal(read().channels?.telegram?.accounts, undefined, "the emptied accounts map goes too");
  assert.equal(read().channels?.telegram?.botToken, TOKEN, "the rest of the channel stays");

  const whole = await runBinary(["channels", "remove", "--channel", "telegram", "--delete"], { env });
  assert.equal(whole.code, 0, show(whole));
  assert.ok(!leaks(whole, TOKEN), show(whole));
  assert.equal(read().channels?.telegram, undefined);
  assert.equal(JSON.parse(readFileSync(configPath, "utf8").replace(/^\s*\/\/.*$/gm, "")).gateway.mode, "local");
  assert.ok(existsSync(`${configPath}.bak`));
});

test("channels add/remove refuse bad input with one clear line and change nothing", async (t) => {
  const { env, configPath } = setup(t, { gateway: { mode: "local" }, channels: { telegram: { botToken: TOKEN } } });
  const before = readFileSync(configPath, "utf8");
  const cases: Array<[string[], number, RegExp]> = [
    [["channels", "add"], 2, /which channel\? pass --channel <id>/],
    [["channels", "add", "--channel", "googlechat"], 2, /needs a credential: pass --token <token>, --token-file <path> or --use-env/],
    [["channels", "add", "--channel", "telegram", "--account", "ops", "--token", "not-a-token-at-all"], 2, /does not look like a Telegram bot token/],
    [["channels", "add", "--channel", "telegram", "--account", " ", "--token", TOKEN], 2, /--account must not be blank/],
    [["channels", "add", "--channel", "telegram", "--use-env"], 2, /TELEGRAM_BOT_TOKEN is not set/],
    [["channels", "add", "--channel", "telegram", "--webhook-url", "https://bot.example.com/tg"], 2, /--webhook-url needs --webhook-secret/],
    [["channels", "add", "--channel", "telegram", "--token-file", "/nonexistent/tg.token"], 1, /--token-file \/nonexistent\/tg.token does not exist/],
    [["channels", "add", "telegram", "--channel", "slack", "--token", "x"], 2, /conflicting channels/],
    [["channels", "remove", "--channel", "discord"], 1, /channel discord is not configured/],
    [["channels", "remove", "--channel", "telegram", "--account", "ghost"], 1, /telegram has no account "ghost"/],
  ];
  for (const [argv, code, message] of cases) {
    const r = await runBinary(argv, { env });
    assert.equal(r.code, code, `${argv.join(" ")}\n${show(r)}`);
    assert.match(r.stderr, message, argv.join(" "));
    assert.equal(r.stderr.trim().split("\n").filter((l) => l.startsWith("error:")).length, 1, show(r));
    assert.ok(!leaks(r, TOKEN), show(r));
  }
  assert.equal(readFileSync(configPath, "utf8"), before, "nothing was written");
});

test("channels status against a real gateway: shape, a disabled account, warnings with fixes, --channel filter", async (t) => {
  const gw = await startTestGateway(t, {
    config: {
      channels: {
        telegram: { botToken: TOKEN, accounts: { work: { enabled: false } } },
        // No runtime serves Signal: it is enabled and never running; its allowlist holds a placeholder.
        signal: { dmPolicy: "allowlist", allowFrom: ["+46XXXXXXXXX"] },
      },
    },
  });
  const flags = ["--url", gw.url, "--token", gw.token];
  const r = await runBinary(["channels", "status", "--json", ...flags], { env: gw.env });
  assert.equal(r.code, 0, show(r));
  assert.ok(!leaks(r, TOKEN), show(r));
  const payload = JSON.parse(r.stdout) as {
    ts: number;
    channelOrder: string[];
    channelLabels: Record<string, string>;
    channels: Record<string, { configured: boolean; running: boolean }>;
    channelAccounts: Record<string, Array<{ accountId: string; enabled: boolean; running: boolean }>>;
    channelDefaultAccountId: Record<string, string>;
    warnings: Array<{ channel?: string; accountId?: string; path?: string; message: string; fix?: string }>;
  };
  assert.equal(typeof payload.ts, "number");
  assert.deepEqual([...payload.channelOrder].sort(), ["signal", "telegram", "webchat"], "WebChat is always a channel");
  assert.equal(payload.channelLabels.telegram, "Telegram");
  assert.equal(payload.channels.telegram?.running, false);
  const work = payload.channelAccounts.telegram?.find((a) => a.accountId === "work");
  assert.deepEqual([work?.enabled, work?.running], [false, false]);
  assert.equal(typeof payload.channelDefaultAccountId.telegram, "string");
  assert.ok(payload.warnings.some((w) => w.path === "channels.signal.allowFrom" && /placeholder/.test(w.message) && /openclaw config set/.test(w.fix ?? "")), JSON.stringify(payload.warnings));
  assert.ok(payload.warnings.some((w) => w.channel === "signal" && /enabled but not running/.test(w.message) && /channels logs --channel signal/.test(w.fix ?? "")), JSON.stringify(payload.warnings));
  assert.ok(!payload.warnings.some((w) => w.accountId === "work"), "a disabled account is not a warning");

  const human = await runBinary(["channels", "status", ...flags], { env: gw.env });
  assert.equal(human.code, 0, show(human));
  assert.match(human.stdout, /^- Telegram work: disabled, configured, stopped/m);
  assert.match(human.stdout, /^Warnings:$/m);
  assert.match(human.stdout, /^- channels\.signal\.allowFrom has placeholder entry "\+46XXXXXXXXX".*\(fix: /m);
  assert.match(human.stdout, /^- signal default: enabled but not running/m);
  assert.match(human.stdout, /^- Run: openclaw doctor$/m);

  const one = await runBinary(["channels", "status", "--channel", "telegram", "--probe", "--timeout", "5000", "--json", ...flags], { env: gw.env });
  assert.equal(one.code, 0, show(one));
  const filtered = JSON.parse(one.stdout) as typeof payload;
  assert.deepEqual(Object.keys(filtered.channelAccounts), ["telegram"]);
  assert.deepEqual(filtered.channelOrder, ["telegram"]);
  assert.ok(filtered.warnings.every((w) => w.channel === "telegram"), JSON.stringify(filtered.warnings));

  const bad = await runBinary(["channels", "status", "--timeout", "0", ...flags], { env: gw.env });
  assert.equal(bad.code, 2, show(bad));
  assert.match(bad.stderr, /--timeout must be a positive number of milliseconds/);
});

test("channels status with the gateway down: says so, prints the config-only view, exits 0 as OpenClaw does", async (t) => {
  const port = await freePort();
  const { env, configPath } = setup(t, {
    gateway: { mode: "local", port, auth: { mode: "token", token: "gw-token-0123456789abcdef" } },
    channels: { telegram: { botToken: TOKEN, dmPolicy: "open", allowFrom: ["12345"] }, googlechat: { enabled: false } },
  });
  const r = await runBinary(["channels", "status", "--json"], { env });
  assert.equal(r.code, 0, show(r));
  assert.ok(!leaks(r, TOKEN), show(r));
  const data = JSON.parse(r.stdout) as { gatewayReachable: boolean; configOnly: boolean; config: { path: string; mode: string }; configuredChannels: string[]; accounts: Array<Record<string, unknown>>; warnings: Array<{ path?: string }>; error: string };
  assert.equal(data.gatewayReachable, false);
  assert.equal(data.configOnly, true);
  assert.deepEqual(data.config, { path: configPath, mode: "local" });
  assert.deepEqual(data.configuredChannels, ["googlechat", "telegram"]);
  assert.match(data.error, new RegExp(`127\\.0\\.0\\.1:${port}`));
  assert.deepEqual(
    data.accounts.map((a) => [a.channel, a.accountId, a.enabled, a.tokenSource, a.dmPolicy]),
    [
      ["googlechat", "default", false, "none", "pairing"],
      ["telegram", "default", true, "config", "open"],
    ],
  );
  assert.ok(data.warnings.some((w) => w.path === "channels.telegram.dmPolicy"), "open without * is a finding");

  const human = await runBinary(["channels", "status"], { env });
  assert.equal(human.code, 0, show(human));
  assert.match(human.stderr, /Gateway not reachable: gateway connect failed/);
  assert.match(human.stdout, /^Gateway not reachable; showing config-only status\.$/m);
  assert.match(human.stdout, /^- Telegram default: enabled, configured, token:config, dm:open$/m);
  assert.match(human.stdout, /^- Google Chat default: disabled, not configured/m);
  assert.match(human.stdout, /dmPolicy is "open" but channels\.telegram\.allowFrom has no "\*"/);
  assert.ok(!leaks(human, TOKEN), show(human));

  const logout = await runBinary(["channels", "logout", "--channel", "telegram"], { env });
  assert.equal(logout.code, 4, show(logout));
  assert.match(logout.stderr, /gateway connect failed/);
});

test("channels logs keeps the channel lines of the gateway's file log, per channel and --lines", async (t) => {
  const { home, env } = setup(t, { gateway: { mode: "local" }, logging: { file: "~/logs/openclaw.log" } });
  const logFile = path.join(home, "logs", "openclaw.log");
  const rec = (i: number, subsystem: string, message: string, meta?: Record<string, unknown>) => formatRecord({ time: `2026-11-21T10:00:${String(i).padStart(2, "0")}.000Z`, level: "info", subsystem, message, ...(meta ? { meta } : {}) });
  writeFile(
    logFile,
    `${[
      rec(1, "gateway/channels", "manager started"),
      rec(2, "gateway/channels/telegram", "telegram default connected"),
      rec(3, "gateway/channels/googlechat", "googlechat webhook ready"),
      rec(4, "gateway/ws", "client connected"),
      rec(5, "agent/router", "dropped message", { channel: "telegram", reason: "not-allowlisted" }),
      rec(6, "gateway/channels/telegram-archive", "not telegram"),
      rec(7, "gateway/channels/telegram/poll", "poll restarted"),
      "not json at all",
      rec(8, "telegram", "plugin line"),
    ].join("\n")}\n`,
  );
  const all = await runBinary(["channels", "logs", "--json"], { env });
  assert.equal(all.code, 0, show(all));
  const allData = JSON.parse(all.stdout) as { file: string; channel: string; truncated: boolean; lines: Array<{ message: string; subsystem: string }> };
  assert.equal(allData.file, logFile);
  assert.equal(allData.channel, "all");
  assert.deepEqual(allData.lines.map((l) => l.message), ["manager started", "telegram default connected", "googlechat webhook ready", "not telegram", "poll restarted"]);

  const tg = await runBinary(["channels", "logs", "--channel", "Telegram", "--json"], { env });
  const tgData = JSON.parse(tg.stdout) as typeof allData;
  assert.equal(tgData.channel, "telegram");
  assert.deepEqual(tgData.lines.map((l) => l.message), ["telegram default connected", "dropped message", "poll restarted", "plugin line"]);

  const last = await runBinary(["channels", "logs", "--channel", "telegram", "--lines", "2"], { env });
  assert.equal(last.code, 0, show(last));
  assert.match(last.stdout, /^Log file: /m);
  assert.match(last.stdout, /^Log tail truncated/m);
  const printed = last.stdout.split("\n").filter((l) => l.startsWith("2026-"));
  assert.equal(printed.length, 2, last.stdout);
  assert.match(printed[0]!, /^2026-11-21T10:00:07\.000Z INFO .*poll restarted$/);
  assert.match(printed[1]!, /plugin line$/);

  const none = await runBinary(["channels", "logs", "--channel", "slack"], { env });
  assert.match(none.stdout, /No matching log lines\./);
  const bad = await runBinary(["channels", "logs", "--lines", "0"], { env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--lines must be a positive integer/);
});

test("message send: one-line usage errors (exit 2), --dry-run, and the gateway down (exit 4)", async (t) => {
  const port = await freePort();
  const { env } = setup(t, { gateway: { mode: "local", port, auth: { mode: "token", token: "gw-token-0123456789abcdef" } }, channels: { telegram: { botToken: TOKEN }, signal: {} } });
  const usage: Array<[string[], RegExp]> = [
    [["message", "send", "--channel", "telegram", "--message", "hi"], /--target is required/],
    [["message", "send", "--channel", "telegram", "-t", "123"], /--message is required/],
    [["message", "send", "--channel", "telegram", "-t", " ", "-m", "hi"], /--target must not be blank/],
    [["message", "send", "-t", "123", "-m", "hi"], /--channel is required when several channels are configured \(signal, telegram\)/],
    [["message", "send", "--channel", "", "-t", "123", "-m", "hi"], /--channel must not be blank/],
    [["message", "send", "--channel", "telegram", "-t", "123", "-m", "hi", "--account", ""], /--account must not be blank/],
  ];
  for (const [argv, message] of usage) {
    const r = await runBinary(argv, { env });
    assert.equal(r.code, 2, `${argv.join(" ")}\n${show(r)}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /hint: .*openclaw message send --channel <id> --target <dest> --message "<text>"/);
  }
  const dry = await runBinary(["message", "send", "--channel", "telegram", "--target", "@mychat", "-m", "hello", "--dry-run", "--json"], { env });
  assert.equal(dry.code, 0, show(dry));
  const params = (JSON.parse(dry.stdout) as { params: Record<string, string> }).params;
  assert.deepEqual([params.to, params.message, params.channel], ["@mychat", "hello", "telegram"]);
  assert.match(params.idempotencyKey ?? "", /^[0-9a-f-]{36}$/);

  const down = await runBinary(["message", "send", "--channel", "telegram", "--target", "123", "--message", "hello", "--json"], { env });
  assert.equal(down.code, 4, show(down));
  const err = JSON.parse(down.stdout) as { error: { code: string; message: string } };
  assert.equal(err.error.code, "UNREACHABLE");
  assert.match(err.error.message, new RegExp(`gateway connect failed: ws://127\\.0\\.0\\.1:${port}`));
});
