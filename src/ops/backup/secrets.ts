/**
 * Secret values in a migration bundle. By default a bundle carries none: the state dir's `.env`,
 * the service env file (`gateway.env`) and the file SecretRef payload (`secrets.json`) are left
 * out, and `auth-profiles.json` goes in with its key material removed (env placeholders such as
 * `${OPENAI_API_KEY}` are names, not values, and stay). With `--include-secrets` the originals
 * travel sealed with a passphrase: scrypt derives the key, AES-256-GCM encrypts and authenticates
 * (Node's crypto; nothing home-made), and the header is bound in as additional data.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { AppError } from "../../shared/index.js";

/** State-dir files whose whole content is secret values (relative to the state dir). */
const SECRET_FILES: Record<string, string> = {
  ".env": "environment values for the gateway and the CLI",
  "gateway.env": "the service's env file",
  "secrets.json": "values for file SecretRefs",
};

/** Why a state-dir file is held back from a migration bundle (undefined: it travels). */
export function secretFileReason(stateRel: string): string | undefined {
  return SECRET_FILES[stateRel];
}

/** Fields of an auth profile that hold key material. */
const KEY_FIELDS = new Set(["key", "apiKey", "api_key", "token", "access", "refresh", "accessToken", "refreshToken", "password", "secret", "clientSecret", "privateKey"]);
const PLACEHOLDER = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * `auth-profiles.json` without key material: every literal value of a key field is removed and
 * named in `removed` (`<profile id>.<field>`). Unchanged input comes back byte-identical.
 */
export function stripAuthProfiles(text: string): { text: string; removed: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // Unparseable: carrying it would carry whatever it holds.
    return { text: "", removed: ["(unparseable file, left out whole)"] };
  }
  const removed: string[] = [];
  const visit = (v: unknown, at: string[]): void => {
    if (!v || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (KEY_FIELDS.has(k) && typeof x === "string" && x && !PLACEHOLDER.test(x)) {
        delete (v as Record<string, unknown>)[k];
        removed.push([...at, k].join("."));
      } else visit(x, [...at, k]);
    }
  };
  const root = doc as Record<string, unknown>;
  visit(root.profiles && typeof root.profiles === "object" ? root.profiles : root, []);
  return removed.length ? { text: `${JSON.stringify(doc, null, 2)}\n`, removed } : { text, removed };
}

/** One held-back file: where it goes on the target (asset `state` or an external's id) and its bytes. */
export interface SealedFile {
  asset: string;
  rel: string;
  mode: number;
  data: string;
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
export const SEALED_NAME = "secrets.sealed.json";

/** Encrypts the held-back files with a passphrase (scrypt → AES-256-GCM). */
export function sealSecrets(files: SealedFile[], passphrase: string): Buffer {
  if (!passphrase) throw new AppError("USAGE", "--include-secrets needs a passphrase", { hint: "Pass --passphrase-file <file> or set OPENCLAW_MIGRATE_PASSPHRASE (a terminal prompts for it)." });
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const header = { format: "openclaw-sealed-secrets", version: 1, kdf: { name: "scrypt", N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: salt.toString("base64") }, cipher: "aes-256-gcm", iv: iv.toString("base64") };
  const key = scryptSync(passphrase, salt, 32, SCRYPT);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(JSON.stringify(header)));
  const data = Buffer.concat([cipher.update(JSON.stringify({ files }), "utf8"), cipher.final()]);
  return Buffer.from(`${JSON.stringify({ ...header, tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") })}\n`);
}

/** Decrypts a sealed bundle; a wrong passphrase or a changed byte is one clear error. */
export function openSealed(text: string, passphrase: string): SealedFile[] {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new AppError("CHECK_FAILED", `${SEALED_NAME} in the archive does not parse`, { hint: "The archive is damaged; export it again." });
  }
  const kdf = raw.kdf as { N: number; r: number; p: number; salt: string } | undefined;
  if (raw.format !== "openclaw-sealed-secrets" || raw.version !== 1 || !kdf || raw.cipher !== "aes-256-gcm") throw new AppError("CHECK_FAILED", `${SEALED_NAME}: unknown format`, { hint: "Import it with the version of openclaw that exported it." });
  const header = { format: raw.format, version: raw.version, kdf: { name: "scrypt", N: kdf.N, r: kdf.r, p: kdf.p, salt: kdf.salt }, cipher: raw.cipher, iv: raw.iv };
  try {
    const key = scryptSync(passphrase, Buffer.from(kdf.salt, "base64"), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: SCRYPT.maxmem });
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(String(raw.iv), "base64"));
    decipher.setAAD(Buffer.from(JSON.stringify(header)));
    decipher.setAuthTag(Buffer.from(String(raw.tag), "base64"));
    const plain = Buffer.concat([decipher.update(Buffer.from(String(raw.data), "base64")), decipher.final()]);
    return (JSON.parse(plain.toString("utf8")) as { files: SealedFile[] }).files;
  } catch {
    throw new AppError("CHECK_FAILED", "the sealed secrets do not open with this passphrase (wrong passphrase, or the archive was changed)", { hint: "Check the passphrase file / OPENCLAW_MIGRATE_PASSPHRASE; nothing secret was written." });
  }
}
