/**
 * DM pairing store (issue 14 item 4, spec §1.6/§2.9): pending requests in
 * `credentials/<channel>-pairing.json` (`{ version: 1, requests: [{ id, code, createdAt, lastSeenAt,
 * meta }] }`) and approved senders in `credentials/<channel>-allowFrom.json` (`{ version: 1,
 * allowFrom: [...] }`; a non-default account: `<channel>-<accountId>-allowFrom.json`). Codes are 8
 * characters without ambiguous ones, live 1 h, at most 3 pending per channel account (more are
 * ignored until one expires or is approved). Files are written 0600 and atomically under a lock;
 * keys we do not know are kept.
 */
import { randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { readSmallRegularFile, writeFileAtomic } from "../infra/index.js";
import { AppError } from "../shared/index.js";
import { withSessionLock } from "../storage/index.js";

/** Upper-case letters and digits without 0 O 1 I L. */
export const PAIRING_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const PAIRING_CODE_LENGTH = 8;
export const PAIRING_TTL_MS = 60 * 60_000;
export const PAIRING_MAX_PENDING = 3;
export const DEFAULT_ACCOUNT_ID = "default";

/** One pending request as stored (OpenClaw's shape). */
export interface PairingRequest {
  /** The sender id. */
  id: string;
  code: string;
  createdAt: string;
  lastSeenAt: string;
  meta?: Record<string, string>;
  [key: string]: unknown;
}

export interface PairingStoreOptions {
  /** `<state>/credentials` (the layout's `credentialsDir`). */
  credentialsDir: string;
  now?: () => number;
}

/** The outcome of a request: `created` only for a new code (send the code message then, and only then). */
export interface PairingRequestResult {
  code: string;
  created: boolean;
  /** Three requests are already pending for this channel account: nothing was created. */
  capped?: true;
}

const ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

function checkId(kind: "channel" | "account", id: string): string {
  if (!ID_RE.test(id)) throw new AppError("USAGE", `invalid ${kind} id ${JSON.stringify(id)}`, { hint: `A ${kind} id is letters, digits, - and _ (for example telegram).` });
  return id.toLowerCase();
}

/** A fresh code from the unambiguous alphabet, unique among `taken`. */
export function generatePairingCode(taken: ReadonlySet<string> = new Set()): string {
  for (;;) {
    let code = "";
    for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)];
    if (!taken.has(code)) return code;
  }
}

type Doc = Record<string, unknown>;

function readDoc(file: string): Doc | undefined {
  let text: string | null;
  try {
    text = readSmallRegularFile(file, 4 * 1024 * 1024);
  } catch {
    text = null;
  }
  if (text === null) {
    if (!existsSync(file)) return undefined;
    throw new AppError("PAIRING_STORE", `${file} is not a readable regular file of at most 4 MB`, { hint: `Move it aside (mv ${file} ${file}.broken) and approve the senders again.` });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object") return (Array.isArray(parsed) ? { version: 1, allowFrom: parsed } : parsed) as Doc;
  } catch {
    // fall through
  }
  throw new AppError("PAIRING_STORE", `${file} is not valid JSON`, { hint: `Move it aside (mv ${file} ${file}.broken); pending codes in it are lost, approvals can be repeated.` });
}

