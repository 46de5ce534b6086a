/**
 * The README and docs/ only point at files a clone has: every relative link (markdown or a
 * backticked `./…`/`../…` path) resolves inside the repository and exists.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT } from "./helpers/cli.js";

function docs(): string[] {
  const dir = path.join(ROOT, "docs");
  const extra = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".md")).map((f) => path.join(dir, f)) : [];
  return [path.join(ROOT, "README.md"), ...extra];
}

function relativeRefs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) if (!/^(?:[a-z]+:|#)/i.test(m[1]!)) out.push(m[1]!.split("#")[0]!);
  for (const m of text.matchAll(/`(\.{1,2}\/[^`\s]+)`/g)) out.push(m[1]!);
  return out.filter(Boolean);
}

test("README and docs/ link only to files inside the repository", () => {
  const bad: string[] = [];
  for (const file of docs()) {
    for (const ref of relativeRefs(readFileSync(file, "utf8"))) {
      const target = path.resolve(path.dirname(file), ref);
      const rel = path.relative(ROOT, target);
      if (rel.startsWith("..") || path.isAbsolute(rel)) bad.push(`${path.relative(ROOT, file)}: ${ref} is outside the repository`);
      else if (!existsSync(target)) bad.push(`${path.relative(ROOT, file)}: ${ref} does not exist`);
    }
  }
  assert.deepEqual(bad, []);
});

test("the README points at the house style kept in the repository", () => {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  assert.match(readme, /\(docs\/style\.md\)/);
  assert.ok(existsSync(path.join(ROOT, "docs", "style.md")));
});
