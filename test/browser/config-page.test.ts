/**
 * The Control UI's config page in headless Chromium against a real gateway (issue 17): an edit of a
 * hot key shows its path and a hot reload plan, is saved with `config.apply`, applied by the running
 * gateway without a restart (same connection) and read back by the real `openclaw config get`; a
 * file changed behind the page's back makes the save a conflict naming the key changed on disk (file
 * untouched, Reload shows the new file); an invalid edit is refused with its path shown inline; and
 * no secret from the config ever appears in the page. Every page must log no errors.
 * Needs `npm run build` first (the CLI is spawned from dist/).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { pollUntil } from "../../src/infra/index.js";
import { runBinary } from "../helpers/cli.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { buildControlUiOnce, launchBrowser, openPage } from "./harness.js";

type T = Parameters<typeof startTestGateway>[0] & { name: string };

/** A gateway serving the freshly built UI. */
async function startUiGateway(t: T, config: Record<string, unknown> = {}): Promise<TestGateway> {
  const root = await buildControlUiOnce();
  const gateway = (config.gateway ?? {}) as Record<string, unknown>;
  return startTestGateway(t, { config: { ...config, gateway: { ...gateway, controlUi: { ...((gateway.controlUi as object | undefined) ?? {}), root } } } });
}

const base = (gw: TestGateway) => `http://127.0.0.1:${gw.rt.port}/`;
const byId = (page: Page, testid: string) => page.locator(`[data-testid="${testid}"]`);
const text = async (page: Page, testid: string) => ((await byId(page, testid).first().textContent({ timeout: 1000 }).catch(() => null)) ?? "").trim();
const waitText = async (page: Page, testid: string, want: string | RegExp, what: string) => {
  let last = "";
  const ok = await pollUntil(async () => {
    last = await text(page, testid);
    return typeof want === "string" ? last === want : want.test(last);
  }, 15_000, 50);
  assert.ok(ok, `${what} (last: ${JSON.stringify(last)})`);
};
const editorText = (page: Page) => byId(page, "config-editor").inputValue({ timeout: 1000 });
const connId = (page: Page) => page.locator("main").getAttribute("data-conn-id");

/** Opens the page with the token, goes to the config route and waits for the file in the editor. */
async function openConfig(page: Page, gw: TestGateway): Promise<void> {
  await page.goto(`${base(gw)}#token=${encodeURIComponent(gw.token)}`);
  await byId(page, "nav-config").click();
  await byId(page, "config-editor").waitFor({ timeout: 15_000 });
  assert.ok(page.url().endsWith("#/config"));
  assert.ok(await pollUntil(async () => (await editorText(page).catch(() => "")).includes('"gateway"'), 15_000, 50), "the editor holds the file");
}

