/**
 * DM pairing store (issue 14 item 4, spec §1.6/§2.9): pending requests in
 * `credentials/<channel>-pairing.json` (`{ version: 1, requests: [{ id, code, createdAt, lastSeenAt,
 * meta }] }`) and approved senders in `credentials/<channel>-allowFrom.json` (`{ version: 1,
 * allowFrom: [...] }`; a non-default account: `<channel>-<accountId>-allowFrom.json`). Codes are 8
 * characters without ambiguous ones, live 1 h, at most 3 pending per channel account (more are
 * ignored until one expires or is approved). Files are written 0600 and atomically under a lock;
 * keys we do not know are kept.
 *
 * OpenClaw 2026.9 keeps the same state in SQLite (`state/openclaw.sqlite`, see storage/openclaw-db.ts)
 * and its doctor imports and deletes the JSON files; older OpenClaw reads only the files. So every
 * write goes to both (the database in one IMMEDIATE transaction, then the files), and reads take the
 * union: a request or approval in either counts, a request whose sender is already approved is no
 * longer pending. A database that cannot be used is reported (once per problem, never thrown at the
 * inbound path) and the store keeps working from the files.
 */
import { createHash, randomInt } from "node:crypto";
import { existsSync, type Stats, statSync } from "node:fs";
import path from "node:path";
import { readSmallRegularFile, writeFileAtomic } from "../infra/index.js";
import { createLogger } from "../logging/index.js";
import { AppError } from "../shared/index.js";
import { type OpenClawPairingDb, openclawDbFile, openOpenClawPairingDb, type PairingAllowRow, pairingDbError, withSessionLock } from "../storage/index.js";

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
  /** The state dir holding `state/openclaw.sqlite` (the layout's `stateDir`); default: the parent of `credentialsDir`. */
  stateDir?: string;
  now?: () => number;
  /**
   * Told, once per distinct problem, about a source a read had to skip: the state database, or a
   * broken JSON file while checking senders (writes still throw for those). Default: a warning in
   * the `channels/pairing` log.
   */
  onProblem?: (error: AppError) => void;
}

