/**
 * Secrets recognised by the shape of the value, whatever key they sit under: credentials inside
 * URLs, JWTs, long hex runs and high-entropy strings. The rule is precise on purpose, so that it
 * masks values and never words:
 *
 * - a *run* is a maximal stretch of `[A-Za-z0-9+_~-]` with optional `=` padding (paths split at
 *   `/`, names at `.`);
 * - a run shorter than 24 characters is never a secret;
 * - UUIDs, plain numbers and identifiers made of words and numbers joined by `-`/`_`
 *   (`claude-3-5-sonnet-20241022`, `OPENCLAW_GATEWAY_TOKEN`) are kept;
 * - a hex run of 32+ characters is a secret (tokens are often `openssl rand -hex`), unless it is
 *   printed as a hash: under a hash-like label (`hash`, `baseHash`, `sha256`, `fingerprint`, …);
 * - any other run is a secret when it mixes letters and digits, switches character class often
 *   (random strings do, camelCase words do not) and has a high Shannon entropy.
 */

const MIN_RUN = 24;
const MIN_HEX_RUN = 32;
const MIN_CLASS_SWITCH_RATIO = 0.4;
const MIN_ENTROPY_BITS = 3.5;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A word (any case, optionally followed by digits) or a number: the pieces of an identifier. */
const WORDISH = /^(?:[a-z]+\d*|[A-Z][a-z]+\d*|[A-Z]+\d*|\d+(?:[A-Za-z]{1,2}\d*)?)$/;
const HASH_KEY = /^(?:.*hash|.*sha\d*|.*digest|.*checksum|.*fingerprint|etag|commit|integrity|nonce)$/i;
/** A label right before a value that marks it as a hash (`"hash": "`, `sha256:`, `baseHash=`). */
const HASH_LABEL = /(?:hash|sha\d*|digest|checksum|fingerprint|etag|commit|integrity)["']?\s*[:=]?\s*["']?$/i;
const DIGEST = /^(?:sha\d+[:-])?[0-9a-f]{7,}$/i;

/** True for key names whose values are digests or fingerprints (hashes, not secrets). */
export function isHashKey(key: string): boolean {
  return HASH_KEY.test(key);
}

/** True for a hex digest, optionally prefixed `sha256:` (what a hash-labelled field holds). */
export function looksLikeDigest(value: string): boolean {
  return DIGEST.test(value);
}

function charClass(ch: string): number {
  if (ch >= "a" && ch <= "z") return 1;
  if (ch >= "A" && ch <= "Z") return 2;
  if (ch >= "0" && ch <= "9") return 3;
  return 4;
}

function classSwitchRatio(s: string): number {
  let switches = 0;
  for (let i = 1; i < s.length; i++) if (charClass(s[i]!) !== charClass(s[i - 1]!)) switches++;
  return switches / (s.length - 1);
}

function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** True when one run (no spaces, no `/`, no `.`) looks like a secret by its shape alone. */
export function looksLikeSecretValue(run: string): boolean {
  const s = run.replace(/=+$/, "");
  if (s.length < MIN_RUN || UUID.test(s) || /^\d+$/.test(s)) return false;
  if (/^[0-9a-f]+$/i.test(s)) return s.length >= MIN_HEX_RUN;
  if (s.split(/[-_+~]+/).every((seg) => seg === "" || WORDISH.test(seg))) return false;
  if (!/\d/.test(s) || !/[A-Za-z]/.test(s)) return false;
  return classSwitchRatio(s) >= MIN_CLASS_SWITCH_RATIO && shannonEntropy(s) >= MIN_ENTROPY_BITS;
}

type Mask = (secret: string) => string;

/** `scheme://user:password@host` — the password (up to the last `@` before the host). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@"'`<>]*:)([^\s/?#"'`<>]+)(@[^\s@/?#"'`<>]+)/gi;
/** Credentials in a query string: `?key=…`, `&sig=…`, `&access_token=…`. */
const QUERY_SECRET = /([?&](?:key|sig|signature|auth|pass|pwd|password|secret|token|access_token|refresh_token|api_key|apikey|client_secret)=)([^&\s#"'`<>]+)/gi;
/** JSON Web Tokens: three base64url parts, the first two starting with `eyJ`. */
const JWT = /\beyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}/g;
const RUN = /(?<![A-Za-z0-9+_~-])[A-Za-z0-9+_~-]{24,}={0,2}(?![A-Za-z0-9+_~=-])/g;

const isMasked = (s: string) => s === "***" || s.includes("…") || /^\$\{[A-Z_][A-Z0-9_]*\}$/.test(s);

/** Masks every secret `text` holds by value shape (see the file comment for the rule). */
export function findShapedSecrets(text: string, mask: Mask): string {
  let out = text.replace(URL_CREDENTIALS, (m, head: string, pass: string, host: string) => (isMasked(pass) ? m : `${head}${mask(pass)}${host}`));
  out = out.replace(QUERY_SECRET, (m, head: string, value: string) => (isMasked(value) ? m : `${head}${mask(value)}`));
  out = out.replace(JWT, (m) => mask(m));
  return out.replace(RUN, (run: string, offset: number, whole: string) => {
    if (!looksLikeSecretValue(run)) return run;
    if (HASH_LABEL.test(whole.slice(Math.max(0, offset - 24), offset)) && looksLikeDigest(run.replace(/^sha\d+[:-]/i, ""))) return run;
    return mask(run);
  });
}
