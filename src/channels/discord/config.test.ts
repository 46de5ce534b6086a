import assert from "node:assert/strict";
import { test } from "node:test";
import { listDiscordAccountIds, parseDiscordApiUrl, resolveDefaultDiscordAccountId, resolveDiscordAccount } from "./config.js";

test("token order: the account's token, the section's, then DISCORD_BOT_TOKEN for the default account only; a 'Bot ' prefix is dropped", () => {
  const env = { DISCORD_BOT_TOKEN: "env-token" };
  assert.deepEqual(pick(resolveDiscordAccount({ token: "Bot section-token" }, "default", env)), { token: "section-token", tokenSource: "config" });
  assert.deepEqual(pick(resolveDiscordAccount({}, "default", env)), { token: "env-token", tokenSource: "env" });
  const multi = { accounts: { work: { token: "work-token" }, play: {} } };
  assert.deepEqual(pick(resolveDiscordAccount(multi, "work", env)), { token: "work-token", tokenSource: "config" });
  const play = resolveDiscordAccount(multi, "play", env);
  assert.equal(play.token, undefined, "a named, non-default account never takes the env token");
  assert.match(play.tokenError ?? "", /channels\.discord\.accounts\.play\.token/);
  assert.doesNotMatch(play.tokenError ?? "", /DISCORD_BOT_TOKEN/);
  assert.match(resolveDiscordAccount({}, "default", {}).tokenError ?? "", /channels\.discord\.token \(or DISCORD_BOT_TOKEN\)/);
  assert.match(resolveDiscordAccount({ token: { source: "env", id: "X" } }, "default", env).tokenError ?? "", /secret reference that was not resolved/);
});

test("accounts: ids, default account, enabled flags, and the guild policy keys carried for the adapter", () => {
  assert.deepEqual(listDiscordAccountIds(undefined), ["default"]);
  assert.deepEqual(listDiscordAccountIds({ accounts: { a: {}, b: {} } }), ["a", "b"]);
  assert.equal(resolveDefaultDiscordAccountId({ accounts: { a: {}, b: {} }, defaultAccount: "b" }), "b");
  assert.equal(resolveDefaultDiscordAccountId({ accounts: { a: {}, default: {} } }), "default");
  assert.equal(resolveDiscordAccount({ enabled: false, token: "t" }, "default", {}).enabled, false);
  assert.equal(resolveDiscordAccount({ token: "t", accounts: { x: { enabled: false } } }, "x", {}).enabled, false);
  const r = resolveDiscordAccount({ token: "t", groupPolicy: "open", dmPolicy: "open", guilds: { "1": {} }, accounts: { x: { allowBots: true, guilds: { "2": {} } } } }, "x", {});
  assert.deepEqual(r.access, { groupPolicy: "open", guilds: { "2": {} }, allowBots: true });
});

test("DISCORD_API_URL: a versioned base splits into root and version; plain http only on loopback; credentials refused", () => {
  assert.deepEqual(parseDiscordApiUrl(undefined), { apiRoot: "https://discord.com/api", apiVersion: "10", source: "default" });
  assert.deepEqual(parseDiscordApiUrl("https://discord.example.com/api/v10/"), { apiRoot: "https://discord.example.com/api", apiVersion: "10", source: "env" });
  assert.deepEqual(parseDiscordApiUrl("http://127.0.0.1:8080/api/v9"), { apiRoot: "http://127.0.0.1:8080/api", apiVersion: "9", source: "env" });
  assert.match(parseDiscordApiUrl("http://proxy.example.com/api/v10").error ?? "", /plain http is accepted only on loopback/);
  assert.match(parseDiscordApiUrl("https://user:pw@proxy.example.com/api/v10").error ?? "", /must not carry credentials/);
  assert.match(parseDiscordApiUrl("not a url").error ?? "", /not a URL/);
  const refused = resolveDiscordAccount({ token: "t" }, "default", { DISCORD_API_URL: "http://proxy.example.com/api/v10" });
  assert.match(refused.apiError ?? "", /DISCORD_API_URL/);
  assert.equal(refused.apiRoot, "https://discord.com/api", "a refused override never silently points elsewhere");
});

function pick(r: { token?: string | undefined; tokenSource: string }) {
  return { token: r.token, tokenSource: r.tokenSource };
}
