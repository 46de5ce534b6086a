import assert from "node:assert/strict";
import { test } from "node:test";
import { chunkText } from "./chunk.js";

const fences = (s: string) => (s.match(/^```/gm) ?? []).length;

test("short text is one chunk; empty text none", () => {
  assert.deepEqual(chunkText("hello", 100), ["hello"]);
  assert.deepEqual(chunkText(" \n\n ", 100), []);
  assert.throws(() => chunkText("x", 5), RangeError);
});

test("paragraph boundaries first, then lines, then words; every chunk within the limit", () => {
  const para = (n: number, w: string) => Array.from({ length: n }, () => w).join(" ");
  const text = `${para(10, "alpha")}\n\n${para(10, "bravo")}\n${para(10, "charl")}\n\n${para(40, "delta")}`;
  const chunks = chunkText(text, 140);
  for (const c of chunks) assert.ok(c.length <= 140, `${c.length}: ${c}`);
  assert.equal(chunks[0], para(10, "alpha"), "split at the paragraph break");
  assert.ok(chunks.every((c) => !/\s$/.test(c) && !/^\s/.test(c)));
  assert.ok(chunks.every((c) => !/\b(delt|elta)\b/.test(c.replace(/delta/g, ""))), "words are not cut");
  assert.equal(chunks.join(" ").replace(/\s+/g, " "), text.replace(/\s+/g, " "), "nothing lost");
  const long = "x".repeat(250);
  assert.deepEqual(chunkText(long, 100).map((c) => c.length), [100, 100, 50], "a word longer than the limit is cut hard");
  assert.equal(chunkText(`${"a".repeat(99)}😀b`, 100)[0], "a".repeat(99), "a surrogate pair is never split");
});

test("a code block is kept whole when a boundary outside it fits", () => {
  const code = "```ts\nconst a = 1;\nconst b = 2;\n```";
  const text = `${"intro ".repeat(10).trim()}\n\n${code}\n\nafter`;
  const chunks = chunkText(text, 80);
  for (const c of chunks) assert.ok(c.length <= 80, `${c.length}`);
  assert.ok(chunks.some((c) => c.includes(code)), JSON.stringify(chunks));
  for (const c of chunks) assert.equal(fences(c) % 2, 0, `balanced fences: ${c}`);
});

test("a code block longer than the limit is closed and reopened with its info string", () => {
  const lines = Array.from({ length: 40 }, (_, i) => `  line_${i} = compute(${i})`);
  const text = `Here:\n\n\`\`\`python\n${lines.join("\n")}\n\`\`\`\n\nDone.`;
  const chunks = chunkText(text, 200);
  assert.ok(chunks.length > 3);
  for (const c of chunks) {
    assert.ok(c.length <= 200, `${c.length}`);
    assert.equal(fences(c) % 2, 0, `balanced: ${c}`);
  }
  const codeChunks = chunks.filter((c) => c.includes("line_"));
  for (const c of codeChunks) assert.ok(c.startsWith("```python\n") || c.includes("\n```python\n"), c);
  const rebuilt = chunks.join("\n").match(/line_\d+/g) ?? [];
  assert.deepEqual(rebuilt, lines.map((_, i) => `line_${i}`), "every code line once, in order");
  assert.ok(codeChunks.every((c) => c.includes("  line_")), "indentation inside code is kept");
  assert.equal(chunks.at(-1)!.endsWith("Done."), true);
});