/** A request that left the store (approved or dismissed): the sender id, its account, and the request as it was. */
export interface SettledPairing {
  id: string;
  accountId: string;
  request: PairingRequest;
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
const requestKey = (r: PairingRequest) => `${accountOf(r)}\u0000${r.id}`;
const fileSig = (st: Stats | undefined) => (st ? `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}` : "");

function allowOf(doc: Doc | undefined): string[] {
  return Array.isArray(doc?.allowFrom) ? (doc.allowFrom as unknown[]).filter((x): x is string | number => typeof x === "string" || typeof x === "number").map(String) : [];
}

/** What the database holds for one channel, as the store's shapes. */
interface DbChannel {
  requests: PairingRequest[];
  allow: PairingAllowRow[];
}

/** The union of the file's and the database's requests: one per (account, sender), the newest code winning. */
function mergeRequests(fromFile: PairingRequest[], fromDb: PairingRequest[]): PairingRequest[] {
  const out = new Map<string, PairingRequest>();
  for (const r of fromFile) out.set(requestKey(r), r);
  for (const r of fromDb) {
    const have = out.get(requestKey(r));
    if (!have) out.set(requestKey(r), r);
    else if (have.code.toUpperCase() === r.code.toUpperCase()) {
      if (Date.parse(r.lastSeenAt) > Date.parse(have.lastSeenAt)) out.set(requestKey(r), { ...have, lastSeenAt: r.lastSeenAt });
    } else if (Date.parse(r.createdAt) > Date.parse(have.createdAt)) out.set(requestKey(r), r);
  }
  return [...out.values()].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

/** The pairing store over one credentials dir and OpenClaw's state database. */
export class PairingStore {
  private readonly dir: string;
  private readonly dbFile: string;
  private readonly stateDir: string;
  private readonly now: () => number;
  private readonly onProblem: (error: AppError) => void;
  private readonly reported = new Set<string>();
  private db: OpenClawPairingDb | undefined;
  private dbSig = "";
  /** The signature of a database file that failed to open: not retried until the file changes. */
  private failedSig: string | undefined;
  private lastProblem: AppError | undefined;
  private readonly dbCache = new Map<string, { version: number; value: DbChannel }>();
  private readonly fileCache = new Map<string, { sig: string; doc: Doc | undefined }>();
  private readonly allowMemo = new Map<string, { doc: Doc | undefined; dbc: DbChannel | undefined; value: string[] }>();

  constructor(options: PairingStoreOptions) {
    this.dir = options.credentialsDir;
    this.stateDir = options.stateDir ?? path.dirname(options.credentialsDir);
    this.dbFile = openclawDbFile(this.stateDir);
    this.now = options.now ?? Date.now;
    const log = options.onProblem ? undefined : createLogger("channels/pairing");
    this.onProblem = options.onProblem ?? ((e) => log?.warn(e.message, { hint: e.hint }));
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

  /** `state/openclaw.sqlite`, OpenClaw 2026.9's copy of this state. */
  databaseFile(): string {
    return this.dbFile;
  }

  /** The last problem with the database (the store then works from the files alone), if any. */
  dbProblem(): AppError | undefined {
    return this.lastProblem;
  }

  /** Closes the database connection (the next use reopens it). */
  close(): void {
    this.db?.close();
    this.db = undefined;
    this.dbCache.clear();
  }

  private report(error: unknown): void {
    const e = pairingDbError(this.dbFile, error);
    this.lastProblem = e;
    this.tell(e);
  }

  private tell(e: AppError): void {
    if (this.reported.has(e.message)) return;
    if (this.reported.size > 100) this.reported.clear();
    this.reported.add(e.message);
    this.onProblem(e);
  }

  /** A JSON file on a read path: a broken one counts as empty (fail closed) and is reported, not thrown. */
  private tolerantDoc(file: string): Doc | undefined {
    try {
      return this.cachedDoc(file);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      this.tell(e);
      return undefined;
    }
  }

  /** The open database, reopened when the file was replaced; undefined when absent (and `create` is false) or unusable. */
  private database(create: boolean): OpenClawPairingDb | undefined {
    const sig = fileSig(statSync(this.dbFile, { throwIfNoEntry: false }));
    if (this.db && sig !== "" && sig.split(":").slice(0, 2).join(":") === this.dbSig) return this.db;
    this.close();
    if (sig === "" && !create) return undefined;
    if (this.failedSig !== undefined && this.failedSig === sig) return undefined;
    try {
      this.db = openOpenClawPairingDb(this.stateDir, { create });
      const st = statSync(this.dbFile, { throwIfNoEntry: false });
      this.dbSig = st ? `${st.dev}:${st.ino}` : "";
      this.failedSig = undefined;
      this.lastProblem = undefined;
      this.reported.clear();
      return this.db;
    } catch (e) {
      this.failedSig = fileSig(statSync(this.dbFile, { throwIfNoEntry: false }));
      this.report(e);
      return undefined;
    }
  }

  private readDbChannel(db: OpenClawPairingDb, channel: string): DbChannel {
    const requests = db.readRequests(channel).map(
      (r): PairingRequest => ({ id: r.requestId, code: r.code, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, meta: { ...r.meta, accountId: r.accountId } }),
    );
    return { requests, allow: db.readAllow(channel) };
  }

  /** The database's view of a channel for reads, cached until another connection commits (`data_version`). */
  private dbChannel(channel: string): DbChannel | undefined {
    const db = this.database(false);
    if (!db) return undefined;
    try {
      const version = db.dataVersion();
      const hit = this.dbCache.get(channel);
      if (hit && hit.version === version) return hit.value;
      const value = this.readDbChannel(db, channel);
      this.dbCache.set(channel, { version, value });
      return value;
    } catch (e) {
      this.close();
      this.report(e);
      return undefined;
    }
  }

  /** A JSON file for reads, cached until it changes (stat signature). */
  private cachedDoc(file: string): Doc | undefined {
    const sig = fileSig(statSync(file, { throwIfNoEntry: false }));
    const hit = this.fileCache.get(file);
    if (hit && hit.sig === sig) return hit.doc;
    const doc = sig === "" ? undefined : readDoc(file);
    this.fileCache.set(file, { sig, doc });
    return doc;
  }

  private live(requests: unknown[]): PairingRequest[] {
    const now = this.now();
    return requests.filter((r): r is PairingRequest => {
      if (!r || typeof r !== "object") return false;
      const x = r as PairingRequest;
      const at = Date.parse(x.createdAt);
      return typeof x.id === "string" && typeof x.code === "string" && Number.isFinite(at) && now - at < PAIRING_TTL_MS;
    });
  }

  private fileRequests(doc: Doc | undefined): PairingRequest[] {
    return this.live(Array.isArray(doc?.requests) ? (doc.requests as unknown[]) : []);
  }

  /** Approved senders of one account: the file's, then the database's. */
  private allowUnion(fileAllow: string[], dbc: DbChannel | undefined, accountId: string): string[] {
    return union(fileAllow, (dbc?.allow ?? []).filter((a) => a.accountId === accountId).map((a) => a.entry));
  }

  /** Live requests from both sides, without those whose sender is already approved. */
  private pending(doc: Doc | undefined, dbc: DbChannel | undefined, channel: string): PairingRequest[] {
    const merged = mergeRequests(this.fileRequests(doc), this.live(dbc?.requests ?? []));
    const allowed = new Map<string, Set<string>>();
    return merged.filter((r) => {
      const acc = accountOf(r);
      let set = allowed.get(acc);
      if (!set) {
        set = new Set(this.allowUnion(allowOf(this.tolerantDoc(this.allowFromFile(channel, acc))), dbc, acc));
        allowed.set(acc, set);
      }
      return !set.has(r.id);
    });
  }

  /** Live (unexpired) pending requests, oldest first; one account's when `accountId` is given. */
  list(channel: string, options: { accountId?: string } = {}): PairingRequest[] {
    const acc = options.accountId === undefined ? undefined : checkId("account", options.accountId);
    const ch = checkId("channel", channel);
    return this.pending(this.cachedDoc(this.pairingFile(ch)), this.dbChannel(ch), ch)
      .filter((r) => acc === undefined || accountOf(r) === acc)
      .map((r) => ({ ...r, ...(r.meta ? { meta: { ...r.meta } } : {}) }));
  }

  /** Approved sender ids for one account (what the access policy merges into `allowFrom`). */
  readAllowFrom(channel: string, accountId = DEFAULT_ACCOUNT_ID): string[] {
    const ch = checkId("channel", channel);
    const acc = checkId("account", accountId);
    const doc = this.tolerantDoc(this.allowFromFile(ch, acc));
    const dbc = this.dbChannel(ch);
    // Both sources hand back the same objects while unchanged: so does the union (a copy per call).
    const key = `${ch}\u0000${acc}`;
    const hit = this.allowMemo.get(key);
    if (hit && hit.doc === doc && hit.dbc === dbc) return hit.value.slice();
    const value = this.allowUnion(allowOf(doc), dbc, acc);
    this.allowMemo.set(key, { doc, dbc, value });
    return value.slice();
  }

  /**
   * Runs a read-modify-write of one channel: inside one IMMEDIATE database transaction when the
   * database is usable (so OpenClaw's CLI cannot interleave), from the files alone otherwise. `apply`
   * must be pure over what it is given: it runs again from the files when the database fails.
   */
  private mutate<T extends { changed: boolean; requests: PairingRequest[]; allow?: { accountId: string; entries: string[] } }>(
    channel: string,
    apply: (dbc: DbChannel | undefined) => T,
  ): T {
    const db = this.database(true);
    if (db) {
      // A file error inside `apply` is the caller's to see, not a database problem.
      let applyError: unknown;
      try {
        const out = db.transaction(() => {
          let result: T;
          try {
            result = apply(this.readDbChannel(db, channel));
          } catch (e) {
            applyError = e;
            throw e;
          }
          if (result.changed) {
            db.replaceRequests(
              channel,
              result.requests.map((r) => ({ accountId: accountOf(r), requestId: r.id, code: r.code, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, meta: { ...r.meta, accountId: accountOf(r) } })),
            );
            if (result.allow) db.replaceAllow(channel, result.allow.accountId, result.allow.entries);
          }
          return result;
        });
        this.dbCache.delete(channel);
        return out;
      } catch (e) {
        if (applyError !== undefined && e === applyError) throw e;
        this.close();
        this.report(e);
      }
    }
    return apply(undefined);
  }

  /**
   * A sender asks for access: their live code (created=false), a new one (created=true), or nothing
   * when three are already pending for the account (created=false, capped).
   */
  async requestPairing(channel: string, senderId: string, meta: Record<string, string> = {}): Promise<PairingRequestResult> {
    const ch = checkId("channel", channel);
    const file = this.pairingFile(ch);
    const accountId = checkId("account", meta.accountId ?? DEFAULT_ACCOUNT_ID);
    return withSessionLock(file, () => {
      const doc = readDoc(file) ?? { version: 1 };
      const stored = Array.isArray(doc.requests) ? doc.requests.length : 0;
      const { result, requests, changed } = this.mutate(ch, (dbc) => {
        const requests = this.pending(doc, dbc, ch);
        const dbStale = dbc !== undefined && dbc.requests.length !== requests.length;
        const nowIso = new Date(this.now()).toISOString();
        const cleanMeta = { ...Object.fromEntries(Object.entries(meta).filter(([, v]) => typeof v === "string" && v !== "")), accountId };
        const existing = requests.find((r) => r.id === senderId && accountOf(r) === accountId);
        if (existing) {
          const updated = { ...existing, lastSeenAt: nowIso, meta: { ...existing.meta, ...cleanMeta } };
          return { result: { code: existing.code, created: false }, requests: requests.map((r) => (r === existing ? updated : r)), changed: true };
        }
        if (requests.filter((r) => accountOf(r) === accountId).length >= PAIRING_MAX_PENDING) {
          return { result: { code: "", created: false, capped: true as const }, requests, changed: requests.length !== stored || dbStale };
        }
        const code = generatePairingCode(new Set(requests.map((r) => r.code.toUpperCase())));
        const added: PairingRequest = { id: senderId, code, createdAt: nowIso, lastSeenAt: nowIso, meta: cleanMeta };
        return { result: { code, created: true }, requests: [...requests, added], changed: true };
      });
      if (changed) writeDoc(file, { ...doc, version: doc.version ?? 1, requests });
      return result;
    });
  }

  /**
   * Approves a live code (from either store): the request leaves both and its sender joins the
   * account's approved senders in both. Returns the approved request, or undefined when no live
   * request has that code.
   */
  async approvePairing(channel: string, code: string, options: { accountId?: string } = {}): Promise<SettledPairing | undefined> {
    const want = code.trim().toUpperCase();
    return this.settle(channel, options.accountId, (r) => r.code.toUpperCase() === want, true);
  }

  /**
   * OpenClaw's opaque id of a request (`channels.pairing.*` in the Control UI, which never shows the
   * code): base64url(sha256(`channel\0account\0sender\0createdAt`)), first 32 characters.
   */
  requestId(channel: string, request: PairingRequest): string {
    return createHash("sha256").update(`${checkId("channel", channel)}\u0000${accountOf(request)}\u0000${request.id}\u0000${request.createdAt}`).digest("base64url").slice(0, 32);
  }

  /** Approves the live request with this opaque id (see `requestId`), as `approvePairing` does a code. */
  async approveRequest(channel: string, requestId: string, options: { accountId?: string } = {}): Promise<SettledPairing | undefined> {
    return this.settle(channel, options.accountId, (r) => this.requestId(channel, r) === requestId, true);
  }

  /**
   * Dismisses the live request with this opaque id: it leaves both stores, nobody is approved, and
   * the sender may ask again (a new code). Undefined when no live request has that id.
   */
  async dismissRequest(channel: string, requestId: string, options: { accountId?: string } = {}): Promise<SettledPairing | undefined> {
    return this.settle(channel, options.accountId, (r) => this.requestId(channel, r) === requestId, false);
  }

  /** Removes the first live request `matches` accepts from both stores; with `approve`, its sender joins the account's approved senders. */
  private async settle(channel: string, accountId: string | undefined, matches: (r: PairingRequest) => boolean, approve: boolean): Promise<SettledPairing | undefined> {
    const ch = checkId("channel", channel);
    const file = this.pairingFile(ch);
    const acc = accountId === undefined ? undefined : checkId("account", accountId);
    return withSessionLock(file, () => {
      const doc = readDoc(file);
      const out = this.mutate(ch, (dbc) => {
        const requests = this.pending(doc, dbc, ch);
        const request = requests.find((r) => (acc === undefined || accountOf(r) === acc) && matches(r));
        if (!request) return { request: undefined, requests, changed: false };
        const accountId = accountOf(request);
        const rest = requests.filter((r) => r !== request);
        if (!approve) return { request, requests: rest, changed: true };
        const allowDoc = readDoc(this.allowFromFile(ch, accountId));
        const entries = union(this.allowUnion(allowOf(allowDoc), dbc, accountId), [request.id]);
        return { request, requests: rest, changed: true, allow: { accountId, entries }, allowDoc };
      });
      if (!out.request) return undefined;
      if (out.allow) {
        const allowFile = this.allowFromFile(ch, out.allow.accountId);
        const allowDoc = out.allowDoc ?? { version: 1 };
        if (allowOf(out.allowDoc).join("\n") !== out.allow.entries.join("\n")) {
          // Keep the file's own entries as written (numbers stay numbers); add what only the database or this approval has.
          const current = Array.isArray(allowDoc.allowFrom) ? (allowDoc.allowFrom as unknown[]) : [];
          const have = new Set(current.map(String));
          writeDoc(allowFile, { ...allowDoc, version: allowDoc.version ?? 1, allowFrom: [...current, ...out.allow.entries.filter((e) => !have.has(e))] });
        }
      }
      // The allow entry is written before the request leaves: a crash between the two keeps the code usable.
      if (doc || out.requests.length > 0) writeDoc(file, { ...(doc ?? {}), version: doc?.version ?? 1, requests: out.requests });
      return { id: out.request.id, accountId: accountOf(out.request), request: out.request };
    });
  }
}
