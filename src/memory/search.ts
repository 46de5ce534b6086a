/**
 * Search: BM25 over the FTS5 table and, when the index has vectors from the configured provider,
 * cosine similarity (sqlite-vec KNN, or in process when the extension is unavailable), merged as
 * `vectorWeight·vector + textWeight·text` over the union of both candidate pools (a keyword
 * candidate gets its true cosine too). Keyword search
 * drops terms that occur in most chunks when rarer ones are present, tries all terms first and
 * widens to any term when that finds too little. A failing provider or a vector identity mismatch
 * never fails a search: it answers by keyword and says so (`stale`, `warning`, `action`).
 */
import type { MemoryIndex } from "./memory-index.js";
import { blobVector, CJK_CHARS as CJK, type GenTables, hasTable } from "./store.js";

export interface MemoryHit {
  path: string;
  startLine: number;
  endLine: number;
  score: number;
  textScore?: number;
  vectorScore?: number;
  /** The chunk text, at most ~700 characters. */
  snippet: string;
  source: "memory" | "extra";
  /** `path#L<start>-L<end>`. */
  citation: string;
}

export interface MemorySearchResponse {
  agentId: string;
  query: string;
  mode: "hybrid" | "keyword";
  results: MemoryHit[];
  provider?: string;
  model?: string;
  /** Set when results may be incomplete: vectors paused or the provider failed. */
  stale?: true;
  warning?: string;
  action?: string;
  tookMs: number;
}

export interface SearchOptions {
  maxResults?: number;
  minScore?: number;
  signal?: AbortSignal;
  /** Query-embedding timeout (interactive searches keep it short). */
  embedTimeoutMs?: number;
}

const SNIPPET_CHARS = 700;
/** Matches ranked per keyword query (see `keyword`). */
const RANK_CAP = 1000;

function terms(query: string): string[] {
  const out = new Set<string>();
  for (const m of query.toLowerCase().matchAll(/[\p{L}\p{N}_]+/gu)) out.add(m[0]);
  return [...out].slice(0, 16);
}

const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;

interface Candidate {
  id: number;
  textScore?: number;
  vectorScore?: number;
}

