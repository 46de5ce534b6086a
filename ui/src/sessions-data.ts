/**
 * The Sessions page's data helpers: rows from a `sessions.list` answer, the search over them,
 * "updated 5m ago" text, and the `#/chat?session=<key>` link that opens a session in WebChat (the
 * chat page reads it back with `sessionFromHash`). Pure (unit-tested without a browser).
 */

type Obj = Record<string, unknown>;

/** One session as the Sessions page lists it. */
export interface SessionRow {
  key: string;
  agentId: string;
  /** The session's label (or display name / subject), when it has one. */
  label: string | undefined;
  /** The channel it belongs to (or last talked on). */
  channel: string | undefined;
  updatedAt: number | undefined;
  /** Total tokens so far (input + output when no total is stored). */
  tokens: number | undefined;
  model: string | undefined;
}

const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The agent a session key names (`agent:<id>:…`), if it names one. */
export function agentOfKey(key: string): string | undefined {
  const m = /^agent:([^:]+):/.exec(key);
  return m ? m[1] : undefined;
}

/** The rows of a `sessions.list` answer, most recently updated first (malformed entries are skipped). */
export function sessionRows(result: unknown): SessionRow[] {
  const sessions = obj(result).sessions;
  if (!Array.isArray(sessions)) return [];
  const rows: SessionRow[] = [];
  for (const raw of sessions) {
    const s = obj(raw);
    const key = str(s.key);
    if (!key) continue;
    const input = num(s.inputTokens);
    const output = num(s.outputTokens);
    const model = str(s.model);
    const provider = str(s.modelProvider);
    rows.push({
      key,
      agentId: str(s.agentId) ?? agentOfKey(key) ?? "?",
      label: str(s.label) ?? str(s.displayName) ?? str(s.subject),
      channel: str(s.channel) ?? str(s.lastChannel),
      updatedAt: num(s.updatedAt),
      tokens: num(s.totalTokens) ?? (input !== undefined || output !== undefined ? (input ?? 0) + (output ?? 0) : undefined),
      model: model && provider && !model.includes("/") ? `${provider}/${model}` : model,
    });
  }
  return rows.sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0));
}

/**
 * The rows a search matches: every whitespace-separated term must appear (case-insensitively) in the
 * key, label, channel or agent. An empty search matches all.
 */
export function filterSessions(rows: readonly SessionRow[], query: string): SessionRow[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...rows];
  return rows.filter((r) => {
    const hay = [r.key, r.label ?? "", r.channel ?? "", r.agentId].join("\n").toLowerCase();
    return terms.every((t) => hay.includes(t));
  });
}

/** How long ago `at` was, as "just now", "42s ago", "5m ago", "3h ago" or "2d ago"; "never" without a time. */
export function formatAgo(at: number | undefined, now: number): string {
  if (at === undefined) return "never";
  const s = Math.floor((now - at) / 1000);
  if (s < 5) return "just now";
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

/** A token count as "950", "12.3k" or "1.2M". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** The hash that opens `key` in WebChat. */
export function chatHashFor(key: string): string {
  return `#/chat?session=${encodeURIComponent(key)}`;
}

/** The session a `#/chat?session=<key>` hash names, if any. */
export function sessionFromHash(hash: string): string | undefined {
  const q = hash.indexOf("?");
  if (q < 0) return undefined;
  return str(new URLSearchParams(hash.slice(q + 1)).get("session"));
}
