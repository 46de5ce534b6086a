/**
 * `openclaw channels login --channel whatsapp [--account <id>] [--force]`: links a WhatsApp account
 * here, in this process — prints each QR Baileys emits (scan it in WhatsApp > Linked devices), then
 * `linked as +…`. An existing session is tried first; `--force` (or a session WhatsApp logged out)
 * moves the old credentials to `credentials/whatsapp/.backup-<time>/<account>/` before linking anew —
 * they are never deleted. The gateway should not hold the same session meanwhile (two sockets on one
 * session replace each other), so a listening gateway is named with the way to stop it.
 */
import net from "node:net";
import { renderQr, resolveDefaultWhatsAppAccountId, resolveWhatsAppAccount, type WhatsAppSocketFactory, whatsappLogin } from "../../../channels/index.js";
import { assertConfigReadable, readConfigInput } from "../../../config/index.js";
import { AppError, EXIT } from "../../../shared/index.js";
import { resolvePortFor } from "../../rpc.js";
import type { CommandContext, CommandHandler } from "../../types.js";

/** What tests replace: the socket (a loopback Baileys socket) and the gateway check. */
export interface ChannelsLoginDeps {
  socketFactory?: WhatsAppSocketFactory;
  socketOptions?: Record<string, unknown>;
  /** Whether a gateway listens on this profile's port (default: a 300 ms TCP connect to 127.0.0.1). */
  gatewayListening?(ctx: CommandContext): Promise<number | undefined>;
}

const LOGIN_CHANNELS = ["whatsapp"];

function tcpOpen(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function defaultGatewayListening(ctx: CommandContext): Promise<number | undefined> {
  try {
    const { port } = resolvePortFor(ctx);
    return (await tcpOpen(port, 300)) ? port : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the handler with its dependencies (the CLI uses `channelsLogin`). */
export function createChannelsLogin(deps: ChannelsLoginDeps = {}): CommandHandler {
  return async (ctx) => {
    // Only an omitted --channel is inferred (WhatsApp is the one QR channel); a blank one is refused,
    // so an unset shell variable never picks a channel for you.
    if (typeof ctx.options.channel === "string" && !ctx.options.channel.trim()) throw new AppError("USAGE", "--channel is blank", { hint: "openclaw channels login --channel whatsapp (or omit --channel)" });
    const channel = typeof ctx.options.channel === "string" ? ctx.options.channel.trim().toLowerCase() : (ctx.args[0]?.toLowerCase() ?? "whatsapp");
    if (!LOGIN_CHANNELS.includes(channel)) throw new AppError("USAGE", `channels login does not support "${channel}"; only WhatsApp links by QR`, { hint: "openclaw channels login --channel whatsapp (token channels: openclaw channels add)" });
    const paths = ctx.paths();
    const snapshot = readConfigInput({ configPath: paths.configPath, env: ctx.env, lenientEnv: true });
    if (snapshot.exists) assertConfigReadable(snapshot);
    const section = ((snapshot.input as { channels?: Record<string, unknown> } | undefined)?.channels?.whatsapp ?? {}) as Record<string, unknown>;
    const accountId = typeof ctx.options.account === "string" && ctx.options.account.trim() ? ctx.options.account.trim() : resolveDefaultWhatsAppAccountId(section);
    const account = resolveWhatsAppAccount(section, accountId, paths.layout.credentialsDir, ctx.env as NodeJS.ProcessEnv);
    if (account.configError) throw new AppError("CONFIG_INVALID", account.configError, { hint: `fix channels.whatsapp in ${paths.configPath}` });
    const port = await (deps.gatewayListening ?? defaultGatewayListening)(ctx);
    if (port !== undefined) ctx.warn(`A gateway is listening on 127.0.0.1:${port}. If it runs WhatsApp account "${accountId}", stop it first (openclaw gateway stop): two sockets on one session replace each other. Start it again after linking.`);
    // The QR is the output for humans; with --json stdout stays one JSON value, so it goes to stderr.
    const qrOut = ctx.json ? ctx.io.stderr : ctx.io.stdout;
    let qrs = 0;
    const pending: Promise<unknown>[] = [];
    const result = await whatsappLogin({
      authDir: account.authDir,
      accountId,
      force: ctx.options.force === true,
      signal: ctx.io.signal,
      ...(typeof ctx.options.timeout === "number" && ctx.options.timeout > 0 ? { timeoutMs: ctx.options.timeout } : {}),
      ...(deps.socketFactory ? { socketFactory: deps.socketFactory } : {}),
      ...(deps.socketOptions ? { socketOptions: deps.socketOptions } : {}),
      onQr: (qr) => {
        qrs++;
        const n = qrs;
        pending.push(
          renderQr(qr).then((text) => {
            qrOut.write(`${n > 1 ? "\nThe QR code changed; scan this one.\n" : "Scan this QR in WhatsApp > Settings > Linked devices > Link a device:\n"}${text}\n`);
          }),
        );
      },
    });
    await Promise.all(pending);
    const who = result.selfE164 ?? "this WhatsApp account";
    const human = [result.alreadyLinked ? `Already linked as ${who} (account ${accountId}); use --force to link again.` : `linked as ${who} (account ${accountId})`];
    if (result.backupDir) human.push(`The previous credentials were kept in ${result.backupDir}.`);
    if (port !== undefined && !result.alreadyLinked) human.push("Restart the gateway (or openclaw channels start --channel whatsapp) to start listening.");
    return { data: { channel, accountId, linked: true, alreadyLinked: result.alreadyLinked, ...(result.selfE164 ? { self: result.selfE164 } : {}), qrCodes: qrs, ...(result.backupDir ? { backupDir: result.backupDir } : {}), authDir: account.authDir }, human, exitCode: EXIT.ok };
  };
}

/** `openclaw channels login` (register it in the command table with `load: () => ({ run: channelsLogin })`). */
export const channelsLogin: CommandHandler = createChannelsLogin();

/** The handler under the name the command table's loaders expect. */
export const run: CommandHandler = channelsLogin;