/** Keyword candidates with a score in 0..1 (see `strength` below). */
function keyword(index: MemoryIndex, t: GenTables, query: string, limit: number): Map<number, number> {
  const out = new Map<number, number>();
  const all = terms(query);
  if (!all.length) return out;
  const trigram = index.identity(t.gen)?.tokenizer === "trigram";
  const ftsTerms = trigram ? all.filter((w) => w.length >= 3) : all;
  const likeTerms = trigram ? all.filter((w) => w.length < 3) : all.filter((w) => CJK.test(w));
  let useTerms = ftsTerms.filter((w) => !CJK.test(w) || trigram);
  if (useTerms.length > 1) {
    // Drop terms present in more than a quarter of the chunks while rarer ones remain (stop words).
    // Counting a term's matches up to that quarter is cheap (fts5vocab would read its whole doclist).
    const span = index.stmt(`SELECT (SELECT max(id) FROM ${t.chunks}) - (SELECT min(id) FROM ${t.chunks}) + 1 AS n`).get<{ n: number | null }>()!.n ?? 0;
    const quarter = Math.max(50, Math.floor(span / 4));
    const count = index.stmt(`SELECT count(*) AS n FROM (SELECT rowid FROM ${t.fts} WHERE ${t.fts} MATCH ? LIMIT ${quarter})`);
    const rare = useTerms.filter((w) => count.get<{ n: number }>(quote(w))!.n < quarter);
    if (rare.length && rare.length < useTerms.length) useTerms = rare;
  }
  // A chunk with every term scores at least 0.5 (BM25 decides the order above that); one with some
  // of them scores the matched share of that. Raw BM25 alone vanishes in small corpora (a term in
  // half of three files has an IDF near zero), and a default minScore would hide every match.
  const strength = (r: number) => {
    const s = Math.max(0, -r);
    return 0.5 + 0.5 * (s / (1 + s));
  };
  const run = (match: string, partial: boolean) => {
    // BM25 costs a few µs per matching chunk: a term found in most of 50,000 chunks would take
    // ~100 ms to rank in full. Ranking the newest RANK_CAP matches bounds that; rarer terms
    // (fewer matches than the cap) are ranked exactly.
    const rows = index
      .stmt(`SELECT rowid AS id, bm25(${t.fts}) AS r FROM ${t.fts} WHERE ${t.fts} MATCH ? LIMIT ${RANK_CAP}`)
      .all<{ id: number; r: number }>(match)
      .sort((a, b) => a.r - b.r || b.id - a.id)
      .slice(0, limit);
    const text = partial ? index.stmt(`SELECT text FROM ${t.chunks} WHERE id = ?`) : undefined;
    for (const row of rows) {
      if (out.has(row.id)) continue;
      const lower = text ? (text.get<{ text: string }>(row.id)?.text ?? "").toLowerCase() : "";
      const share = text ? useTerms.filter((w) => lower.includes(w)).length / useTerms.length : 1;
      out.set(row.id, Math.max(0.05, share) * strength(row.r));
    }
  };
  if (useTerms.length) {
    run(useTerms.map(quote).join(" "), false);
    if (out.size < limit && useTerms.length > 1) run(useTerms.map(quote).join(" OR "), true);
  }
  if (likeTerms.length && out.size < limit) {
    // CJK text under unicode61 (one token per run of characters) and short trigram terms: substring
    // match (under unicode61 only over the chunks known to hold CJK text).
    const where = likeTerms.map(() => "c.text LIKE ?").join(" AND ");
    const sql = trigram ? `SELECT c.id FROM ${t.chunks} c WHERE ${where} LIMIT ?` : `SELECT c.id FROM ${t.cjk} k JOIN ${t.chunks} c ON c.id = k.chunk_id WHERE ${where} LIMIT ?`;
    const rows = index.stmt(sql).all<{ id: number }>(...likeTerms.map((w) => `%${w}%`), limit);
    for (const row of rows) if (!out.has(row.id)) out.set(row.id, 0.6);
  }
  return out;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Nearest chunks to `q` (score = cosine similarity, clamped to 0..1). */
function vector(index: MemoryIndex, t: GenTables, q: Float32Array, limit: number): Map<number, number> {
  const out = new Map<number, number>();
  if (index.ensureVecTable(t.gen, q.length) && hasTable(index.db, t.vec)) {
    const rows = index.stmt(`SELECT rowid AS id, distance FROM ${t.vec} WHERE embedding MATCH ? AND k = ?`).all<{ id: number | bigint; distance: number }>(Buffer.from(q.buffer, q.byteOffset, q.byteLength), limit);
    for (const r of rows) out.set(Number(r.id), Math.max(0, Math.min(1, 1 - r.distance)));
    return out;
  }
  const best: Array<[number, number]> = [];
  for (const r of index.stmt(`SELECT chunk_id, embedding FROM ${t.vectors}`).iterate<{ chunk_id: number; embedding: Buffer }>()) {
    const s = cosine(q, blobVector(r.embedding));
    if (best.length < limit || s > best[best.length - 1]![1]) {
      best.push([r.chunk_id, s]);
      best.sort((a, b) => b[1] - a[1]);
      if (best.length > limit) best.pop();
    }
  }
  for (const [id, s] of best) out.set(id, Math.max(0, Math.min(1, s)));
  return out;
}

/** Runs a search on the active generation. An index with no generation answers no results. */
export async function searchMemory(index: MemoryIndex, query: string, o: SearchOptions = {}): Promise<MemorySearchResponse> {
  const started = Date.now();
  const s = index.settings;
  const maxResults = Math.max(1, Math.floor(o.maxResults ?? s.query.maxResults));
  const minScore = o.minScore ?? s.query.minScore;
  const base = { agentId: s.agentId, query };
  const gen = index.activeGen();
  if (gen === undefined) return { ...base, mode: "keyword", results: [], stale: true, warning: "the memory index is empty", action: `openclaw memory index --agent ${s.agentId}`, tookMs: Date.now() - started };
  const t = index.tables(gen);
  const pool = maxResults * s.query.candidateMultiplier;
  const text = index.guard(() => keyword(index, t, query, pool));
  let vec = new Map<number, number>();
  let warning: string | undefined;
  let action: string | undefined;
  const identity = index.identity(gen);
  const mismatch = index.vectorMismatch(gen);
  const embedder = index.embedder;
  if (mismatch) {
    warning = `vector search paused: the index was embedded with a different ${mismatch}; these are keyword matches`;
    action = `openclaw memory index --force --agent ${s.agentId}`;
  } else if (s.providerBroken) {
    warning = s.providerNote;
  } else if (embedder && identity?.vector) {
    try {
      const [q] = await embedder.embed([query], { label: "query embedding", maxAttempts: 1, ...(o.embedTimeoutMs ? { timeoutMs: o.embedTimeoutMs } : {}), ...(o.signal ? { signal: o.signal } : {}) });
      vec = index.guard(() => vector(index, t, q!, pool));
      // Keyword candidates outside the vector pool still get their true similarity.
      const one = index.stmt(`SELECT embedding FROM ${t.vectors} WHERE chunk_id = ?`);
      for (const id of text.keys()) {
        if (vec.has(id)) continue;
        const r = index.guard(() => one.get<{ embedding: Buffer }>(id));
        if (r) vec.set(id, Math.max(0, Math.min(1, cosine(q!, blobVector(r.embedding)))));
      }
    } catch (e) {
      warning = `vector search unavailable (${(e as Error).message}); these are keyword matches`;
    }
  }
  const hybrid = vec.size > 0;
  const merged = new Map<number, Candidate>();
  for (const [id, sc] of text) merged.set(id, { id, textScore: sc });
  for (const [id, sc] of vec) merged.set(id, { ...(merged.get(id) ?? { id }), vectorScore: sc });
  const scored = [...merged.values()]
    .map((c) => ({ ...c, score: hybrid ? s.query.vectorWeight * (c.vectorScore ?? 0) + s.query.textWeight * (c.textScore ?? 0) : (c.textScore ?? 0) }))
    .filter((c) => c.score >= minScore)
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, maxResults);
  const row = index.stmt(`SELECT c.path, c.start_line, c.end_line, c.text, f.source FROM ${t.chunks} c LEFT JOIN ${t.files} f ON f.path = c.path WHERE c.id = ?`);
  const results: MemoryHit[] = [];
  for (const c of scored) {
    const r = index.guard(() => row.get<{ path: string; start_line: number; end_line: number; text: string; source: string | null }>(c.id));
    if (!r) continue;
    const snippet = r.text.length > SNIPPET_CHARS ? `${r.text.slice(0, SNIPPET_CHARS - 1)}…` : r.text;
    results.push({
      path: r.path,
      startLine: r.start_line,
      endLine: r.end_line,
      score: Math.round(c.score * 1000) / 1000,
      ...(c.textScore !== undefined ? { textScore: Math.round(c.textScore * 1000) / 1000 } : {}),
      ...(c.vectorScore !== undefined ? { vectorScore: Math.round(c.vectorScore * 1000) / 1000 } : {}),
      snippet: snippet.trimEnd(),
      source: r.source === "extra" ? "extra" : "memory",
      citation: `${r.path}#L${r.start_line}-L${r.end_line}`,
    });
  }
  return {
    ...base,
    mode: hybrid ? "hybrid" : "keyword",
    results,
    ...(embedder ? { provider: embedder.settings.id, model: embedder.settings.model } : {}),
    ...(warning ? { stale: true as const, warning } : {}),
    ...(action ? { action } : {}),
    tookMs: Date.now() - started,
  };
}
