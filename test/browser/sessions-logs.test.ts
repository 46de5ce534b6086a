/**
 * The Control UI's Sessions and Logs pages in headless Chromium against a real gateway (issue 17).
 * Sessions: two sessions a second client talked in (through the loopback model) are listed, the
 * search narrows to one, opening it shows its transcript, "Continue in Chat" opens it in WebChat, and
 * a reset (after an in-page confirm; Escape backs out) empties it while the old JSONL is archived as
 * `.reset.<ts>`. Logs: the page shows the file log's existing lines, a line the gateway writes after
 * the page loaded (a failed config reload, at error) appears live, the level filter "error" hides
 * the info lines, the text filter narrows, a paused page catches up on resume, and a truncated file
 * is noticed and read again from its start (a non-JSON line shown as text). Every page must
 * log no errors and fit 375 px.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { pollUntil } from "../../src/infra/index.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { buildControlUiOnce, launchBrowser, openPage, RESULTS_DIR } from "./harness.js";

type T = Parameters<typeof startTestGateway>[0] & { name: string };

/** A gateway serving the freshly built UI. */
async function startUiGateway(t: T, config: Record<string, unknown> = {}): Promise<TestGateway> {
  const root = await buildControlUiOnce();
  return startTestGateway(t, { config: { ...config, gateway: { controlUi: { root } } } });
}

const base = (gw: TestGateway) => `http://127.0.0.1:${gw.rt.port}/`;
const noOverflow = (page: Page) => page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth");
const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();
const waitFor = async (what: string, check: () => Promise<boolean>, show: () => Promise<unknown>) => {
  const ok = await pollUntil(check, 15_000, 50);
  assert.ok(ok, `${what} (last: ${JSON.stringify(await show())})`);
};

/** Opens the UI with the token and goes to `route` through the nav. */
async function openRoute(page: Page, gw: TestGateway, route: string): Promise<void> {
  await page.goto(`${base(gw)}#token=${encodeURIComponent(gw.token)}`);
  await page.locator(`[data-testid="nav-${route}"]`).click({ timeout: 15_000 });
  assert.ok(page.url().endsWith(`#/${route}`));
}

