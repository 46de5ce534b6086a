/**
 * The Baileys socket as the WhatsApp account and the login use it. Baileys is ESM and heavy: it is
 * imported here, lazily, the first time a socket is opened — never at module load — so `status`,
 * `health` and `--help` never pay for it.
 */
import type { ChannelLog } from "../contract.js";

/** The part of Baileys' socket we use (the real `makeWASocket` result satisfies it). */
export interface WhatsAppSocket {
  ev: {
    on(event: string, listener: (arg: never) => void): void;
    emit(event: string, arg: unknown): boolean;
  };
  user?: { id: string; lid?: string | undefined; name?: string | undefined } | undefined;
  sendMessage(jid: string, content: { text: string }): Promise<{ key?: { id?: string | null } } | undefined>;
  readMessages(keys: unknown[]): Promise<void>;
  end(error: Error | undefined): void | Promise<void>;
}

/** Builds a socket from a Baileys socket config (`auth`, `logger`, `waWebSocketUrl`, …); default: Baileys' `makeWASocket`. */
export type WhatsAppSocketFactory = (config: Record<string, unknown>) => WhatsAppSocket;

/** Extra Baileys socket config (tests point `waWebSocketUrl` at a loopback server). */
export type WhatsAppSocketOptions = Record<string, unknown>;

/** An open socket with its auth state saver. */
export interface OpenedWhatsAppSocket {
  sock: WhatsAppSocket;
  saveCreds(): Promise<void>;
}

type Baileys = typeof import("@whiskeysockets/baileys");
let baileys: Promise<Baileys> | undefined;

/** Loads Baileys once (dynamic import). */
export function loadBaileys(): Promise<Baileys> {
  baileys ??= import("@whiskeysockets/baileys");
  return baileys;
}

/**
 * A Baileys logger that keeps Baileys quiet: only its warnings and errors reach the channel log, at
 * debug level and as the message string alone (its objects can carry keys and jids).
 */
export function baileysLogger(log: ChannelLog | undefined): Record<string, unknown> {
  const forward = (level: string) => (objOrMsg: unknown, msg?: string) => {
    const text = typeof msg === "string" ? msg : typeof objOrMsg === "string" ? objOrMsg : undefined;
    if (text) log?.debug(`baileys ${level}: ${text}`);
  };
  const logger: Record<string, unknown> = { level: "warn", trace() {}, debug() {}, info() {}, warn: forward("warn"), error: forward("error") };
  logger.child = () => logger;
  return logger;
}

/** Opens a socket on the multi-file auth state in `authDir` (created 0700 by Baileys when missing). */
export async function openWhatsAppSocket(options: { authDir: string; socketFactory?: WhatsAppSocketFactory; socketOptions?: WhatsAppSocketOptions; log?: ChannelLog }): Promise<OpenedWhatsAppSocket> {
  const b = await loadBaileys();
  const { state, saveCreds } = await b.useMultiFileAuthState(options.authDir);
  const factory: WhatsAppSocketFactory = options.socketFactory ?? ((config) => b.makeWASocket(config as never) as unknown as WhatsAppSocket);
  const sock = factory({
    auth: state,
    logger: baileysLogger(options.log),
    printQRInTerminal: false,
    browser: b.Browsers.ubuntu("OpenClaw"),
    markOnlineOnConnect: false,
    syncFullHistory: false,
    // The agent needs live messages only; history sync would also hold events back for up to 20 s.
    shouldSyncHistoryMessage: () => false,
    ...options.socketOptions,
  });
  sock.ev.on("creds.update", () => void saveCreds().catch((error: unknown) => options.log?.warn("whatsapp could not save credentials", { error: error instanceof Error ? error.message : String(error) })));
  return { sock, saveCreds };
}

/** The HTTP-like status code Baileys puts on a close (`lastDisconnect.error.output.statusCode`). */
export function disconnectCode(update: { lastDisconnect?: { error?: unknown } | undefined }): number | undefined {
  const error = update.lastDisconnect?.error as { output?: { statusCode?: unknown } } | undefined;
  const code = error?.output?.statusCode;
  return typeof code === "number" ? code : undefined;
}

/** Close codes after which the session is gone for good: logged out (401) or replaced by another client (440). */
export const WHATSAPP_NEEDS_LOGIN_CODES: ReadonlySet<number> = new Set([401, 440]);
/** WhatsApp asks for a fresh connection (always after pairing): reconnect at once. */
export const WHATSAPP_RESTART_REQUIRED = 515;
