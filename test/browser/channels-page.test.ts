/**
 * The Control UI's Channels page in headless Chromium against a real gateway (issue 17): a stranger
 * DMs a Telegram account with `dmPolicy: pairing` (loopback Bot API), the request shows on the page,
 * Approve removes it and the sender is approved in the store the CLI reads (and is told so through
 * Telegram); the account shows connected and Probe shows a live probe result. A WhatsApp account
 * links by QR: the page shows the QR image from `web.login.start` (Cancel hides it, linking again
 * resumes the same login) and, once the fake phone links, "linked as +1555…". Every page must log no errors and fit 375 px.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { PairingStore, whatsappPlugin } from "../../src/channels/index.js";
import type { GatewayOptions } from "../../src/gateway/index.js";
import { pollUntil, resolvePaths } from "../../src/infra/index.js";
import { runInProcess } from "../helpers/cli.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { emitOpen, recordingSocketFactory, startFakeWhatsApp } from "../helpers/fake-whatsapp.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { buildControlUiOnce, launchBrowser, openPage, RESULTS_DIR } from "./harness.js";

const TG_TOKEN = "123456789:AAplantedTelegramTokenChannelsPage0123";

type T = Parameters<typeof startTestGateway>[0] & { name: string };

/** A gateway running its channels and serving the freshly built UI. */
async function startUiGateway(t: T, config: Record<string, unknown>, gateway: Partial<GatewayOptions> = {}): Promise<TestGateway> {
  const root = await buildControlUiOnce();
  return startTestGateway(t, { channels: true, gateway, config: { ...config, gateway: { controlUi: { root } } } });
}

const base = (gw: TestGateway) => `http://127.0.0.1:${gw.rt.port}/`;
const textOf = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent({ timeout: 1000 }).catch(() => null)) ?? "").trim();
const waitText = async (page: Page, selector: string, want: string | RegExp, what: string) => {
  let last = "";
  const ok = await pollUntil(async () => {
    last = await textOf(page, selector);
    return typeof want === "string" ? last === want : want.test(last);
  }, 20_000, 50);
  assert.ok(ok, `${what} (last: ${JSON.stringify(last)})`);
};
const fits375 = (page: Page) => page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth");

