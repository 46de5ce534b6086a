/** The memory bench corpus: deterministic, sized, one planted note, honest mutations, realistic queries. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { generateCorpus, listNotes, mutateCorpus, plantedFor, searchQueries, vocabulary } from "../bench/lib/memory-corpus.mjs";
import { grepBaseline } from "../bench/lib/memory-grep.mjs";
import { tempDirFactory } from "./helpers/temp.js";

const tempDir = tempDirFactory("bench-corpus");

/** Relative path → sha256 of every note. */
function snapshot(workspace: string): Map<string, string> {
  return new Map(listNotes(workspace).map((rel) => [rel, createHash("sha256").update(fs.readFileSync(path.join(workspace, rel))).digest("hex")]));
}

const readAll = (workspace: string) => listNotes(workspace).map((rel) => [rel, fs.readFileSync(path.join(workspace, rel), "utf8")] as const);

test("generateCorpus: the same seed gives the same bytes, another seed does not", () => {
  const [a, b, c] = [tempDir("a"), tempDir("b"), tempDir("c")];
  const ra = generateCorpus({ workspace: a, notes: 200, totalBytes: 2 ** 20, seed: 3 });
  const rb = generateCorpus({ workspace: b, notes: 200, totalBytes: 2 ** 20, seed: 3 });
  generateCorpus({ workspace: c, notes: 200, totalBytes: 2 ** 20, seed: 4 });
  assert.deepEqual(rb, ra);
  assert.deepEqual(snapshot(b), snapshot(a));
  assert.notDeepEqual(snapshot(c), snapshot(a));
  assert.equal(listNotes(a).length, 200);
  assert.equal(ra.files, 200);
  assert.throws(() => generateCorpus({ workspace: tempDir("bad"), notes: 2 }), /notes must be an integer of at least 5, got 2/);
  assert.throws(() => generateCorpus({ workspace: tempDir("bad"), notes: 100, totalBytes: 50 }), /totalBytes must be at least 100 per note/);
});