function writeDoc(file: string, doc: Doc): void {
  writeFileAtomic(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
}

const accountOf = (r: PairingRequest) => (typeof r.meta?.accountId === "string" && r.meta.accountId ? r.meta.accountId.toLowerCase() : DEFAULT_ACCOUNT_ID);

/** The pairing store over one credentials dir. */
export class PairingStore {
  private readonly dir: string;
  private readonly now: () => number;

  constructor(options: PairingStoreOptions) {
    this.dir = options.credentialsDir;
    this.now = options.now ?? Date.now;
  }

  /** `credentials/<channel>-pairing.json`. */
  pairingFile(channel: string): string {
    return path.join(this.dir, `${checkId("channel", channel)}-pairing.json`);
  }

  /** `credentials/<channel>-allowFrom.json`, or `<channel>-<accountId>-allowFrom.json` for a non-default account. */
  allowFromFile(channel: string, accountId = DEFAULT_ACCOUNT_ID): string {
    const ch = checkId("channel", channel);
    const acc = checkId("account", accountId);
    return path.join(this.dir, acc === DEFAULT_ACCOUNT_ID ? `${ch}-allowFrom.json` : `${ch}-${acc}-allowFrom.json`);
  }

  private live(doc: Doc | undefined): PairingRequest[] {
    const now = this.now();
    const all = Array.isArray(doc?.requests) ? (doc.requests as unknown[]) : [];
    return all.filter((r): r is PairingRequest => {
      if (!r || typeof r !== "object") return false;
      const x = r as PairingRequest;
      const at = Date.parse(x.createdAt);
      return typeof x.id === "string" && typeof x.code === "string" && Number.isFinite(at) && now - at < PAIRING_TTL_MS;
    });
  }

  /** Live (unexpired) pending requests, oldest first; one account's when `accountId` is given. */
  list(channel: string, options: { accountId?: string } = {}): PairingRequest[] {
    const acc = options.accountId === undefined ? undefined : checkId("account", options.accountId);
    return this.live(readDoc(this.pairingFile(channel)))
      .filter((r) => acc === undefined || accountOf(r) === acc)
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  }

  /** Approved sender ids for one account (what the access policy merges into `allowFrom`). */
  readAllowFrom(channel: string, accountId = DEFAULT_ACCOUNT_ID): string[] {
    const doc = readDoc(this.allowFromFile(channel, accountId));
    return Array.isArray(doc?.allowFrom) ? (doc.allowFrom as unknown[]).filter((x): x is string | number => typeof x === "string" || typeof x === "number").map(String) : [];
  }

  /**
   * A sender asks for access: their live code (created=false), a new one (created=true), or nothing
   * when three are already pending for the account (created=false, capped).
   */
  async requestPairing(channel: string, senderId: string, meta: Record<string, string> = {}): Promise<PairingRequestResult> {
    const file = this.pairingFile(channel);
    const accountId = checkId("account", meta.accountId ?? DEFAULT_ACCOUNT_ID);
    return withSessionLock(file, () => {
      const doc = readDoc(file) ?? { version: 1 };
      const requests = this.live(doc);
      const nowIso = new Date(this.now()).toISOString();
      const cleanMeta = { ...Object.fromEntries(Object.entries(meta).filter(([, v]) => typeof v === "string" && v !== "")), accountId };
      const existing = requests.find((r) => r.id === senderId && accountOf(r) === accountId);
      if (existing) {
        existing.lastSeenAt = nowIso;
        existing.meta = { ...existing.meta, ...cleanMeta };
        writeDoc(file, { ...doc, version: doc.version ?? 1, requests });
        return { code: existing.code, created: false };
      }
      if (requests.filter((r) => accountOf(r) === accountId).length >= PAIRING_MAX_PENDING) {
        if (requests.length !== (Array.isArray(doc.requests) ? doc.requests.length : 0)) writeDoc(file, { ...doc, version: doc.version ?? 1, requests });
        return { code: "", created: false, capped: true };
      }
      const code = generatePairingCode(new Set(requests.map((r) => r.code.toUpperCase())));
      requests.push({ id: senderId, code, createdAt: nowIso, lastSeenAt: nowIso, meta: cleanMeta });
      writeDoc(file, { ...doc, version: doc.version ?? 1, requests });
      return { code, created: true };
    });
  }

  /**
   * Approves a live code: the request leaves the pending file and its sender joins the account's
   * allowFrom file. Returns the approved request, or undefined when no live request has that code.
   */
  async approvePairing(channel: string, code: string, options: { accountId?: string } = {}): Promise<{ id: string; accountId: string; request: PairingRequest } | undefined> {
    const file = this.pairingFile(channel);
    const want = code.trim().toUpperCase();
    const acc = options.accountId === undefined ? undefined : checkId("account", options.accountId);
    return withSessionLock(file, () => {
      const doc = readDoc(file);
      if (!doc) return undefined;
      const requests = this.live(doc);
      const index = requests.findIndex((r) => r.code.toUpperCase() === want && (acc === undefined || accountOf(r) === acc));
      if (index < 0) return undefined;
      const [request] = requests.splice(index, 1) as [PairingRequest];
      const accountId = accountOf(request);
      const allowFile = this.allowFromFile(channel, accountId);
      const allowDoc = readDoc(allowFile) ?? { version: 1 };
      const current = Array.isArray(allowDoc.allowFrom) ? (allowDoc.allowFrom as unknown[]) : [];
      if (!current.map(String).includes(request.id)) writeDoc(allowFile, { ...allowDoc, version: allowDoc.version ?? 1, allowFrom: [...current, request.id] });
      // The allow entry is written before the request leaves: a crash between the two keeps the code usable.
      writeDoc(file, { ...doc, version: doc.version ?? 1, requests });
      return { id: request.id, accountId, request };
    });
  }
}
