/** Types for memory-corpus.mjs (plain ESM, used by benches and by tests). */

export interface GenerateCorpusOptions {
  /** Directory that receives MEMORY.md and memory/** (created if missing). */
  workspace: string;
  /** Number of notes, MEMORY.md included (default 10,000; at least 5). */
  notes?: number;
  /** Approximate total size in bytes (default 50 MiB). */
  totalBytes?: number;
  /** Same seed, same bytes (default 1). */
  seed?: number;
  /** Share of paragraphs written in CJK (default 0.02). */
  cjkShare?: number;
}

export interface PlantedNote {
  /** Relative posix path of the one note holding the phrase. */
  path: string;
  /** The unique phrase (four words found nowhere else together). */
  phrase: string;
  /** What a user would type: three of the phrase's words, in another order. */
  query: string;
}

export interface GeneratedCorpus {
  files: number;
  bytes: number;
  planted: PlantedNote;
  /** Notes that mention one query word each (keyword near misses the planted note must outrank). */
  nearMisses: string[];
}

/** Writes the corpus (one note at a time, bounded memory). */
export function generateCorpus(options: GenerateCorpusOptions): GeneratedCorpus;

/** The planted phrase and query for a seed, without writing anything. */
export function plantedFor(seed?: number): { phrase: string; query: string; words: string[]; nearMisses: string[] };

/** `n` realistic 1–4 word queries (common, mid and rare terms, a few CJK), the planted query exactly once. */
export function searchQueries(n?: number, seed?: number): string[];

/** MEMORY.md and memory/**.md under `workspace`, relative posix paths, sorted. */
export function listNotes(workspace: string): string[];

export interface MutateOptions {
  modify?: number;
  add?: number;
  remove?: number;
  seed?: number;
}

/** Changes that many notes (never MEMORY.md, the planted note or its near misses); relative posix paths. */
export function mutateCorpus(workspace: string, options?: MutateOptions): { modified: string[]; added: string[]; removed: string[] };

/** The fixed vocabulary: Zipf-ranked `words`, `rare` words, `cjk` words. */
export function vocabulary(): { words: string[]; rare: string[]; functionWords: string[]; cjk: string[]; table: Uint16Array };
