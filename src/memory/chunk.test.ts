import assert from "node:assert/strict";
import { test } from "node:test";
import { chunkMarkdown } from "./chunk.js";

const opts = { tokens: 50, overlap: 10 }; // 200 chars per chunk, 40 of overlap

function lines(n: number, prefix = "line"): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${i + 1} lorem ipsum dolor sit`).join("\n");
}

test("chunks cover every line in order, overlap by whole lines, and are deterministic", () => {
  const text = lines(60);
  const a = chunkMarkdown(text, opts);
  assert.deepEqual(a, chunkMarkdown(text, opts));
  assert.ok(a.length > 5, `${a.length} chunks`);
  assert.equal(a[0]!.startLine, 1);
  assert.equal(a[a.length - 1]!.endLine, 60);
  for (let i = 1; i < a.length; i++) {
    assert.ok(a[i]!.startLine <= a[i - 1]!.endLine + 1, "no line skipped");
    assert.ok(a[i]!.startLine > a[i - 1]!.startLine, "progress");
    assert.ok(a[i]!.startLine <= a[i - 1]!.endLine, "consecutive chunks overlap");
  }
  for (const c of a) {
    assert.ok(c.text.length <= 200 + 40, `chunk of ${c.text.length} chars`);
    const first = c.text.split("\n")[0]!;
    assert.equal(first, `line ${c.startLine} lorem ipsum dolor sit`, "startLine names the first line");
    assert.match(c.hash, /^[0-9a-f]{64}$/);
  }
});

test("a heading starts a new chunk without overlap; a fenced code block is not split at its blank lines", () => {
  const text = `${lines(4, "intro")}\n# Section two\n${lines(2, "body")}\n\`\`\`\ncode a\n\ncode b\n\`\`\`\ntail`;
  const c = chunkMarkdown(text, { tokens: 100, overlap: 20 });
  const heading = c.find((x) => x.text.startsWith("# Section two"));
  assert.ok(heading, JSON.stringify(c.map((x) => x.text.slice(0, 20))));
  assert.equal(heading.startLine, 5);
  assert.ok(heading.text.includes("code a\n\ncode b"), "the fence stays whole");
});

test("a line longer than a chunk is cut into pieces that keep its line number; empty text has no chunks", () => {
  const long = "x".repeat(450);
  const c = chunkMarkdown(`short\n${long}\nend`, { tokens: 50, overlap: 0 });
  assert.ok(c.some((x) => x.startLine === 2 && x.endLine === 2 && x.text === "x".repeat(200)));
  assert.equal(c.map((x) => x.text).join("").replace(/\n/g, "").length, `short${long}end`.length);
  assert.deepEqual(chunkMarkdown("", opts), []);
  assert.deepEqual(chunkMarkdown("\n\n  \n", opts), []);
});
