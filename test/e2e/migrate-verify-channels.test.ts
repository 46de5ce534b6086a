/**
 * `migrate verify` on the target probes every configured channel account through the running
 * gateway (issue 15 item 4): a reachable Bot API passes, a hanging one fails its row with the fix,
 * within the probe's deadline. `migrate export` lists WhatsApp as portable only with the source stopped.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { runInProcess } from "../helpers/cli.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { startTestGateway } from "../helpers/gateway.js";

const TOKEN = "313131313:AAmigrateVerifyToken000000000000000000";

test("migrate verify probes each configured channel account through the gateway", async (t) => {
  const bot = await startFakeTelegram({ tokens: [TOKEN] });
  t.after(() => bot.close());
  const gw = await startTestGateway(t, { channels: true, config: { channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot }, whatsapp: { enabled: false } } } });
  const client = await gw.connect();
  t.after(() => client.close());
  assert.ok(await pollUntil(async () => ((await client.call("channels.status", {})) as { channelAccounts: { telegram: Array<{ connected?: boolean }> } }).channelAccounts.telegram[0]?.connected === true, 10_000, 20));
  type Rows = { checks: Array<{ check: string; ok: boolean; detail: string }> };
  const verify = async () => JSON.parse((await runInProcess(["migrate", "verify", "--json", "--url", gw.url, "--token", gw.token], { env: gw.env })).stdout) as Rows;
  const good = (await verify()).checks.find((c) => c.check === "channel telegram/default answers a probe");
  assert.deepEqual(good, { check: "channel telegram/default answers a probe", ok: true, detail: "ok" });
  bot.hang.add("getMe");
  const bad = (await verify()).checks.find((c) => c.check === "channel telegram/default answers a probe");
  assert.equal(bad?.ok, false);
  assert.match(bad?.detail ?? "", /timed out after 8000 ms → openclaw channels status --probe/);
  assert.ok(!(await verify()).checks.some((c) => c.check.startsWith("channel whatsapp/")), "a disabled channel is not probed");

  const exported = await runInProcess(["migrate", "export", "--output", `${gw.home}/out.tar.gz`, "--json"], { env: gw.env });
  const inventory = JSON.parse(exported.stdout) as { portable: Array<{ item: string; condition: string }>; nonPortable: Array<{ item: string }> };
  assert.ok(inventory.portable.some((p) => p.item.startsWith("WhatsApp session") && /source gateway stopped/.test(p.condition)), exported.stdout);
  assert.ok(!inventory.nonPortable.some((p) => p.item.startsWith("WhatsApp")));
});
