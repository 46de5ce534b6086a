/**
 * The Control UI in headless Chromium against a real gateway (issue 17): the overview loads from
 * `/#token=…` and shows the version, a Telegram account's state and a drop counter that rises when a
 * stranger's DM is blocked; without a token the page asks for one, a wrong one is refused with where
 * to find the right one; the token leaves the address bar and never appears in a served file; a chat
 * message streams back the loopback model's reply, lands in the session JSONL, shows again from
 * history, a hanging turn can be aborted, and after a gateway restart the page reconnects by itself.
 * Every page must log no errors.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { pollUntil } from "../../src/infra/index.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { buildControlUiOnce, launchBrowser, openPage } from "./harness.js";

const TG_TOKEN = "123456789:AAplantedTelegramTokenBrowser0123456789";

type T = Parameters<typeof startTestGateway>[0] & { name: string };

/** A gateway serving the freshly built UI. */
async function startUiGateway(t: T, config: Record<string, unknown> = {}, channels = false): Promise<TestGateway> {
  const root = await buildControlUiOnce();
  const gateway = (config.gateway ?? {}) as Record<string, unknown>;
  return startTestGateway(t, { channels, config: { ...config, gateway: { ...gateway, controlUi: { ...((gateway.controlUi as object | undefined) ?? {}), root } } } });
}

const base = (gw: TestGateway) => `http://127.0.0.1:${gw.rt.port}/`;
const text = async (page: Page, testid: string) => ((await page.locator(`[data-testid="${testid}"]`).first().textContent({ timeout: 1000 }).catch(() => null)) ?? "").trim();
const waitText = async (page: Page, testid: string, want: string | RegExp, what: string) => {
  let last = "";
  const ok = await pollUntil(async () => {
    last = await text(page, testid);
    return typeof want === "string" ? last === want : want.test(last);
  }, 15_000, 50);
  assert.ok(ok, `${what} (last: ${JSON.stringify(last)})`);
};

