/**
 * Baileys loads only when a WhatsApp socket opens: neither the CLI entry nor any command chunk
 * (`status`, `health`, `config get`, `--help`, …) statically reaches it. The build keeps it external
 * (loaded from node_modules as published), so the bundle names it only inside `import()` — and the
 * published package evaluates in this Node.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT } from "../helpers/cli.js";

const DIST = path.join(ROOT, "dist");
/** Baileys bundled in (a constant only its own code carries) or imported statically. */
const BAILEYS_MARKER = /WA_CERT_DETAILS|^(?:import|export)\s[^;]*?from\s+"@whiskeysockets\/baileys"/m;
const BAILEYS_DYNAMIC = /import\("@whiskeysockets\/baileys"\)/;

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
  // The checker can fail: the build does reach Baileys, through import() only.
  const chunks = readdirSync(path.join(DIST, "chunks")).filter((f) => f.endsWith(".js") && BAILEYS_DYNAMIC.test(readFileSync(path.join(DIST, "chunks", f), "utf8")));
  assert.ok(chunks.length >= 1, "the WhatsApp code imports Baileys dynamically");
  const mod = (await import("@whiskeysockets/baileys")) as Record<string, unknown>;
  assert.ok(Object.keys(mod).length > 10 && typeof mod.makeWASocket === "function", "the published Baileys evaluates and exports its API");
});
