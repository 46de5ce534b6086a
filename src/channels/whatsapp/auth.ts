/**
 * WhatsApp credentials on disk: reading who a session is linked as, moving a session aside before
 * anything replaces it, and the QR login. **Credentials are never deleted or overwritten without a
 * copy**: a relink or logout renames the account directory to
 * `<parent>/.backup-<ISO time>/<accountId>/` (same filesystem, never `rm`). OpenClaw users lost
 * 841-file sessions to an update that cleared them (openclaw/openclaw#92546).
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";
import { AppError } from "../../shared/index.js";
import type { ChannelLog } from "../contract.js";
import { disconnectCode, openWhatsAppSocket, WHATSAPP_NEEDS_LOGIN_CODES, WHATSAPP_RESTART_REQUIRED, type WhatsAppSocketFactory, type WhatsAppSocketOptions } from "./socket.js";

/** What `creds.json` says about the session (never the keys). */
export interface WhatsAppSession {
  /** `creds.json` exists. */
  present: boolean;
  /** A login completed: `creds.me` is set (`registered` is not reliable, so it is not read). */
  paired: boolean;
  /** The linked number in E.164, when paired. */
  selfE164?: string;
  /** `creds.json` modification time (ms), to tell a new login from the old one. */
  credsMtimeMs?: number;
}

const CREDS_MAX = 1024 * 1024;

/** `15551234567:12@s.whatsapp.net` → `+15551234567`; undefined for group, LID or other jids. */
export function jidToE164(jid: string | null | undefined): string | undefined {
  if (!jid) return undefined;
  const m = /^(\d{6,15})(?::\d+)?@(s\.whatsapp\.net|c\.us)$/.exec(jid);
  return m ? `+${m[1]}` : undefined;
}

/** Reads `creds.json` of an auth directory (bounded; a damaged file reads as present but not paired). */
export function readWhatsAppSession(authDir: string): WhatsAppSession {
  const file = path.join(authDir, "creds.json");
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.size > CREDS_MAX) return { present: true, paired: false, credsMtimeMs: stat.mtimeMs };
    const creds = JSON.parse(readFileSync(file, "utf8")) as { me?: { id?: unknown } };
    const id = typeof creds.me?.id === "string" ? creds.me.id : undefined;
    const selfE164 = jidToE164(id);
    return { present: true, paired: id !== undefined, ...(selfE164 ? { selfE164 } : {}), credsMtimeMs: stat.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { present: false, paired: false };
    return { present: true, paired: false };
  }
}

/** `2026-12-02T04:50:01.234Z` → `2026-12-02T04-50-01.234Z` (a valid file name everywhere). */
function stamp(now: Date): string {
  return now.toISOString().replace(/:/g, "-");
}

/**
 * Moves `authDir` to `<parent>/.backup-<ISO time>/<basename>/` (a rename: same filesystem, the files
 * untouched). Returns the backup path, or undefined when there was nothing to move.
 */
export function backupWhatsAppAuth(authDir: string, now: Date = new Date()): string | undefined {
  if (!existsSync(authDir)) return undefined;
  const parent = path.dirname(authDir);
  let root = path.join(parent, `.backup-${stamp(now)}`);
  for (let i = 2; existsSync(path.join(root, path.basename(authDir))); i++) root = path.join(parent, `.backup-${stamp(now)}-${i}`);
  const target = path.join(root, path.basename(authDir));
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    renameSync(authDir, target);
  } catch (error) {
    throw new AppError("FS", `could not move the WhatsApp credentials ${authDir} aside to ${target} (${(error as NodeJS.ErrnoException).code ?? "error"}); nothing was changed`, {
      hint: "check permissions on the credentials directory (and that authDir and its parent are on one filesystem)",
    });
  }
  return target;
}

/** Options of `whatsappLogin`. */
export interface WhatsAppLoginOptions {
  authDir: string;
  accountId: string;
  /** Called with each QR string Baileys emits (they rotate about every 20 s). */
  onQr(qr: string): void;
  signal?: AbortSignal;
  /** Give up after this long without a link (default 3 minutes). */
  timeoutMs?: number;
  /** Move an existing session aside first and link anew. */
  force?: boolean;
  socketFactory?: WhatsAppSocketFactory;
  socketOptions?: WhatsAppSocketOptions;
  log?: ChannelLog;
  now?: () => Date;
}

