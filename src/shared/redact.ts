/**
 * Redaction of secrets in text and structured values. Every log sink, every error that leaves the
 * process and every `--json` payload passes through here. Masking follows OpenClaw: a token shorter
 * than 18 characters becomes `***`; a longer one keeps its first 6 and last 4 characters.
 */

const MIN_KEEP_LENGTH = 18;

/** Masks one secret value. */
export function maskSecret(value: string): string {
  if (value.length < MIN_KEEP_LENGTH) return "***";
  return `${value.slice(0, 6)}…${value.slice(-4)}`;
}

/** Key names whose values are secrets wherever they appear in a structured value. */
const SECRET_KEY =
  /^(?:.*(?:api[-_]?key|apikey|secret|password|passwd|passphrase|private[-_]?key|credential|cookie|authorization)|(?:.*[-_])?token|access[-_]?token|refresh[-_]?token|bot[-_]?token|app[-_]?token|.*Token|.*Key|.*Secret|.*Password)$/i;
const NOT_SECRET_KEY = /^(?:tokens?|maxTokens|.*Tokens|.*TokensFloor|tokenCount|keyPrefix|.*KeyPath|publicKey.*|.*Keys|monkey|key)$/i;

/** True when a key name denotes a secret (`token`, `apiKey`, `botToken`, `password`, …). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key);
}

type Replacer = (match: string, ...groups: string[]) => string;

const maskLastGroup: Replacer = (match, ...rest) => {
  const groups = rest.slice(0, -2).filter((g): g is string => typeof g === "string" && g.length > 0);
  const token = groups[groups.length - 1] ?? match;
  return match.replace(token, maskSecret(token));
};

const TEXT_PATTERNS: Array<[RegExp, Replacer]> = [
  // PEM private key blocks: keep the first and last lines.
  [
    /-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g,
    (_m, kind: string) => `-----BEGIN ${kind}-----…redacted…-----END ${kind}-----`,
  ],
  // Authorization headers and bare bearer tokens.
  [/\b(?:Authorization\s*[:=]\s*)?(?:Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{8,})/gi, maskLastGroup],
  // JSON fields.
  [
    /"(?:apiKey|api_key|token|secret|password|passwd|accessToken|refreshToken|access_token|refresh_token|botToken|appToken)"\s*:\s*"((?:[^"\\]|\\.)+)"/gi,
    maskLastGroup,
  ],
  // CLI flags.
  [/--(?:api[-_]?key|token|secret|password|passwd)(?:=|\s+)(["']?)([^\s"']+)\1/gi, maskLastGroup],
  // env-style assignments: FOO_TOKEN=value, password: value.
  [
    /\b([A-Za-z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD))\b(\s*[=:]\s*)(["']?)([^\s"',;}]+)\3/gi,
    (match, _name: string, _sep: string, _q: string, value: string) =>
      value.startsWith("${") || value === "***" || value.includes("…") ? match : match.replace(value, maskSecret(value)),
  ],
  // Well-known token prefixes.
  [
    /\b(sk-[A-Za-z0-9_-]{8,}|ghp_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,}|xox[baprs]-[A-Za-z0-9-]{8,}|xapp-[A-Za-z0-9-]{8,}|gsk_[A-Za-z0-9]{8,}|AIza[0-9A-Za-z_-]{16,}|pplx-[A-Za-z0-9]{8,}|npm_[A-Za-z0-9]{16,})/g,
    (m) => maskSecret(m),
  ],
  // Telegram bot tokens: <digits>:<secret>.
  [/\b(\d{6,}:[A-Za-z0-9_-]{20,})\b/g, (m) => maskSecret(m)],
];

const PHONE = /(?<![\w/.-])\+\d{7,15}\b/g;

export interface RedactOptions {
  /** Also mask E.164 phone numbers (for pasteable reports). */
  phones?: boolean;
  /** Extra literal secrets to remove wherever they appear (e.g. the resolved gateway token). */
  literals?: readonly string[];
}

/** Masks every secret-looking substring of `text`. */
export function redactText(text: string, options: RedactOptions = {}): string {
  let out = text;
  for (const literal of options.literals ?? []) {
    if (literal.length >= 4) out = out.split(literal).join(maskSecret(literal));
  }
  for (const [pattern, replace] of TEXT_PATTERNS) {
    out = out.replace(pattern, replace as (substring: string, ...args: unknown[]) => string);
  }
  if (options.phones) out = out.replace(PHONE, (m) => `${m.slice(0, 3)}…${m.slice(-2)}`);
  return out;
}

/**
 * Returns a deep copy of `value` with secret-keyed fields masked and every string passed through
 * `redactText`. Cycles are cut; Errors become `{name, message}`.
 */
export function redactValue<T>(value: T, options: RedactOptions = {}): T {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === "string") {
      if (key !== undefined && isSecretKey(key) && v.length > 0 && !/^\$\{[A-Z_][A-Z0-9_]*\}$/.test(v)) return maskSecret(v);
      return redactText(v, options);
    }
    if (v === null || typeof v !== "object") return v;
    if (v instanceof Error) return { name: v.name, message: redactText(v.message, options) };
    if (seen.has(v)) return "[circular]";
    seen.add(v);
    if (Array.isArray(v)) return v.map((item) => walk(item, key));
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) out[k] = walk(item, k);
    return out;
  };
  return walk(value, undefined) as T;
}
