/** Types for memory-grep.mjs. */

export interface GrepHit {
  /** Relative posix path of the note. */
  path: string;
  /** How many distinct query words the note contains. */
  matched: number;
  /** Total occurrences of the query words. */
  occurrences: number;
}

/** The naive scan-every-file baseline for memory search benches. */
export function grepBaseline(workspace: string, query: string, options?: { maxResults?: number }): { hits: GrepHit[]; matchedFiles: number; files: number; bytes: number };