describe("Control UI Sessions and Logs in Chromium", () => {
  test("sessions: both listed, search narrows to one, its transcript opens, Continue in Chat, reset after a confirm archives the JSONL", async (t) => {
    const browser = await launchBrowser(t);
    const llm = await startFakeLlm(async (req) => ({ text: `echo: ${[...JSON.stringify(req.body.messages).matchAll(/ping-[\w-]+/g)].at(-1)?.[0] ?? "?"}` }));
    t.after(() => llm.close());
    const gw = await startUiGateway(t, {
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-browserKEY0000000000000000000" } } },
    });
    // Two sessions, talked in by another client.
    const other = await gw.connect({ timeoutMs: 10_000 });
    t.after(() => other.close());
    const history = async (sessionKey: string) => ((await other.call("chat.history", { sessionKey, limit: 50 })) as { messages: unknown[] }).messages.length;
    for (const name of ["alpha", "side"]) {
      await other.call("chat.send", { sessionKey: `agent:main:${name}`, message: `ping-${name}`, idempotencyKey: `${name}-1` });
      assert.ok(await pollUntil(async () => (await history(`agent:main:${name}`)) === 2, 15_000, 20), `the ${name} session answered`);
    }

    const { page, assertNoErrors } = await openPage(t, browser, { name: "sessions" });
    await openRoute(page, gw, "sessions");
    const rows = page.locator('[data-testid="session-row"]');
    const keys = () => rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-key")));
    await waitFor("both sessions are listed", async () => (await rows.count()) === 2, keys);
    assert.deepEqual((await keys()).sort(), ["agent:main:alpha", "agent:main:side"]);
    assert.match((await rows.first().textContent()) ?? "", /main.*(just now|\ds ago)/s, "a row shows its agent and when it was updated");

    // Search narrows the list (debounced, client side).
    const search = page.locator('[data-testid="sessions-search"]');
    await search.fill("SIDE");
    await waitFor("the search narrows to one session", async () => JSON.stringify(await keys()) === '["agent:main:side"]', keys);
    assert.equal((await texts(page, '[data-testid="sessions-count"]'))[0], "1 of 2 sessions");

    // Open it: its transcript shows.
    await rows.first().locator('[data-testid="session-open"]').click();
    const transcript = page.locator('[data-testid="session-transcript"]');
    const messages = transcript.locator('[data-testid="transcript-message"]');
    await waitFor("the side session's transcript shows", async () => JSON.stringify(await messages.allTextContents()) === JSON.stringify(["ping-side", "echo: ping-side"]), () => messages.allTextContents());
    assert.equal(await transcript.getAttribute("data-key"), "agent:main:side");
    assert.deepEqual(await messages.evaluateAll((els) => els.map((e) => e.getAttribute("data-role"))), ["user", "assistant"]);
    assert.ok(await noOverflow(page), "no horizontal overflow at 375 px");

    // Reset asks first; Escape backs out and nothing is reset.
    const sessionsDir = path.join(gw.stateDir, "agents", "main", "sessions");
    const archived = () => readdirSync(sessionsDir).filter((f) => /\.jsonl\.reset\./.test(f));
    const reset = page.locator('[data-testid="session-reset"]');
    const confirm = page.locator('[data-testid="session-reset-confirm"]');
    await reset.click();
    await confirm.waitFor({ timeout: 5000 });
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS_DIR, "sessions-reset-confirm.png"), fullPage: true });
    await page.keyboard.press("Escape");
    await waitFor("Escape closes the confirm", async () => (await confirm.count()) === 0, () => confirm.count());
    assert.equal(await messages.count(), 2, "still there after backing out");
    assert.deepEqual(archived(), []);

    // Reset, confirmed in the page: the transcript is empty, the old JSONL archived, the other session untouched.
    await reset.click();
    await confirm.click();
    await waitFor("the transcript shows empty after the reset", async () => (await messages.count()) === 0 && (await transcript.locator('[data-testid="transcript-empty"]').textContent()) === "No messages.", () => messages.allTextContents());
    assert.equal(archived().length, 1, `the old transcript was archived as .reset.<ts>: ${readdirSync(sessionsDir).join(", ")}`);
    assert.match(readFileSync(path.join(sessionsDir, archived()[0]!), "utf8"), /echo: ping-side/);
    assert.equal(await history("agent:main:side"), 0);
    assert.equal(await history("agent:main:alpha"), 2);
    assert.equal(await keys().then((k) => k.length), 1, "the list (refreshed) still holds the session under the search");

    // Continue in Chat: WebChat opens on that session, with its history.
    await search.fill("");
    await waitFor("the full list is back", async () => (await rows.count()) === 2, keys);
    await page.locator('[data-testid="session-row"][data-key="agent:main:alpha"] [data-testid="session-open"]').click();
    await waitFor("the alpha transcript shows", async () => (await messages.count()) === 2, () => messages.allTextContents());
    await page.locator('[data-testid="session-continue"]').click();
    await waitFor("the chat page opened on that session", async () => page.url().endsWith("#/chat?session=agent%3Amain%3Aalpha"), async () => page.url());
    const chatMessages = page.locator('[data-testid="chat-message"]');
    await waitFor("WebChat shows the alpha history", async () => JSON.stringify(await chatMessages.allTextContents()) === JSON.stringify(["ping-alpha", "echo: ping-alpha"]), () => chatMessages.allTextContents());
    assert.equal(await page.locator('[data-testid="chat-session"]').inputValue(), "agent:main:alpha");
    assertNoErrors();
  });

  test("logs: existing lines show, a new gateway line appears live, level filter error hides info, text filter, pause/resume, truncation, scrolling", async (t) => {
    const browser = await launchBrowser(t);
    const gw = await startUiGateway(t);
    const logFile = path.join(gw.home, "logs", "openclaw.log");
    const fileText = () => {
      try {
        return readFileSync(logFile, "utf8");
      } catch {
        return "";
      }
    };
    assert.ok(await pollUntil(() => fileText().includes('"INFO"'), 10_000, 20), "the gateway wrote info lines at start");

    const { page, assertNoErrors } = await openPage(t, browser, { name: "logs" });
    await openRoute(page, gw, "logs");
    const lines = page.locator('[data-testid="log-line"]');
    const levels = () => lines.evaluateAll((els) => els.map((e) => e.getAttribute("data-level")));
    await waitFor("existing info lines show", async () => (await levels()).includes("info"), levels);
    assert.equal(await page.locator('[data-testid="log-line"][data-level="error"]').count(), 0, "no error yet");
    const firstInfo = JSON.parse(fileText().split("\n").find((l) => l.includes('"INFO"'))!) as { message: string };
    assert.ok((await lines.allTextContents()).some((l) => l.includes(firstInfo.message)), `the file's first info line shows: ${firstInfo.message}`);

    // A line written after the page loaded: a broken config edit makes the gateway log a failed reload at error.
    writeFileSync(gw.configPath, '{ "gateway": { "mode": "local", "port": "not-a-port" } }\n');
    const errors = page.locator('[data-testid="log-line"][data-level="error"]');
    await waitFor("the failed reload appears live", async () => (await errors.count()) > 0 && /config reload skipped/.test((await errors.last().textContent()) ?? ""), () => lines.allTextContents());
    assert.match((await errors.last().textContent()) ?? "", /ERROR/);

    // Level filter: error and above only.
    await page.locator('[data-testid="logs-level"]').selectOption("error");
    await waitFor("only error lines show", async () => {
      const l = await levels();
      return l.length > 0 && l.every((x) => x === "error" || x === "fatal");
    }, levels);
    await page.locator('[data-testid="logs-level"]').selectOption("trace");
    await waitFor("all lines show again", async () => (await levels()).includes("info"), levels);

    // Text filter.
    await page.locator('[data-testid="logs-filter"]').fill("RELOAD SKIPPED");
    await waitFor("the text filter narrows", async () => {
      const all = await lines.allTextContents();
      return all.length > 0 && all.every((x) => /reload skipped/i.test(x));
    }, () => lines.allTextContents());
    await page.locator('[data-testid="logs-filter"]').fill("");

    // Paused, nothing new is fetched; on resume the page catches up.
    const pause = page.locator('[data-testid="logs-pause"]');
    await pause.click();
    assert.equal(await pause.getAttribute("aria-pressed"), "true");
    const before = await errors.count();
    const fileErrors = () => fileText().split("\n").filter((l) => l.includes('"ERROR"')).length;
    assert.equal(fileErrors(), before, "the page showed every error line of the file");
    writeFileSync(gw.configPath, '{ "gateway": { "mode": "local", "port": "still-not-a-port" } }\n');
    assert.ok(await pollUntil(() => fileErrors() > before, 15_000, 20), "the second failed reload is in the file");
    assert.equal(await errors.count(), before, "a paused page shows no new lines");
    await pause.click();
    assert.equal(await pause.getAttribute("aria-pressed"), "false");
    await waitFor("resuming fetches the line written while paused", async () => (await errors.count()) === fileErrors(), () => errors.allTextContents());

    // The file is truncated (as by rotation): the page says so and reads it from its start; a line
    // that is not JSON shows as plain text.
    writeFileSync(logFile, "plain text, not a record\n");
    writeFileSync(gw.configPath, '{ "gateway": { "mode": "local", "port": "third-bad-port" } }\n');
    const notice = page.locator('[data-testid="log-notice"]');
    await waitFor("a notice says the file was truncated", async () => /rotated or truncated/.test((await notice.last().textContent({ timeout: 500 }).catch(() => "")) ?? ""), () => notice.allTextContents());
    const raw = page.locator('[data-testid="log-line"][data-kind="raw"]');
    await waitFor("the plain line shows as text", async () => (await raw.count()) === 1 && (await raw.textContent())?.trim() === "plain text, not a record", () => raw.allTextContents());
    await waitFor("the new error line follows", async () => (await errors.count()) === before + 2, () => errors.allTextContents());
    // The page follows the newest line, unless the reader scrolled up.
    const box = page.locator('[data-testid="logs-lines"]');
    const atBottom = () => box.evaluate((el) => el.scrollHeight > el.clientHeight && el.scrollTop + el.clientHeight >= el.scrollHeight - 8);
    assert.ok(await atBottom(), "the lines overflow their box and it is scrolled to the bottom");
    await box.evaluate((el) => el.scrollTo(0, 0));
    const latest = page.locator('[data-testid="logs-latest"]');
    await latest.waitFor({ timeout: 5000 });
    writeFileSync(gw.configPath, '{ "gateway": { "mode": "local", "port": "fourth-bad-port" } }\n');
    await waitFor("another error line arrives", async () => (await errors.count()) === before + 3, () => errors.allTextContents());
    assert.equal(await box.evaluate((el) => el.scrollTop), 0, "scrolled up, the view stays put");
    await latest.click();
    await waitFor("Jump to latest scrolls down and follows again", async () => (await atBottom()) && (await latest.count()) === 0, () => box.evaluate((el) => [el.scrollTop, el.clientHeight, el.scrollHeight]));
    assert.ok(await noOverflow(page), "no horizontal overflow at 375 px");
    assertNoErrors();
  });
});
