/**
 * Redaction of secrets in text and structured values. Every log sink, every error that leaves the
 * process and every `--json` payload passes through here. Masking follows OpenClaw: a token shorter
 * than 18 characters becomes `***`; a longer one keeps its first 6 and last 4 characters.
 *
 * Secrets are found two ways: by the key name they sit under (`apiKey`, `botToken`, `password`, …)
 * and by the shape of the value itself (credentials inside URLs, known token formats, JWTs, long hex
 * runs, high-entropy strings), so `env.DATABASE_URL` with a password inside is masked even though its
 * key looks harmless. Only values are masked, never words: identifiers made of words and numbers,
 * UUIDs, paths and hashes printed under a hash label (`hash`, `baseHash`, `sha256:`) stay as they are.
 */
import { findShapedSecrets, isHashKey, looksLikeDigest } from "./secret-shape.js";

export { isHashKey, looksLikeDigest, looksLikeSecretValue } from "./secret-shape.js";

const MIN_KEEP_LENGTH = 18;

/** Masks one secret value. */
export function maskSecret(value: string): string {
  if (value.length < MIN_KEEP_LENGTH) return "***";
  return `${value.slice(0, 6)}…${value.slice(-4)}`;
}

/** Key names whose values are secrets wherever they appear in a structured value. */
const SECRET_KEY =
  /^(?:.*(?:api[-_]?key|apikey|secret|password|passwd|passphrase|private[-_]?key|credential|cookie|authorization)|(?:.*[-_])?token|access[-_]?token|refresh[-_]?token|bot[-_]?token|app[-_]?token|.*Token|.*Key|.*Secret|.*Password)$/i;
const NOT_SECRET_KEY = /^(?:tokens|maxTokens|.*Tokens|.*TokensFloor|tokenCount|keyPrefix|.*KeyPath|publicKey.*|.*Keys|monkey|key)$/i;

/** True when a key name denotes a secret (`token`, `apiKey`, `botToken`, `password`, …). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key);
}

type Replacer = (match: string, ...groups: string[]) => string;

const ENV_REF = /^\$\{[A-Z_][A-Z0-9_]*\}$/;

/** True for a whole-value `${VAR}` reference (a pointer to a secret, not a secret). */
export function isEnvReference(value: unknown): value is string {
  return typeof value === "string" && ENV_REF.test(value);
}

/** A usage placeholder (`<token>`, `<bot-token>,`) in help and hints: never a secret. */
const PLACEHOLDER = /^<[a-z][a-z0-9-]*>[,.;:)]*$/i;

/** True for values that must stay as they are: env references, usage placeholders and values already masked. */
function keepAsIs(token: string): boolean {
  return isEnvReference(token) || token === "***" || /^.{0,6}….{0,4}$/.test(token) || token === "__OPENCLAW_REDACTED__" || PLACEHOLDER.test(token);
}

/** Masks the last capture group (or the whole match), replacing its last occurrence in the match. */
const maskLastGroup: Replacer = (match, ...rest) => {
  const groups = rest.slice(0, -2).filter((g): g is string => typeof g === "string" && g.length > 0);
  const token = groups[groups.length - 1] ?? match;
  if (keepAsIs(token)) return match;
  const at = match.lastIndexOf(token);
  return match.slice(0, at) + maskSecret(token) + match.slice(at + token.length);
};

/**
 * A config-path label in a message (`gateway.auth.token: expected string`, `…apiKey: environment
 * variable X is empty`) is not an assignment: a dotted key followed by `:` and a plain word keeps the
 * word. Anything that is not a plain word (digits, symbols) is still masked, and `=` always is.
 */
const maskUnlessPathLabel: Replacer = (match, ...rest) => {
  const offset = rest[rest.length - 2] as unknown as number;
  const whole = rest[rest.length - 1] as unknown as string;
  const groups = rest.slice(0, -2).filter((g): g is string => typeof g === "string" && g.length > 0);
  const value = groups[groups.length - 1] ?? "";
  const label = whole[offset - 1] === "." && /^[^=:]*:/.test(match) && !match.includes("=");
  if (label && /^[A-Za-z]+$/.test(value)) return match;
  return maskLastGroup(match, ...rest);
};

