/**
 * L3: memory — the builtin engine. Markdown memory files chunked into a per-agent SQLite index
 * (FTS5 BM25, optional vectors from an OpenAI-compatible embeddings endpoint through sqlite-vec),
 * resumable indexing with progress, hybrid search, status and the excerpt reader `memory_get` uses.
 * Everything that touches SQLite or an SDK loads on first use.
 */
export { type Chunk, chunkMarkdown, estimateTokens } from "./chunk.js";
export { MEMORY_DB_BUSY_TIMEOUT_MS, openSqlite, type SqliteDb, type Statement } from "./db.js";
export { createEmbedder, type Embedder, embedderKey, endpointOf } from "./embeddings.js";
export { MemoryIndex, storeError } from "./memory-index.js";
export { MEMORY_GET_DEFAULT_LINES, type MemoryExcerpt, readMemoryExcerpt, resolveMemoryFile } from "./read.js";
export { type MemoryHit, type MemorySearchResponse, type SearchOptions, searchMemory } from "./search.js";
export {
  DEFAULT_CHUNK_OVERLAP,
  DEFAULT_CHUNK_TOKENS,
  DEFAULT_EMBED_TIMEOUT_MS,
  DEFAULT_MAX_RESULTS,
  DEFAULT_MIN_SCORE,
  type EmbeddingSettings,
  type MemorySettings,
  memoryDbPath,
  memorySearchBlock,
  resolveMemorySettings,
} from "./settings.js";
export { type SourceFile, type SourceScan, scanSources } from "./sources.js";
export { type MemoryStatus, memoryStatus, probeEmbeddings } from "./status.js";
export { MEMORY_SCHEMA_VERSION } from "./store.js";
export { type SyncOptions, type SyncProgress, type SyncResult, syncMemory } from "./sync.js";
