/**
 * The model SDKs load only when a request is made: no command chunk of the built CLI (`status`,
 * `health`, `config get`, `models status`, …) statically reaches @anthropic-ai/sdk or openai; they
 * sit in chunks reached through dynamic `import()` alone.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT } from "../helpers/cli.js";

const DIST = path.join(ROOT, "dist");
/** Strings only the SDKs' HTTP cores carry. */
const SDK_MARKER = /x-stainless-|anthropic-version/i;

function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|^import\s+"(\.[^"]+)"/gm)) staticGraph(path.resolve(path.dirname(file), (m[1] ?? m[2])!), seen);
  return seen;
}

test("no CLI command statically loads a model SDK; the SDKs are their own lazy chunks", () => {
  const entry = path.join(DIST, "cli.js");
  const text = readFileSync(entry, "utf8");
  const commandChunks = [...text.matchAll(/import\("\.\/(chunks\/[^"]+\.js)"\)/g)].map((m) => path.join(DIST, m[1]!));
  assert.ok(commandChunks.length > 20, "the command table imports its commands lazily");
  for (const file of [entry, ...commandChunks]) {
    const hits = [...staticGraph(file)].filter((f) => SDK_MARKER.test(readFileSync(f, "utf8")));
    assert.deepEqual(hits.map((f) => path.basename(f)), [], `${path.relative(DIST, file)} statically loads a model SDK`);
  }
  // The checker can fail: the SDK code is in the build, in chunks nobody imports statically.
  const sdkChunks = readdirSync(path.join(DIST, "chunks")).filter((f) => f.endsWith(".js") && SDK_MARKER.test(readFileSync(path.join(DIST, "chunks", f), "utf8")));
  assert.ok(sdkChunks.length >= 1, "the SDKs are bundled somewhere");
});