describe("Channels page in Chromium", () => {
  test("Telegram pairing: a stranger's request shows, Approve removes it and approves the sender; connected; Probe shows a result", async (t) => {
    const browser = await launchBrowser(t);
    const bot = await startFakeTelegram({ tokens: [TG_TOKEN], botUsername: "page_bot" });
    t.after(() => bot.close());
    const gw = await startUiGateway(t, { channels: { telegram: { botToken: TG_TOKEN, apiRoot: bot.apiRoot, dmPolicy: "pairing" } } });
    const { page, assertNoErrors } = await openPage(t, browser, { name: "channels-pairing" });
    await page.goto(`${base(gw)}#token=${encodeURIComponent(gw.token)}`);
    await page.locator('[data-testid="nav-channels"]').click();
    assert.ok(page.url().endsWith("#/channels"));

    const row = '[data-testid="channel-account"][data-channel="telegram"][data-account="default"]';
    await waitText(page, `${row} [data-testid="channel-state"]`, "connected", "the Telegram account shows connected");
    await waitText(page, '[data-testid="pairing-empty"]', /No pending requests \(Telegram · default\)/, "no requests yet, and which account takes them");

    bot.enqueue({ chatId: 5005, fromId: 5005, fromName: "Dana", text: "hello?" });
    const request = page.locator('[data-testid="pairing-row"][data-sender="5005"]');
    assert.ok(await pollUntil(async () => (await request.count()) === 1, 20_000, 50), "the stranger's request shows on the page");
    const rowText = (await request.textContent()) ?? "";
    assert.match(rowText, /Dana/);
    assert.match(rowText, /Telegram · default/);
    assert.match(rowText, /expires in 59m|expires in 1h/);
    await waitText(page, `${row} [data-testid="channel-drops"]`, /^1 \(pairing-pending 1\)$/, "the drop shows with its reason");
    assert.ok(await fits375(page), "no horizontal overflow at 375 px with a request listed");
    await page.screenshot({ path: path.join(RESULTS_DIR, "channels-pairing-request.png"), fullPage: true });

    await request.locator('[data-testid="pairing-approve"]').click();
    assert.ok(await pollUntil(async () => (await request.count()) === 0, 15_000, 50), "the request left the list after Approve");
    await waitText(page, '[data-testid="pairing-empty"]', /No pending requests/, "the list refreshed");
    const cli = await runInProcess(["pairing", "list", "telegram", "--json"], { env: gw.env });
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual((JSON.parse(cli.stdout) as { requests: unknown[] }).requests, [], "openclaw pairing list shows none");
    const { credentialsDir, stateDir } = resolvePaths(gw.env).layout;
    const store = new PairingStore({ credentialsDir, stateDir });
    t.after(() => store.close());
    assert.deepEqual(store.readAllowFrom("telegram"), ["5005"], "the sender is approved in the store");
    assert.ok(await pollUntil(() => bot.sent().some((s) => s.chatId === "5005" && /access approved/.test(s.text)), 10_000, 20), "the sender was told through Telegram");

    // Probe: a live getMe against the loopback Bot API.
    await page.locator('[data-testid="channels-probe"]').click();
    await waitText(page, `${row} [data-testid="channel-probe"]`, /^ok in \d+ ms · @page_bot$/, "the probe result shows");
    assertNoErrors();
  });

  test("WhatsApp QR: Link with QR shows the QR image, and the page says linked once the phone links", { timeout: 90_000 }, async (t) => {
    const browser = await launchBrowser(t);
    const server = await startFakeWhatsApp();
    t.after(() => server.close());
    const rec = await recordingSocketFactory(server);
    const gw = await startUiGateway(t, { channels: { whatsapp: { dmPolicy: "allowlist", allowFrom: ["+15550004444"] } } }, { channelPlugins: () => [whatsappPlugin({ socketFactory: rec.factory, socketOptions: rec.socketOptions }) as never] });
    const { page, assertNoErrors } = await openPage(t, browser, { name: "channels-whatsapp-qr", colorScheme: "dark" });
    await page.goto(`${base(gw)}#token=${encodeURIComponent(gw.token)}`);
    await page.locator('[data-testid="nav-channels"]').click();
    const row = page.locator('[data-testid="channel-account"][data-channel="whatsapp"][data-account="default"]');
    await row.waitFor({ timeout: 20_000 });

    await row.locator('[data-testid="whatsapp-login"]').click();
    assert.ok(await pollUntil(() => rec.sockets.length === 1, 15_000, 10), "the login opened a socket");
    rec.sockets[0]!.ev.emit("connection.update", { qr: "2@QR-BROWSER,abc" });
    const qr = row.locator('[data-testid="whatsapp-qr"]');
    assert.ok(await pollUntil(async () => (await qr.count()) === 1, 15_000, 50), "the QR image shows");
    assert.match((await qr.getAttribute("src")) ?? "", /^data:image\/png;base64,/);
    assert.match((await qr.getAttribute("alt")) ?? "", /QR/);
    assert.ok(await qr.evaluate((img) => {
        const image = img as unknown as { complete: boolean; naturalWidth: number };
        return image.complete && image.naturalWidth > 0;
      }), "the QR image decoded");
    await waitText(page, '[data-testid="whatsapp-login-message"]', /Linked devices/, "the scan instructions show");
    assert.ok(await row.locator('[data-testid="whatsapp-cancel"]').isVisible(), "the wait can be cancelled");
    assert.ok(await fits375(page), "no horizontal overflow at 375 px with the QR shown");
    await page.screenshot({ path: path.join(RESULTS_DIR, "channels-whatsapp-qr-shown.png"), fullPage: true });

    // Cancel stops waiting and hides the QR; linking again picks up the same login (no new socket).
    await row.locator('[data-testid="whatsapp-cancel"]').click();
    assert.ok(await pollUntil(async () => (await qr.count()) === 0 && (await row.locator('[data-testid="whatsapp-login-message"]').count()) === 0, 10_000, 50), "cancel hid the QR");
    await row.locator('[data-testid="whatsapp-login"]').click();
    assert.ok(await pollUntil(async () => (await qr.count()) === 1, 15_000, 50), "the QR shows again");
    assert.equal(rec.sockets.length, 1, "the same login continues");

    // The phone scans: WhatsApp pairs the device, asks for a restart (515), then the new socket opens.
    rec.sockets[0]!.ev.emit("creds.update", { me: { id: "15550005555:3@s.whatsapp.net", name: "Ops" } });
    rec.sockets[0]!.ev.emit("connection.update", { connection: "close", lastDisconnect: { error: { output: { statusCode: 515 } }, date: new Date() } });
    assert.ok(await pollUntil(() => rec.sockets.length === 2, 15_000, 10), "a new socket after 515");
    emitOpen(rec.sockets[1]!);
    await waitText(page, '[data-testid="whatsapp-login-message"]', "linked as +15550005555", "the page says linked");
    assert.equal(await qr.count(), 0, "the QR is gone once linked");

    // The account then runs on the new session.
    assert.ok(await pollUntil(() => rec.sockets.length === 3, 15_000, 10), "the account opened its own socket");
    emitOpen(rec.sockets[2]!);
    await waitText(page, '[data-testid="channel-account"][data-channel="whatsapp"] [data-testid="channel-state"]', "connected", "the WhatsApp account shows connected");
    assertNoErrors();
  });
});
