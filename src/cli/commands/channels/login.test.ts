/**
 * `channels login --channel whatsapp` in process, on a real Baileys socket against a loopback server:
 * it prints the QR Baileys emits (rendered by `qrcode`), then `linked as +…`; a listening gateway is
 * named with the way to stop it; --force keeps the old credentials; other channels are a usage error.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { test } from "node:test";
import { tempHome } from "../../../../test/helpers/cli.js";
import { emitOpen, recordingSocketFactory, seedLinkedAuth, startFakeWhatsApp } from "../../../../test/helpers/fake-whatsapp.js";
import { renderQr } from "../../../channels/index.js";
import { pollUntil, resolvePaths } from "../../../infra/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandContext } from "../../types.js";
import { createChannelsLogin } from "./login.js";

function context(env: Record<string, string | undefined>, options: CommandContext["options"]) {
  let stdout = "";
  const warnings: string[] = [];
  const ctx: CommandContext = {
    args: [],
    options,
    env,
    paths: () => resolvePaths(env),
    io: { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, signal: new AbortController().signal },
    json: false,
    color: false,
    cwd: process.cwd(),
    warn: (line) => warnings.push(line),
  };
  return { ctx, stdout: () => stdout, warnings };
}

test("channels login prints the QR Baileys emits, then linked as +…; a listening gateway gets a note; --force keeps the old session", async (t) => {
  const { home, env } = tempHome(t);
  const server = await startFakeWhatsApp();
  t.after(() => server.close());
  const gateway = net.createServer((s) => s.destroy());
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  t.after(() => gateway.close());
  const port = (gateway.address() as net.AddressInfo).port;
  const authDir = path.join(home, ".openclaw", "credentials", "whatsapp", "default");
  await seedLinkedAuth(authDir, "15559990000");
  const rec = await recordingSocketFactory(server);
  const run = createChannelsLogin({ socketFactory: rec.factory, socketOptions: rec.socketOptions });
  const { ctx, stdout, warnings } = context({ ...env, OPENCLAW_GATEWAY_PORT: String(port) }, { channel: "whatsapp", force: true });
  const pending = Promise.resolve(run(ctx));
  assert.ok(await pollUntil(() => rec.sockets.length === 1, 10_000, 10));
  rec.sockets[0]!.ev.emit("connection.update", { qr: "2@QR-CLI,xyz" });
  rec.sockets[0]!.ev.emit("creds.update", { me: { id: "15550003333:2@s.whatsapp.net" } });
  emitOpen(rec.sockets[0]!);
  const result = await pending;
  assert.ok(stdout().includes(await renderQr("2@QR-CLI,xyz")), "the QR Baileys emitted is printed for the terminal");
  assert.match(String((result.human as string[])[0]), /^linked as \+15550003333 \(account default\)$/);
  assert.ok(warnings.some((w) => w.includes(`127.0.0.1:${port}`) && w.includes("openclaw gateway stop")), warnings.join("\n"));
  const data = result.data as { backupDir: string; qrCodes: number };
  assert.equal(data.qrCodes, 1);
  assert.ok(existsSync(path.join(data.backupDir, "creds.json")), "the old credentials were kept");
});

test("channels login for a channel without QR linking is a usage error naming the supported one; a blank --channel is refused", async (t) => {
  const { env } = tempHome(t);
  const { ctx } = context(env, { channel: "telegram" });
  await assert.rejects(Promise.resolve(createChannelsLogin()(ctx)), (e: unknown) => e instanceof AppError && e.code === "USAGE" && /--channel whatsapp/.test(e.hint ?? ""));
  // A blank --channel (an unset shell variable) is refused, not inferred.
  const blank = context(env, { channel: " " });
  await assert.rejects(Promise.resolve(createChannelsLogin()(blank.ctx)), (e: unknown) => e instanceof AppError && e.code === "USAGE" && /blank/.test(e.message));
});