const TEXT_PATTERNS: Array<[RegExp, Replacer]> = [
  // PEM private key blocks: keep the first and last lines.
  [
    /-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g,
    (_m, kind: string) => `-----BEGIN ${kind}-----…redacted…-----END ${kind}-----`,
  ],
  // Authorization headers (any length) and bare bearer tokens (18+ characters).
  [/\bAuthorization\s*[:=]\s*(?:Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=-]{4,})/gi, maskLastGroup],
  [/\bBearer\s+([A-Za-z0-9._~+/=-]{18,})/g, maskLastGroup],
  // JSON fields.
  [
    /"(?:apiKey|api_key|token|secret|password|passwd|accessToken|refreshToken|access_token|refresh_token|botToken|appToken|clientSecret|client_secret)"\s*:\s*"((?:[^"\\]|\\.)+)"/gi,
    maskLastGroup,
  ],
  // CLI flags.
  [/--(?:api[-_]?key|token|secret|password|passwd)(?:=|\s+)(["']?)([^\s"']+)\1/gi, maskLastGroup],
  // env-style assignments: FOO_TOKEN=value, API_KEY: value.
  [/\b[A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD)\b\s*[=:]\s*(["']?)(\$\{[A-Z_][A-Z0-9_]*\}|[^\s"',;}]+)\1/g, maskUnlessPathLabel],
  // the same in lower/camel case: password=…, apiKey: …, client_secret=…
  [
    /\b(?:(?:[a-z0-9]+[_-])*(?:api[_-]?key|apikey|token|secret|password|passwd|access[_-]?token|refresh[_-]?token)|[a-z]+(?:Key|Token|Secret|Password))\b\s*[=:]\s*(["']?)(\$\{[A-Z_][A-Z0-9_]*\}|[^\s"',;}]+)\1/g,
    maskUnlessPathLabel,
  ],
  // Well-known token prefixes.
  [
    /\b(sk-[A-Za-z0-9_-]{8,}|ghp_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,}|xox[baprs]-[A-Za-z0-9-]{8,}|xapp-[A-Za-z0-9-]{8,}|gsk_[A-Za-z0-9]{8,}|AIza[0-9A-Za-z_-]{16,}|pplx-[A-Za-z0-9]{8,}|npm_[A-Za-z0-9]{16,}|hf_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_-]{16,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|AKIA[0-9A-Z]{16})/g,
    (m) => maskSecret(m),
  ],
  // Telegram bot tokens: <digits>:<secret>, also inside Bot API URLs (…/bot<token>/…).
  [/(?<!\d)(\d{6,}:[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/g, (m) => maskSecret(m)],  // Discord bot tokens: base64 of the bot's user id, a 6-character timestamp, then the HMAC (27+ characters).
  [/(?<![A-Za-z0-9_-])([MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,})(?![A-Za-z0-9_-])/g, (m) => maskSecret(m)],
];

const PHONE = /(?<![\w/.-])\+\d{7,15}\b/g;

export interface RedactOptions {
  /** Also mask E.164 phone numbers (for pasteable reports). */
  phones?: boolean;
  /** Extra literal secrets to remove wherever they appear (e.g. the resolved gateway token). */
  literals?: readonly string[];
  /** Extra patterns (logging.redactPatterns) whose matches become `***`. */
  patterns?: readonly RegExp[];
}

/**
 * The values of every secret-keyed string in a tree (what `redactText` needs as `literals` to mask
 * them wherever they are quoted). `extraKeys` adds field names that are secrets in a given file.
 */
export function collectSecretValues(value: unknown, extraKeys: ReadonlySet<string> = new Set(), key = ""): string[] {
  if (typeof value === "string") return (isSecretKey(key) || extraKeys.has(key)) && value.length >= 4 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => collectSecretValues(v, extraKeys, key));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => collectSecretValues(v, extraKeys, k));
  return [];
}

/**
 * Replaces one known secret wherever it occurs. A literal that is a plain word (letters only) is
 * replaced only where it stands as a value (quoted, or after `=`/`:`), so a password such as
 * `environment` never eats the word in "environment variable … is empty": values, never words.
 */
function replaceLiteral(text: string, literal: string): string {
  if (literal.length < 4 || !text.includes(literal)) return text;
  if (!/^[A-Za-z]+$/.test(literal)) return text.split(literal).join(maskSecret(literal));
  const asValue = new RegExp(`(["'\`]|[=:]\\s*)${literal}(?![A-Za-z0-9])`, "g");
  return text.replace(asValue, (_m, lead: string) => `${lead}${maskSecret(literal)}`);
}

/** Masks every secret-looking substring of `text`: by key name, by known format and by value shape. */
export function redactText(text: string, options: RedactOptions = {}): string {
  let out = text;
  for (const literal of options.literals ?? []) out = replaceLiteral(out, literal);
  for (const [pattern, replace] of TEXT_PATTERNS) {
    out = out.replace(pattern, replace as (substring: string, ...args: unknown[]) => string);
  }
  out = findShapedSecrets(out, maskSecret);
  for (const re of options.patterns ?? []) out = out.replace(re, "***");
  if (options.phones) out = out.replace(PHONE, (m) => `${m.slice(0, 3)}…${m.slice(-2)}`);
  return out;
}

/**
 * Returns a deep copy of `value` with secret-keyed fields masked and every string passed through
 * `redactText`. Cycles are cut; Errors become `{name, message}`.
 */
export function redactValue<T>(value: T, options: RedactOptions = {}): T {
  const ancestors = new Set<object>();
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === "string") {
      if (key !== undefined && isSecretKey(key) && v.length > 0 && !keepAsIs(v)) return maskSecret(v);
      // A digest under a hash-like key (`hash`, `baseHash`, `sha256`) is a hash, not a secret.
      if (key !== undefined && isHashKey(key) && looksLikeDigest(v) && !(options.literals ?? []).includes(v)) return v;
      return redactText(v, options);
    }
    if (typeof v === "bigint") return v.toString();
    if (v === null || typeof v !== "object") return v;
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
    if (v instanceof Error) return { name: v.name, message: redactText(v.message, options) };
    if (ancestors.has(v)) return "[circular]";
    ancestors.add(v);
    try {
      if (Array.isArray(v)) return v.map((item) => walk(item, key));
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, k);
      return out;
    } finally {
      ancestors.delete(v);
    }
  };
  return walk(value, undefined) as T;
}
