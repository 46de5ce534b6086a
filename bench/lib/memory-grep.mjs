// The naive baseline the memory search bench compares against: read every note and look for the
// query's words (case-insensitive substrings, like `grep -ril`). Types: memory-grep.d.mts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { listNotes } from "./memory-corpus.mjs";

/**
 * Scans MEMORY.md and memory/**.md under `workspace` for the words of `query`. Notes matching more
 * distinct words rank first, then more occurrences. Returns the top `maxResults` hits and what
 * was scanned.
 */
export function grepBaseline(workspace, query, { maxResults = 10 } = {}) {
  const words = [...new Set(query.toLowerCase().split(/\s+/).filter(Boolean))];
  const hits = [];
  let bytes = 0;
  const notes = listNotes(workspace);
  for (const rel of notes) {
    const text = readFileSync(path.join(workspace, rel), "utf8");
    bytes += Buffer.byteLength(text);
    const lower = text.toLowerCase();
    let matched = 0;
    let occurrences = 0;
    for (const word of words) {
      let n = 0;
      for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + word.length)) n++;
      if (n) matched++;
      occurrences += n;
    }
    if (matched) hits.push({ path: rel, matched, occurrences });
  }
  hits.sort((a, b) => b.matched - a.matched || b.occurrences - a.occurrences || (a.path < b.path ? -1 : 1));
  return { hits: hits.slice(0, maxResults), matchedFiles: hits.length, files: notes.length, bytes };
}
