import assert from "node:assert/strict";
import { test } from "node:test";
import { isPlaceholder } from "./allowlist-entries.js";
import { lintChannelAllowlists } from "./allowlist-lint.js";

test("placeholders, non-E.164 numbers, empty allowlists and open without '*' are findings with a fix", () => {
  const findings = lintChannelAllowlists({
    channels: {
      whatsapp: { dmPolicy: "allowlist", allowFrom: ["+46XXXXXXXXX", "0701234567", "+46701234567"] },
      telegram: { dmPolicy: "allowlist", allowFrom: [], accounts: { work: { dmPolicy: "open", allowFrom: ["<phone>", "123"] }, quiet: {} } },
      signal: { dmPolicy: "open", allowFrom: ["*"], groupAllowFrom: ["your-id"] },
      discord: { enabled: false, dmPolicy: "allowlist" },
    },
  });
  const rows = findings.map((f) => `${f.kind} ${f.path}`).sort();
  assert.deepEqual(rows, [
    "empty-allowlist channels.telegram.allowFrom",
    "not-e164 channels.whatsapp.allowFrom",
    "open-without-wildcard channels.telegram.accounts.work.dmPolicy",
    "placeholder channels.signal.groupAllowFrom",
    "placeholder channels.telegram.accounts.work.allowFrom",
    "placeholder channels.whatsapp.allowFrom",
  ]);
  const e164 = findings.find((f) => f.kind === "not-e164")!;
  assert.ok(e164.message.includes('"0701234567"') && !e164.message.includes("+46701234567"), e164.message);
  for (const f of findings) assert.match(f.fix, /openclaw config set channels\./, f.fix);
  assert.deepEqual(lintChannelAllowlists({ channels: { telegram: { allowFrom: ["123"] } } }), [], "pairing with a real list is clean");
});

test("isPlaceholder", () => {
  for (const p of ["+46XXXXXXXXX", "<phone>", "<your number>", "your-id", "your_phone", "+1XXXX1234"]) assert.equal(isPlaceholder(p), true, p);
  for (const p of ["+46701234567", "123456789", "@alice", "*", 42, "tg:123"]) assert.equal(isPlaceholder(p), false, String(p));
});

test("legacy dm.policy / dm.allowFrom are linted as the policy reads them (no false empty-allowlist)", () => {
  assert.deepEqual(lintChannelAllowlists({ channels: { discord: { dm: { policy: "allowlist", allowFrom: ["discord:4400000000000000001"] } } } }), []);
  const rows = lintChannelAllowlists({ channels: { discord: { dm: { policy: "allowlist" } } } }).map((f) => `${f.kind} ${f.path}`);
  assert.deepEqual(rows, ["empty-allowlist channels.discord.allowFrom"]);
});
