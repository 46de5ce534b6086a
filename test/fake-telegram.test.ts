/** The loopback Bot API itself speaks the wire format: query, JSON and urlencoded bodies; ok/error envelopes; long poll. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startFakeTelegram } from "./helpers/fake-telegram.js";

test("fake Bot API: envelopes, body formats, long poll honouring offset and timeout, stop/restart on the same port", async (t) => {
  const tg = await startFakeTelegram({ tokens: ["1:good"] });
  t.after(() => tg.close());
  const call = async (method: string, init?: RequestInit, token = "1:good") => (await fetch(`${tg.apiRoot}/bot${token}/${method}`, init)).json() as Promise<Record<string, unknown>>;
  assert.deepEqual(await call("getMe", undefined, "1:bad"), { ok: false, error_code: 401, description: "Unauthorized" });
  assert.equal(((await call("getMe")).result as { is_bot: boolean }).is_bot, true);
  assert.equal((await call("nope")).error_code, 404);
  const form = await call("sendMessage", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ chat_id: "5", text: "via form" }) });
  assert.equal(form.ok, true);
  assert.deepEqual(await call("sendMessage?chat_id=5&text="), { ok: false, error_code: 400, description: "Bad Request: message text is empty" });
  assert.equal((await call("sendMessage", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ chat_id: 5, text: "x".repeat(4097) }) })).description, "Bad Request: message is too long");
  assert.deepEqual(tg.sent(), [{ chatId: "5", text: "via form" }]);

  // Long poll: an empty queue waits, an enqueued update releases it; offset confirms.
  const polling = call("getUpdates?timeout=10&offset=0");
  const id = tg.enqueue({ chatId: 9, fromId: 9, text: "hi @fake_ops_bot", mentions: ["@fake_ops_bot"] });
  const got = (await polling).result as Array<{ update_id: number; message: { entities: unknown[] } }>;
  assert.deepEqual([got.length, got[0]?.update_id, got[0]?.message.entities], [1, id, [{ type: "mention", offset: 3, length: 13 }]]);
  assert.deepEqual((await call(`getUpdates?offset=${id + 1}`)).result, []);
  assert.deepEqual((await call("getUpdates?offset=0")).result, [], "confirmed updates are gone");

  await call("setWebhook", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url: "https://x.example/hook", secret_token: "s" }) });
  assert.equal(((await call("getWebhookInfo")).result as { url: string }).url, "https://x.example/hook");
  assert.equal((await call("getUpdates")).error_code, 409);
  await call("deleteWebhook", { method: "POST" });
  assert.equal(tg.webhook, undefined);

  const hanging = fetch(`${tg.apiRoot}/bot1:good/getUpdates?timeout=30`).then(() => "answered", () => "dropped");
  await tg.stop();
  assert.equal(await hanging, "dropped", "stop() drops open long polls");
  await assert.rejects(fetch(`${tg.apiRoot}/bot1:good/getMe`));
  await tg.restart();
  assert.equal((await call("getMe")).ok, true);
});