/** How a login ended. */
export interface WhatsAppLoginResult {
  linked: true;
  selfE164?: string;
  /** Where the previous session was moved, when there was one. */
  backupDir?: string;
  /** It was already linked (the existing session opened; no QR needed). */
  alreadyLinked: boolean;
}

/**
 * Runs a socket until WhatsApp opens the connection (linked) or `timeoutMs` passes, emitting every QR.
 * An existing session is tried first (unless `force`); when WhatsApp says it is logged out, it is
 * moved aside and a fresh login starts. 515 (restart required, sent right after pairing) reconnects.
 */
export async function whatsappLogin(options: WhatsAppLoginOptions): Promise<WhatsAppLoginResult> {
  const timeoutMs = options.timeoutMs ?? 180_000;
  const now = options.now ?? (() => new Date());
  let backupDir: string | undefined;
  if (options.force) backupDir = backupWhatsAppAuth(options.authDir, now());
  const hadSession = readWhatsAppSession(options.authDir).paired;
  let qrSeen = false;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw new AppError("INTERRUPTED", "whatsapp login interrupted; nothing was linked");
    const remaining = deadline - Date.now();
    if (remaining <= 0 || attempt > 20) throw new AppError("TIMEOUT", `whatsapp login for account "${options.accountId}" timed out after ${Math.round(timeoutMs / 1000)} s without a link`, { hint: "run openclaw channels login --channel whatsapp again and scan the QR in WhatsApp > Linked devices" });
    const outcome = await runLoginSocket(options, remaining, (qr) => {
      qrSeen = true;
      options.onQr(qr);
    });
    if (outcome.kind === "open") {
      const session = readWhatsAppSession(options.authDir);
      const selfE164 = outcome.selfE164 ?? session.selfE164;
      return { linked: true, ...(selfE164 ? { selfE164 } : {}), ...(backupDir ? { backupDir } : {}), alreadyLinked: hadSession && !qrSeen && !options.force };
    }
    if (outcome.kind === "timeout") continue;
    if (outcome.kind === "aborted") throw new AppError("INTERRUPTED", "whatsapp login interrupted; nothing was linked");
    if (outcome.code === WHATSAPP_RESTART_REQUIRED) continue;
    if (outcome.code !== undefined && WHATSAPP_NEEDS_LOGIN_CODES.has(outcome.code) && readWhatsAppSession(options.authDir).paired) {
      // The stored session is dead: keep it (moved aside) and start a fresh link.
      backupDir = backupWhatsAppAuth(options.authDir, now()) ?? backupDir;
      options.log?.info("whatsapp session was logged out; moved it aside and starting a new link", { accountId: options.accountId, backupDir });
      continue;
    }
    if (outcome.code !== undefined && WHATSAPP_NEEDS_LOGIN_CODES.has(outcome.code)) throw new AppError("UNAVAILABLE", `whatsapp refused the link (${outcome.code})`, { hint: "run openclaw channels login --channel whatsapp again" });
  }
}

type LoginOutcome = { kind: "open"; selfE164?: string } | { kind: "close"; code: number | undefined } | { kind: "timeout" } | { kind: "aborted" };

async function runLoginSocket(options: WhatsAppLoginOptions, timeoutMs: number, onQr: (qr: string) => void): Promise<LoginOutcome> {
  const { sock, saveCreds } = await openWhatsAppSocket({ authDir: options.authDir, ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}), ...(options.socketOptions ? { socketOptions: options.socketOptions } : {}), ...(options.log ? { log: options.log } : {}) });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<LoginOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
      onAbort = () => resolve({ kind: "aborted" });
      options.signal?.addEventListener("abort", onAbort, { once: true });
      sock.ev.on("connection.update", (update: { connection?: string; qr?: string; lastDisconnect?: { error?: unknown } }) => {
        if (update.qr) onQr(update.qr);
        if (update.connection === "open") resolve({ kind: "open", ...(jidToE164(sock.user?.id) ? { selfE164: jidToE164(sock.user?.id) as string } : {}) });
        if (update.connection === "close") resolve({ kind: "close", code: disconnectCode(update) });
      });
    });
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    await saveCreds().catch(() => undefined);
    await Promise.resolve(sock.end(undefined)).catch(() => undefined);
  }
}

/** The QR as terminal text (the `qrcode` package, small form), for `channels login`. */
export async function renderQr(text: string): Promise<string> {
  const qrcode = await import("qrcode");
  return (qrcode.default ?? qrcode).toString(text, { type: "terminal", small: true });
}