describe("Control UI in Chromium", () => {
  test("overview from /#token=: version, a Telegram account's state, and a drop counter that rises when a stranger's DM is blocked", async (t) => {
    const browser = await launchBrowser(t);
    const bot = await startFakeTelegram({ tokens: [TG_TOKEN], botUsername: "ui_bot" });
    t.after(() => bot.close());
    const gw = await startUiGateway(t, { channels: { telegram: { botToken: TG_TOKEN, apiRoot: bot.apiRoot, dmPolicy: "allowlist", allowFrom: ["tg:1001"] } } }, true);
    const { page, assertNoErrors } = await openPage(t, browser, { name: "overview" });
    await page.goto(`${base(gw)}#token=${encodeURIComponent(gw.token)}`);
    await waitText(page, "overview-version", "0.0.0-test", "the overview shows the gateway's version");
    assert.equal(page.url(), base(gw), "the token left the address bar");
    assert.equal(await page.evaluate<string | null>(`sessionStorage.getItem(${JSON.stringify(`openclaw.control.token.v1:ws://127.0.0.1:${gw.rt.port}`)})`), gw.token, "kept in sessionStorage under the gateway's key");
    assert.equal(await text(page, "overview-auth"), "token");
    assert.match(await text(page, "overview-bind"), new RegExp(`port ${gw.rt.port}`));

    const row = page.locator('[data-testid="channel-row"][data-channel="telegram"][data-account="default"]');
    const state = async () => ((await row.locator('[data-testid="channel-state"]').textContent({ timeout: 1000 }).catch(() => "")) ?? "").trim();
    const drops = async () => ((await row.locator('[data-testid="drop-count"]').textContent({ timeout: 1000 }).catch(() => "")) ?? "").trim();
    assert.ok(await pollUntil(async () => (await state()) === "connected", 20_000, 100), `the Telegram account shows connected (last: ${await state()})`);
    assert.equal(await drops(), "0");

    bot.enqueue({ chatId: 2002, fromId: 2002, text: "ping-stranger" });
    assert.ok(await pollUntil(async () => (await drops()) === "1", 20_000, 100), `the drop counter rose to 1 (last: ${await drops()})`);
    assert.equal(bot.sent().length, 0, "the stranger got no answer");
    // Fits 375 px: nothing scrolls sideways.
    assert.ok(await page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal overflow at 375 px");
    assertNoErrors();
  });

  test("without a token the form shows; a wrong token is refused with where the token lives; the right one connects", async (t) => {
    const browser = await launchBrowser(t);
    const gw = await startUiGateway(t);
    const { page, assertNoErrors } = await openPage(t, browser, { name: "token-form" });
    await page.goto(base(gw));
    await page.locator('[data-testid="token-form"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('[data-testid="auth-error"]').count(), 0, "no error before a token was tried");

    // Keyboard only: Tab reaches the token field, Enter submits.
    await pollUntil(async () => {
      await page.keyboard.press("Tab");
      // Evaluated in the page (as text: the test's own types have no DOM).
      return page.evaluate<boolean>(`(() => {
        let el = document.activeElement;
        while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
        return el !== null && el.getAttribute("data-testid") === "token-input";
      })()`);
    }, 5000, 0);
    await page.keyboard.type("wrong-token-000");
    await page.keyboard.press("Enter");
    await waitText(page, "auth-error", /refused/, "a wrong token is refused");
    const message = await text(page, "auth-error");
    for (const where of ["gateway.auth.token", "OPENCLAW_GATEWAY_TOKEN", "openclaw dashboard"]) assert.ok(message.includes(where), `names ${where}: ${message}`);
    assert.ok(!message.includes("wrong-token-000"), "the refused token is not echoed");

    await page.locator('[data-testid="token-input"]').fill(gw.token);
    await page.locator('[data-testid="token-submit"]').click();
    await waitText(page, "overview-version", "0.0.0-test", "the right token connects");
    assertNoErrors();
  });

  test("a wrong #token= shows the refusal; ?token= works with a warning; no served file contains the token", async (t) => {
    const browser = await launchBrowser(t);
    const gw = await startUiGateway(t);
    const wrong = await openPage(t, browser, { name: "wrong-fragment-token" });
    await wrong.page.goto(`${base(gw)}#token=not-the-token`);
    await waitText(wrong.page, "auth-error", /refused/, "a wrong fragment token is refused");
    assert.equal(wrong.page.url(), base(gw));
    assert.equal(await wrong.page.evaluate<number>("sessionStorage.length"), 0, "a refused token is not kept");
    wrong.assertNoErrors();

    const viaQuery = await openPage(t, browser, { name: "query-token", colorScheme: "dark" });
    const warnings: string[] = [];
    viaQuery.page.on("console", (m) => {
      if (m.type() === "warning") warnings.push(m.text());
    });
    await viaQuery.page.goto(`${base(gw)}?token=${encodeURIComponent(gw.token)}#/overview`);
    await waitText(viaQuery.page, "overview-version", "0.0.0-test", "?token= connects");
    assert.equal(viaQuery.page.url(), `${base(gw)}#/overview`, "the query token left the address bar");
    assert.ok(warnings.some((w) => w.includes("#token=")), `a console warning points to #token= (${JSON.stringify(warnings)})`);
    // prefers-color-scheme: dark gets a dark page.
    const bg = await viaQuery.page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
    assert.equal(bg, "rgb(21, 23, 27)");
    viaQuery.assertNoErrors();

    // Every file the gateway serves for the UI: index.html, what it references, and the whole build.
    const html = await (await fetch(base(gw))).text();
    assert.match(html, /<openclaw-app>/);
    const served = [html];
    for (const m of html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)) {
      const res = await fetch(new URL(m[1]!, base(gw)));
      assert.equal(res.status, 200, m[1]);
      served.push(await res.text());
    }
    assert.ok(served.length >= 2, "the page references its bundle");
    const root = await buildControlUiOnce();
    const built = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    for (const e of built) served.push(readFileSync(path.join(e.parentPath, e.name), "utf8"));
    for (const body of served) assert.ok(!body.includes(gw.token), "no served file contains the token");
  });

  test("under gateway.controlUi.basePath the page, its assets and its routes work from /<base>", async (t) => {
    const browser = await launchBrowser(t);
    const gw = await startUiGateway(t, { gateway: { controlUi: { basePath: "/console" } } });
    const { page, assertNoErrors } = await openPage(t, browser, { name: "base-path", width: 1024 });
    await page.goto(`${base(gw)}console#token=${encodeURIComponent(gw.token)}`);
    await waitText(page, "overview-version", "0.0.0-test", "the overview loads under the base path");
    assert.equal(page.url(), `${base(gw)}console/`);
    await page.locator('[data-testid="nav-chat"]').click();
    await page.locator('[data-testid="chat-input"]').waitFor({ timeout: 10_000 });
    assert.equal(page.url(), `${base(gw)}console/#/chat`);

    // A broken config edit: the overview shows the failed reload (the gateway keeps the last good config).
    await page.locator('[data-testid="nav-overview"]').click();
    await waitText(page, "overview-version", "0.0.0-test", "back on the overview");
    assert.equal(await page.locator('[data-testid="overview-reload-error"]').count(), 0);
    writeFileSync(gw.configPath, '{ "gateway": { "mode": "local", "port": "not-a-port" } }\n');
    await waitText(page, "overview-reload-error", /last reload failed: .*port/, "the reload error shows");
    assertNoErrors();
  });

  test("chat: a message streams back the loopback model's reply into the page and the session JSONL; history on reload; abort", async (t) => {
    const browser = await launchBrowser(t);
    const llm = await startFakeLlm(async (req) => {
      const last = [...JSON.stringify(req.body.messages).matchAll(/ping-[\w-]+/g)].at(-1)?.[0] ?? "?";
      return last === "ping-hang" ? { hang: true } : { text: `echo: ${last}` };
    });
    t.after(() => llm.close());
    const gw = await startUiGateway(t, {
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-browserKEY0000000000000000000" } } },
    });
    const { page, assertNoErrors } = await openPage(t, browser, { name: "chat" });
    await page.goto(`${base(gw)}#token=${encodeURIComponent(gw.token)}`);
    await page.locator('[data-testid="nav-chat"]').click();
    assert.ok(page.url().endsWith("#/chat"));
    const input = page.locator('[data-testid="chat-input"]');
    await input.waitFor({ timeout: 10_000 });
    // Record every state the assistant's message shows, to see the reply stream in (not just land).
    await page.evaluate(`(() => {
      const root = document.querySelector("openclaw-app").shadowRoot.querySelector("oc-chat").shadowRoot;
      window.__seen = [];
      new MutationObserver(() => {
        for (const m of root.querySelectorAll('[data-role="assistant"]')) window.__seen.push(m.getAttribute("data-state") + ":" + m.textContent);
      }).observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    })()`);
    await input.fill("ping-browser");
    await page.locator('[data-testid="chat-send"]').click();
    const reply = page.locator('[data-testid="chat-message"][data-role="assistant"]');
    assert.ok(await pollUntil(async () => ((await reply.last().textContent({ timeout: 500 }).catch(() => "")) ?? "") === "echo: ping-browser", 20_000, 50), "the model's reply streamed in");
    assert.equal(await reply.last().getAttribute("data-state"), "final");
    const seen = await page.evaluate<string[]>("window.__seen");
    assert.ok(seen.some((x) => x.startsWith("streaming:") && x !== "streaming:echo: ping-browser"), `a partial reply was shown while streaming: ${JSON.stringify([...new Set(seen)])}`);
    assert.equal(await page.locator('[data-testid="chat-message"][data-role="user"]').last().textContent(), "ping-browser");

    const sessionsDir = path.join(gw.stateDir, "agents", "main", "sessions");
    const transcript = () =>
      readdirSync(sessionsDir)
        .filter((f) => f.endsWith(".jsonl"))
        .map((f) => readFileSync(path.join(sessionsDir, f), "utf8"))
        .join("\n");
    assert.ok(await pollUntil(() => transcript().includes("echo: ping-browser"), 10_000, 20), "the reply is in the session JSONL");
    assert.ok(transcript().includes("ping-browser"));

    // History: a reload shows the conversation from chat.history.
    await page.reload();
    const messages = page.locator('[data-testid="chat-message"]');
    assert.ok(await pollUntil(async () => (await messages.count()) === 2, 15_000, 50), "history shows both messages after a reload");
    assert.deepEqual(await messages.allTextContents(), ["ping-browser", "echo: ping-browser"]);

    // Pick another session: one a different client talked in shows its own transcript.
    const other = await gw.connect({ timeoutMs: 10_000 });
    t.after(() => other.close());
    await other.call("chat.send", { sessionKey: "agent:main:side", message: "ping-side", idempotencyKey: "side-1" });
    assert.ok(await pollUntil(() => transcript().includes("echo: ping-side"), 15_000, 20), "the side session answered");
    await page.reload();
    const sessionPicker = page.locator('[data-testid="chat-session"]');
    assert.ok(await pollUntil(async () => (await sessionPicker.locator("option").allTextContents()).includes("agent:main:side"), 15_000, 50), "the side session is offered");
    assert.deepEqual(await sessionPicker.locator("option").allTextContents(), ["agent:main:main", "agent:main:side"]);
    await sessionPicker.selectOption("agent:main:side");
    assert.ok(await pollUntil(async () => JSON.stringify(await messages.allTextContents()) === JSON.stringify(["ping-side", "echo: ping-side"]), 15_000, 50), "the side session's history shows");
    await sessionPicker.selectOption("agent:main:main");
    assert.ok(await pollUntil(async () => (await messages.count()) === 2 && (await messages.first().textContent()) === "ping-browser", 15_000, 50), "back on main");

    // Abort: a turn whose model never answers is stopped from the page.
    await input.fill("ping-hang");
    await input.press("Control+Enter");
    const abort = page.locator('[data-testid="chat-abort"]');
    assert.ok(await pollUntil(() => abort.isEnabled(), 15_000, 50), "abort is offered while the turn runs");
    await abort.click();
    assert.ok(await pollUntil(async () => (await page.locator('[data-testid="chat-send"]').isEnabled()) && !(await abort.isEnabled()), 15_000, 50), "the turn ended");
    assert.equal(await reply.last().getAttribute("data-state"), "aborted");

    // A gateway restart drops the socket: the page reconnects on its own (a new connection id) and chat works again.
    const connId = () => page.locator("main").getAttribute("data-conn-id");
    const before = await connId();
    assert.ok(before, "the page shows its connection id");
    assertNoErrors();
    await gw.rt.restart("browser test");
    assert.ok(await pollUntil(async () => ![before, "", null].includes(await connId()), 20_000, 50), "the page reconnected after the restart");
    await input.fill("ping-after-restart");
    await page.locator('[data-testid="chat-send"]').click();
    assert.ok(await pollUntil(async () => ((await reply.last().textContent({ timeout: 500 }).catch(() => "")) ?? "") === "echo: ping-after-restart", 20_000, 50), "chat works after reconnecting");
    // While the gateway was down the browser itself logs refused WebSocket connects; nothing else.
    assertNoErrors(/WebSocket connection to .* failed: .*ERR_CONNECTION_REFUSED/);
  });
});
