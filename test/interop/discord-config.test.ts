/**
 * The `channels.discord` shape this adapter reads, checked against OpenClaw's own schema: the real
 * CLI (`openclaw config validate --json`) accepts the config the Discord tests run with, and
 * rejects a section-level `requireMention` (which the adapter therefore ignores). Skipped, with the
 * reason shown, when OpenClaw's CLI is not installed.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { resolveDiscordAccount, resolveDiscordGroupAccess } from "../../src/channels/index.js";
import { REAL_CLI, runReal } from "./real-openclaw.js";

const GUILD = "2200000000000000001";
const section = {
  token: "MTEwMDAwMDAwMDAwMDAwMDAx.Gplant.interop-token-value-0123456789",
  dmPolicy: "allowlist",
  allowFrom: ["discord:4400000000000000001"],
  groupPolicy: "allowlist",
  allowBots: false,
  guilds: { [GUILD]: { requireMention: true, users: ["4400000000000000001"], roles: ["5500000000000000001"], channels: { "bot-room": { enabled: true, requireMention: false, users: ["*"] }, "*": { enabled: true } } } },
  accounts: { work: { token: "MTEwMDAwMDAwMDAwMDAwMDAy.Gplant.interop-token-value-9876543210", guilds: { [GUILD]: {} } } },
};

async function validate(channels: Record<string, unknown>): Promise<{ valid: boolean; issues?: Array<{ path: string; message: string }> }> {
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-discord-interop-"));
  try {
    mkdirSync(path.join(home, ".openclaw"));
    writeFileSync(path.join(home, ".openclaw", "openclaw.json"), JSON.stringify({ channels }));
    const run = await runReal(["config", "validate", "--json"], { home });
    return JSON.parse(run.stdout.slice(run.stdout.indexOf("{")));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

test("OpenClaw accepts the channels.discord shape the adapter reads; our resolution of it", { skip: REAL_CLI.skip }, async () => {
  const result = await validate({ discord: section });
  assert.equal(result.valid, true, JSON.stringify(result.issues));
  const work = resolveDiscordAccount(section, "work", {});
  assert.equal(work.tokenSource, "config");
  assert.deepEqual(work.access.guilds, { [GUILD]: {} }, "the account's guilds replace the section's");
  const access = resolveDiscordAccount(section, "default", {}).access;
  assert.deepEqual(resolveDiscordGroupAccess(access, { guildId: GUILD, channelId: "1", channelName: "bot-room" }, { id: "9", roles: [] }), { requireMention: false });
  assert.deepEqual(resolveDiscordGroupAccess(access, { guildId: GUILD, channelId: "2", channelName: "random" }, { id: "9", roles: [] }), { denied: "not-allowlisted", requireMention: true });
});

test("OpenClaw rejects requireMention on channels.discord itself (it belongs in guild/channel entries)", { skip: REAL_CLI.skip }, async () => {
  const result = await validate({ discord: { token: section.token, requireMention: false } });
  assert.equal(result.valid, false);
  assert.ok(result.issues?.some((i) => i.path === "channels.discord" && /requireMention/.test(i.message)), JSON.stringify(result.issues));
  const access = resolveDiscordAccount({ token: section.token, requireMention: false, groupPolicy: "open" }, "default", {}).access;
  assert.deepEqual(resolveDiscordGroupAccess(access, { guildId: GUILD, channelId: "1" }, { id: "9", roles: [] }), { requireMention: true }, "ignored here too");
});
