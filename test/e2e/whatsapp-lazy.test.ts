/**
 * Baileys loads only when a WhatsApp socket opens: neither the CLI entry nor any command chunk
 * (`status`, `health`, `config get`, `--help`, …) statically reaches it; the bundled copy sits in a
 * chunk reached through `import()` alone — and, bundled, it still evaluates in this Node.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { ROOT } from "../helpers/cli.js";

const DIST = path.join(ROOT, "dist");
/** A constant only Baileys' own code carries (its certificate details). */
const BAILEYS_MARKER = /WA_CERT_DETAILS/;

function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|^import\s+"(\.[^"]+)"/gm)) staticGraph(path.resolve(path.dirname(file), (m[1] ?? m[2])!), seen);
  return seen;
}

test("no CLI command statically loads Baileys; the bundled Baileys is a lazy chunk that evaluates", async () => {
  const entry = path.join(DIST, "cli.js");
  const commandChunks = [...readFileSync(entry, "utf8").matchAll(/import\("\.\/(chunks\/[^"]+\.js)"\)/g)].map((m) => path.join(DIST, m[1]!));
  assert.ok(commandChunks.length > 20, "the command table imports its commands lazily");
  for (const file of [entry, ...commandChunks]) {
    const hits = [...staticGraph(file)].filter((f) => BAILEYS_MARKER.test(readFileSync(f, "utf8")));
    assert.deepEqual(hits.map((f) => path.basename(f)), [], `${path.relative(DIST, file)} statically loads Baileys`);
  }
  // The checker can fail: Baileys is in the build, in a chunk nobody imports statically.
  const chunks = readdirSync(path.join(DIST, "chunks")).filter((f) => f.endsWith(".js") && BAILEYS_MARKER.test(readFileSync(path.join(DIST, "chunks", f), "utf8")));
  assert.equal(chunks.length, 1, "Baileys is bundled in one chunk");
  const mod = (await import(pathToFileURL(path.join(DIST, "chunks", chunks[0]!)).href)) as Record<string, unknown>;
  assert.ok(Object.keys(mod).length > 10, "the bundled Baileys chunk evaluates and exports its API");
});
