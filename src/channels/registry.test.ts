import assert from "node:assert/strict";
import { test } from "node:test";
import { ChannelRegistry } from "./registry.js";

test("channels.defaults and channels.modelByChannel are not listed as channels", () => {
  const snap = new ChannelRegistry().snapshot({ defaults: { groupPolicy: "open" }, modelByChannel: { telegram: { "1": "openai/gpt-5" } }, telegram: { accounts: { work: {} } } });
  assert.deepEqual(
    snap.map((c) => [c.id, c.accounts.map((a) => a.accountId)]),
    [["telegram", ["work"]]],
  );
});
