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

test("Google Chat: email entries (and users/<email>) never match a users/<id> sender, so they are findings", () => {
  const findings = lintChannelAllowlists({ channels: { googlechat: { dmPolicy: "allowlist", allowFrom: ["users/123456789", "ada@example.com", "users/bob@example.com", "gchat:987"] } } });
  assert.deepEqual(
    findings.map((f) => [f.kind, f.path]),
    [["email-entry", "channels.googlechat.allowFrom"]],
  );
  assert.match(findings[0]!.message, /"ada@example\.com", "users\/bob@example\.com".*users\/<id>/);
  assert.match(findings[0]!.fix, /openclaw config set channels\.googlechat\.allowFrom '\["users\/123456789"\]'/);
});

test("Signal: uuid:<ACI> senders and group ids in groupAllowFrom are not reported as non-E.164; a bad number still is", () => {
  const uuid = "uuid:9D2B2A4E-3C55-4F0E-9A55-6C1F3B1E2D77";
  const findings = lintChannelAllowlists({ channels: { signal: { dmPolicy: "allowlist", allowFrom: ["+15557654321", uuid, "signal:+15557654322", "uuid:nope"], groupAllowFrom: ["group:R3JvdXBJZA==", "signal:group:abc", "Pmpi+EfPWmsxiomLe9Nx2XF9HOE483p6iKiFj65iMwI=", uuid] } } });
  assert.deepEqual(findings.map((f) => `${f.kind} ${f.path}`), ["not-e164 channels.signal.allowFrom"]);
  assert.ok(findings[0]!.message.includes('"uuid:nope"') && !findings[0]!.message.includes(uuid), findings[0]!.message);
  // WhatsApp has no uuid form: the same entry is still a finding there.
  assert.equal(lintChannelAllowlists({ channels: { whatsapp: { allowFrom: [uuid] } } }).length, 1);
});

test("legacy dm.policy / dm.allowFrom are linted as the policy reads them (no false empty-allowlist)", () => {
  assert.deepEqual(lintChannelAllowlists({ channels: { discord: { dm: { policy: "allowlist", allowFrom: ["discord:4400000000000000001"] } } } }), []);
  const rows = lintChannelAllowlists({ channels: { discord: { dm: { policy: "allowlist" } } } }).map((f) => `${f.kind} ${f.path}`);
  assert.deepEqual(rows, ["empty-allowlist channels.discord.allowFrom"]);
});