/** Every piece of text the page holds: shadow DOM text and form values included. */
function pageText(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const out = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll("*")) {
        if (el.shadowRoot) walk(el.shadowRoot);
        if ("value" in el && typeof el.value === "string") out.push(el.value);
        for (const a of el.getAttributeNames()) out.push(el.getAttribute(a));
      }
      out.push(root.textContent ?? "");
    };
    walk(document);
    out.push(location.href, document.title);
    return out.join("\\n");
  })()`);
}

describe("Control UI config page in Chromium", () => {
  test("a config edit saved from the page is applied hot and visible in `openclaw config get`", async (t) => {
    const browser = await launchBrowser(t);
    const gw = await startUiGateway(t);
    const { page, assertNoErrors } = await openPage(t, browser, { name: "config-hot-save" });
    // The page's requests as sent on the wire.
    const sent: Array<{ method?: string; params?: { raw?: string; baseHash?: string } }> = [];
    page.on("websocket", (ws) => ws.on("framesent", (f) => typeof f.payload === "string" && sent.push(JSON.parse(f.payload))));
    assert.equal(gw.rt.runningConfig().logging.level, "info");
    await openConfig(page, gw);
    assert.equal(await text(page, "config-path"), gw.configPath);
    assert.equal(await text(page, "config-valid"), "valid");
    const hashBefore = await byId(page, "config-hash").getAttribute("title");
    assert.match(hashBefore ?? "", /^[0-9a-f]{12,}$/);
    assert.equal(await text(page, "config-hash"), hashBefore!.slice(0, 12));
    assert.ok(await byId(page, "config-save").isDisabled(), "nothing to save before an edit");
    const before = await connId(page);
    assert.ok(before, "the page shows its connection id");

    const raw = await editorText(page);
    assert.ok(!raw.includes(gw.token), "the gateway token is masked in the editor");
    await byId(page, "config-editor").fill(raw.replace('"logging": {', '"logging": {\n    "level": "debug",'));
    await waitText(page, "config-changes", /logging\.level/, "the changed key is listed");
    assert.deepEqual(await byId(page, "config-change").allTextContents(), ["logging.level"]);
    const plan = await text(page, "config-reload-plan");
    assert.match(plan, /hot/i);
    assert.doesNotMatch(plan, /restart/i);
    assert.ok(await byId(page, "config-save").isEnabled());

    await byId(page, "config-save").click();
    await waitText(page, "config-saved", /applied hot/, "the page says it was saved and applied hot");
    const applies = sent.filter((f) => f.method === "config.apply");
    assert.equal(applies.length, 1, "one config.apply was sent");
    assert.equal(applies[0]!.params?.baseHash, hashBefore, "with the loaded hash as baseHash");
    assert.match(applies[0]!.params?.raw ?? "", /"level": "debug"/);
    assert.ok(!applies[0]!.params?.raw?.includes(gw.token), "the page sent the mask, never the secret");
    assert.ok(await pollUntil(() => gw.rt.runningConfig().logging.level === "debug", 10_000, 20), "the running gateway applied the new level");
    // The page reloaded the file: the new hash, the new text, nothing left to save.
    assert.ok(await pollUntil(async () => (await byId(page, "config-hash").getAttribute("title")) !== hashBefore, 10_000, 50), "the hash changed");
    assert.match(await editorText(page), /"level": "debug"/);
    assert.equal(await text(page, "config-changes"), "No changes.");
    assert.ok(await byId(page, "config-save").isDisabled());

    const file = readFileSync(gw.configPath, "utf8");
    assert.ok(file.includes(gw.token), "the masked token was kept as the real one on save");
    assert.ok(!file.includes("REDACTED"), "no placeholder reached the file");
    const get = await runBinary(["config", "get", "logging.level"], { env: gw.env });
    assert.equal(get.code, 0, get.stderr);
    assert.equal(get.stdout, "debug\n");

    assert.equal(await connId(page), before, "the gateway did not restart (same connection)");
    assert.ok(await page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal overflow at 375 px");
    assertNoErrors();
  });

  test("a stale baseHash shows the conflict with the changed keys", async (t) => {
    const browser = await launchBrowser(t);
    const gw = await startUiGateway(t);
    const { page, assertNoErrors } = await openPage(t, browser, { name: "config-conflict" });
    await openConfig(page, gw);

    // Behind the page's back: the real CLI changes a key in the file.
    const set = await runBinary(["config", "set", "logging.level", "warn"], { env: gw.env });
    assert.equal(set.code, 0, set.stderr);
    const onDisk = readFileSync(gw.configPath);
    assert.match(onDisk.toString(), /"level": "warn"/);

    const edited = (await editorText(page)).replace('"debounceMs": 50', '"debounceMs": 75');
    await byId(page, "config-editor").fill(edited);
    await waitText(page, "config-changes", /gateway\.reload\.debounceMs/, "the page's own change is listed");
    await byId(page, "config-save").click();
    await waitText(page, "config-conflict", /logging\.level/, "the conflict names the key changed on disk");
    assert.doesNotMatch(await text(page, "config-conflict"), /debounceMs/, "only keys changed on disk are named");
    assert.deepEqual(readFileSync(gw.configPath), onDisk, "the failed save left the file byte-identical");
    assert.equal(await editorText(page), edited, "the edit is kept until Reload is clicked");

    await byId(page, "config-reload").click();
    assert.ok(await pollUntil(async () => /"level": "warn"/.test(await editorText(page)), 10_000, 50), "Reload shows the current file");
    assert.match(await editorText(page), /"debounceMs": 50/);
    assert.equal(await byId(page, "config-conflict").count(), 0);
    assert.equal(await text(page, "config-changes"), "No changes.");
    assertNoErrors();
  });

  test("an invalid edit is refused with its path shown inline and the file unchanged; a syntax error shows line:col", async (t) => {
    const browser = await launchBrowser(t);
    const gw = await startUiGateway(t);
    const { page, assertNoErrors } = await openPage(t, browser, { name: "config-invalid" });
    await openConfig(page, gw);
    const onDisk = readFileSync(gw.configPath);
    const raw = await editorText(page);
    const before = await connId(page);

    // Unparseable: the position is shown and Save is off.
    await byId(page, "config-editor").fill(raw.replace('"mode": "local"', '"mode": "local" "oops"'));
    await waitText(page, "config-parse-error", /^Line 3, column \d+: /, "the syntax error shows its line and column");
    assert.equal(await byId(page, "config-changes").count(), 0);
    assert.ok(await byId(page, "config-save").isDisabled(), "no save while the text does not parse");

    // Parses but is invalid: the gateway refuses it, naming the path.
    await byId(page, "config-editor").fill(raw.replace('"gateway": {', '"gateway": {\n    "port": "x",'));
    await waitText(page, "config-changes", /gateway\.port/, "the change is listed");
    assert.match(await text(page, "config-reload-plan"), /restarts the gateway/i);
    assert.equal(await byId(page, "config-parse-error").count(), 0);
    await byId(page, "config-save").click();
    const issue = byId(page, "config-issue");
    assert.ok(await pollUntil(async () => (await issue.count()) > 0, 15_000, 50), "the refusal lists its issues");
    assert.equal(await issue.first().getAttribute("data-path"), "gateway.port");
    assert.match((await issue.first().textContent()) ?? "", /^gateway\.port: ./);
    assert.deepEqual(readFileSync(gw.configPath), onDisk, "the file is byte-identical");
    assert.equal(await byId(page, "config-saved").count(), 0);
    assert.equal(await connId(page), before, "the gateway kept running");
    assertNoErrors();
  });

  test("a secret in the config never appears in the page", async (t) => {
    const browser = await launchBrowser(t);
    const secrets = {
      botToken: "123456789:AAplantedTelegramTokenConfigPage0123456",
      apiKey: "sk-ant-api03-configPageKEY000000000000000000",
    };
    const gw = await startUiGateway(t, {
      channels: { telegram: { botToken: secrets.botToken, dmPolicy: "pairing" } },
      models: { providers: { anthropic: { baseUrl: "http://127.0.0.1:9/", apiKey: secrets.apiKey } } },
    });
    const { page, assertNoErrors } = await openPage(t, browser, { name: "config-secrets" });
    await openConfig(page, gw);
    const all = [gw.token, secrets.botToken, secrets.apiKey];
    const check = async (when: string) => {
      const shown = await pageText(page);
      assert.ok(shown.includes('"apiKey"') && shown.includes("REDACTED"), "the walk sees the editor's text");
      for (const s of all) assert.ok(!shown.includes(s), `${when}: the page holds no secret (${s.slice(0, 6)}…)`);
    };
    const raw = await editorText(page);
    assert.match(raw, /"botToken": "\w*REDACTED\w*"/, "the bot token is masked, not dropped");
    assert.match(raw, /"apiKey": "\w*REDACTED\w*"/, "the API key is masked, not dropped");
    await check("loaded");

    // Saving an unrelated change keeps the stored secrets (the masks are restored on the server).
    await byId(page, "config-editor").fill(raw.replace('"dmPolicy": "pairing"', '"dmPolicy": "allowlist", "allowFrom": ["tg:1"]'));
    await waitText(page, "config-changes", /channels\.telegram\.dmPolicy/, "the change is listed");
    await byId(page, "config-save").click();
    await waitText(page, "config-saved", /^Saved/, "saved");
    const file = readFileSync(gw.configPath, "utf8");
    for (const s of all) assert.ok(file.includes(s), "the file still holds the real secret");
    await check("after saving");
    assertNoErrors();
  });
});