test("generateCorpus: size within 10 %, long-tailed note sizes, daily files, nested folders and every markdown feature", () => {
  const ws = tempDir("mix");
  const totalBytes = 6 * 2 ** 20;
  const result = generateCorpus({ workspace: ws, notes: 1000, totalBytes, seed: 1, cjkShare: 0.05 });
  const notes = readAll(ws);
  const sizes = notes.map(([rel]) => fs.statSync(path.join(ws, rel)).size);
  const onDisk = sizes.reduce((x, y) => x + y, 0);
  assert.equal(onDisk, result.bytes, "reported bytes are the bytes on disk");
  assert.ok(Math.abs(onDisk - totalBytes) / totalBytes <= 0.1, `total ${onDisk} not within 10 % of ${totalBytes}`);
  assert.equal(notes.length, 1000);
  sizes.sort((x, y) => x - y);
  const median = sizes[500]!;
  assert.ok(sizes[0]! >= 300 && sizes[0]! < 1000, `smallest note ${sizes[0]}`);
  assert.ok(sizes.at(-1)! > 30_000 && sizes.at(-1)! <= 64_000, `largest note ${sizes.at(-1)}`);
  assert.ok(median < onDisk / notes.length, "a long tail: the median is below the mean");
  const rels = notes.map(([rel]) => rel);
  assert.ok(rels.includes("MEMORY.md"));
  const daily = rels.filter((r) => /^memory\/\d{4}-\d\d-\d\d\.md$/.test(r)).length;
  assert.ok(daily > 250 && daily < 550, `daily files: ${daily}`);
  assert.ok(
    rels.some((r) => r.split("/").length >= 5),
    "topic notes nest several folders deep",
  );
  const all = notes.map(([, text]) => text).join("\n");
  for (const [what, pattern] of [
    ["sub-heading", /^## \S/m],
    ["bullet", /^- \S/m],
    ["task", /^- \[[x ]\] /m],
    ["numbered list", /^1\. \S/m],
    ["fenced code", /^```(ts|bash|json|python|sql)?\n[\s\S]*?\n```$/m],
    ["table", /^\|( --- \|)+$/m],
    ["CJK paragraph", /[\u4e00-\u9fff\u3040-\u30ff]{6,}/u],
    ["front matter", /^---\ntags: \[/m],
  ] as const)
    assert.match(all, pattern, what);
  const longLines = notes.filter(([, text]) => text.split("\n").some((line) => line.length > 2000)).length;
  assert.ok(longLines >= 1 && longLines < 50, `notes with a line over 2000 chars: ${longLines}`);
});

test("generateCorpus: exactly one note holds the planted phrase; the near misses hold one query word each", () => {
  const ws = tempDir("plant");
  const { planted, nearMisses } = generateCorpus({ workspace: ws, notes: 400, totalBytes: 2 * 2 ** 20, seed: 7 });
  assert.deepEqual(
    { phrase: planted.phrase, query: planted.query },
    { phrase: plantedFor(7).phrase, query: plantedFor(7).query },
  );
  const queryWords = planted.query.split(" ");
  const phraseWords = planted.phrase.split(" ");
  assert.ok(queryWords.length >= 2 && queryWords.length < phraseWords.length);
  assert.ok(queryWords.every((w) => phraseWords.includes(w)));
  assert.ok(!planted.phrase.includes(planted.query), "the query is not a substring of the phrase");
  const notes = readAll(ws);
  assert.deepEqual(
    notes.filter(([, text]) => text.includes(planted.phrase)).map(([rel]) => rel),
    [planted.path],
  );
  assert.equal(nearMisses.length, 3);
  for (const rel of nearMisses) {
    const text = notes.find(([r]) => r === rel)![1];
    assert.equal(queryWords.filter((w) => text.includes(w)).length, 1, `${rel} mentions exactly one query word`);
  }
  // The phrase's words appear nowhere else: the planted note is the only full match.
  const holders = notes.filter(([, text]) => phraseWords.some((w) => text.includes(w))).map(([rel]) => rel);
  assert.deepEqual(holders.sort(), [planted.path, ...nearMisses].sort());

  // The naive grep baseline finds the planted note first and the near misses after it.
  const grep = grepBaseline(ws, planted.query.toUpperCase());
  assert.deepEqual(grep.hits[0], { path: planted.path, matched: 3, occurrences: 3 });
  assert.deepEqual(
    grep.hits.slice(1).map((h) => [h.path, h.matched, h.occurrences]).sort(),
    nearMisses.map((rel) => [rel, 1, 2]).sort(),
  );
  assert.equal(grep.files, 400);
  assert.equal(grep.bytes, notes.reduce((n, [, text]) => n + Buffer.byteLength(text), 0));
  assert.deepEqual(grepBaseline(ws, "zzzqqq-nothing").hits, []);
});

test("searchQueries: deterministic 1–4 word queries from the vocabulary with the planted query exactly once", () => {
  const queries = searchQueries(100, 7);
  assert.equal(queries.length, 100);
  assert.deepEqual(searchQueries(100, 7), queries);
  assert.notDeepEqual(searchQueries(100, 8), queries);
  assert.equal(queries.filter((q) => q === plantedFor(7).query).length, 1);
  const { words, rare, cjk } = vocabulary();
  const known = new Set([...words, ...rare]);
  const latin = queries.filter((q) => q !== plantedFor(7).query && !cjk.includes(q));
  assert.ok(latin.length >= 90);
  for (const q of latin) {
    const parts = q.split(" ");
    assert.ok(parts.length >= 1 && parts.length <= 4, q);
    assert.ok(
      parts.every((p) => known.has(p)),
      q,
    );
  }
  const lengths = new Set(latin.map((q) => q.split(" ").length));
  assert.deepEqual([...lengths].sort(), [1, 2, 3, 4]);
  // Both common (top 100) and rare terms show up.
  const ranks = latin.flatMap((q) => q.split(" ")).map((w) => words.indexOf(w));
  assert.ok(ranks.some((r) => r >= 0 && r < 100));
  assert.ok(ranks.some((r) => r === -1 || r > 1000));
  assert.ok(words.length + rare.length >= 3000, "a few thousand words");
});

test("mutateCorpus changes exactly the notes it reports and never the planted note", () => {
  const ws = tempDir("mutate");
  const { planted, nearMisses } = generateCorpus({ workspace: ws, notes: 150, totalBytes: 2 ** 20, seed: 2 });
  const before = snapshot(ws);
  const first = mutateCorpus(ws, { modify: 6, add: 3, remove: 4, seed: 9 });
  const after = snapshot(ws);
  assert.deepEqual([first.modified.length, first.added.length, first.removed.length], [6, 3, 4]);
  const changed = [...before].filter(([rel, hash]) => after.has(rel) && after.get(rel) !== hash).map(([rel]) => rel);
  const gone = [...before.keys()].filter((rel) => !after.has(rel));
  const fresh = [...after.keys()].filter((rel) => !before.has(rel));
  assert.deepEqual(changed.sort(), first.modified);
  assert.deepEqual(gone.sort(), first.removed);
  assert.deepEqual(fresh.sort(), [...first.added].sort());
  for (const rel of ["MEMORY.md", planted.path, ...nearMisses]) assert.equal(after.get(rel), before.get(rel), `${rel} is protected`);
  // The same seed again adds new names instead of overwriting its earlier additions.
  const second = mutateCorpus(ws, { add: 2, seed: 9 });
  assert.equal(second.added.filter((rel) => first.added.includes(rel)).length, 0);
  assert.equal(listNotes(ws).length, 150 - 4 + 3 + 2);
  assert.throws(() => mutateCorpus(ws, { modify: 1000 }), /1000 changes asked, only \d+ notes can change/);
});
