/**
 * The Channels page's data, pure over the gateway's answers: account rows from `channels.status`
 * (the overview's mapping plus probe results and whether the account links by QR), pending DM
 * pairing requests from `channels.pairing.list` with their age and expiry, and the WhatsApp QR
 * login's answers (`web.login.start` / `web.login.wait`) as what the page shows.
 */
import { type ChannelRow, channelRows, formatDuration, type Obj, obj, str } from "./overview-data.js";

/** A probe's outcome in a line: `ok in 12 ms · @bot` or `failed: reason`. */
export interface ProbeSummary {
  ok: boolean;
  text: string;
}

/** One account on the Channels page. */
export type ChannelAccountRow = ChannelRow & {
  /** The latest probe result the gateway reported for this account. */
  probe: ProbeSummary | undefined;
  /** The account links by scanning a QR (WhatsApp): the page offers "Link with QR". */
  qrLogin: boolean;
  /** Linked (QR channels), when the account says. */
  linked: boolean | undefined;
};

/** Channels whose accounts link by QR through `web.login.*`. */
const QR_CHANNELS = new Set(["whatsapp"]);

/** Summarises a probe result (`{ ok, error?, elapsedMs?, bot? }`); undefined when there is none. */
export function summarizeProbe(raw: unknown): ProbeSummary | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const p = raw as Obj;
  if (typeof p.ok !== "boolean") return undefined;
  if (!p.ok) return { ok: false, text: `failed: ${str(p.error) ?? "no answer"}` };
  const ms = typeof p.elapsedMs === "number" && Number.isFinite(p.elapsedMs) ? ` in ${Math.round(p.elapsedMs)} ms` : "";
  const bot = str(obj(p.bot).username);
  return { ok: true, text: `ok${ms}${bot ? ` · @${bot}` : ""}` };
}

/** The accounts of a `channels.status` answer (WebChat is the page itself: left out; an unlinked QR account says "not linked"). */
export function channelAccountRows(status: unknown): ChannelAccountRow[] {
  return channelRows(status, (a) => ({ probe: summarizeProbe(a.probe), linked: typeof a.linked === "boolean" ? a.linked : undefined })).flatMap((r) =>
    r.channel === "webchat" ? [] : [{ ...r, ...(r.linked === false && r.state === "not configured" ? { state: "not linked" } : {}), qrLogin: QR_CHANNELS.has(r.channel) }],
  );
}

/** One pending DM access request as the page lists it. */
export interface PairingRow {
  requestId: string;
  channel: string;
  accountId: string;
  /** "Telegram · default" */
  where: string;
  senderId: string;
  /** The sender's name when the channel gave one. */
  senderName: string | undefined;
  /** "requested 3m 5s ago" */
  age: string;
  /** "expires in 56m 55s" or "expired" */
  expiry: string;
  notifySupported: boolean;
}

/** The requests and accounts of a `channels.pairing.list` answer. */
export interface PairingView {
  rows: PairingRow[];
  /** Accounts that take pairing requests, "Telegram · default". */
  accounts: string[];
}

/** Folds `channels.pairing.list` into rows, oldest request first (unknown shapes degrade to nothing). */
export function buildPairingView(list: unknown, now: number): PairingView {
  const l = obj(list);
  const where = (r: Obj) => `${str(r.channelLabel) ?? str(r.channel) ?? "?"} · ${str(r.accountLabel) ?? str(r.accountId) ?? "default"}`;
  const requests = (Array.isArray(l.requests) ? l.requests : []).map(obj).filter((r) => str(r.requestId) && str(r.channel) && str(r.senderId));
  const rows = requests
    .map((r): PairingRow & { at: number } => {
      const at = Date.parse(str(r.createdAt) ?? "");
      const expires = Date.parse(str(r.expiresAt) ?? "");
      const meta = obj(r.metadata);
      return {
        requestId: r.requestId as string,
        channel: r.channel as string,
        accountId: str(r.accountId) ?? "default",
        where: where(r),
        senderId: r.senderId as string,
        senderName: str(meta.name) ?? str(meta.senderName) ?? str(meta.username),
        age: Number.isFinite(at) ? `requested ${formatDuration(now - at)} ago` : "requested at an unknown time",
        expiry: !Number.isFinite(expires) ? "" : expires <= now ? "expired" : `expires in ${formatDuration(expires - now)}`,
        notifySupported: r.notifySupported === true,
        at: Number.isFinite(at) ? at : 0,
      };
    })
    .sort((a, b) => a.at - b.at)
    .map(({ at: _at, ...row }) => row);
  const accounts = (Array.isArray(l.accounts) ? l.accounts : []).map(obj).map(where);
  return { rows, accounts };
}

/** What the WhatsApp QR panel shows. */
export interface QrLoginView {
  phase: "waiting" | "linked" | "failed";
  message: string;
  qrDataUrl: string | undefined;
  sessionKey: string | undefined;
}

/** Reads a `web.login.start` or `web.login.wait` answer; keeps the previous QR when a wait brings none. */
export function readQrLogin(answer: unknown, previous?: QrLoginView): QrLoginView {
  const a = obj(answer);
  const qr = str(a.qrDataUrl);
  const qrDataUrl = qr?.startsWith("data:image/") ? qr : previous?.qrDataUrl;
  const sessionKey = str(a.sessionKey) ?? previous?.sessionKey;
  if (a.connected === true) return { phase: "linked", message: str(a.message) ?? "linked", qrDataUrl: undefined, sessionKey };
  return { phase: "waiting", message: str(a.message) ?? "Waiting for the QR code…", qrDataUrl, sessionKey };
}
