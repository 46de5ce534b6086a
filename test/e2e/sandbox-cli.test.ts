/**
 * The sandbox commands as shipped: dockerode stays out of every command chunk's static graph (only
 * `import()` reaches it, so `status`, `health`, `config get` and `--help` never load it), and the
 * built binary's `sandbox list` with no Docker socket exits 4 with the one-line cause and the fix.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT, runBinary, tempHome } from "../helpers/cli.js";

const DIST = path.join(ROOT, "dist");
const STATIC_DOCKERODE = /^(?:import|export)\s[^;]*?from\s+"dockerode"/m;
const DYNAMIC_DOCKERODE = /import\("dockerode"\)/;

function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|^import\s+"(\.[^"]+)"/gm)) staticGraph(path.resolve(path.dirname(file), (m[1] ?? m[2])!), seen);
  return seen;
}

test("no CLI command statically loads dockerode; the Docker client imports it lazily", () => {
  const entry = path.join(DIST, "cli.js");
  const commandChunks = [...readFileSync(entry, "utf8").matchAll(/import\("\.\/(chunks\/[^"]+\.js)"\)/g)].map((m) => path.join(DIST, m[1]!));
  assert.ok(commandChunks.length > 20);
  for (const file of [entry, ...commandChunks]) {
    const hits = [...staticGraph(file)].filter((f) => STATIC_DOCKERODE.test(readFileSync(f, "utf8")));
    assert.deepEqual(hits.map((f) => path.basename(f)), [], `${path.relative(DIST, file)} statically loads dockerode`);
  }
  const lazy = readdirSync(path.join(DIST, "chunks")).filter((f) => f.endsWith(".js") && DYNAMIC_DOCKERODE.test(readFileSync(path.join(DIST, "chunks", f), "utf8")));
  assert.ok(lazy.length >= 1, "the sandbox's Docker client imports dockerode dynamically");
});

test("built binary: sandbox list without a Docker socket exits 4 with 'Docker is not reachable at <socket>' and the fix", async (t) => {
  const { home, env } = tempHome(t);
  const sock = path.join(home, "no-docker", "docker.sock");
  const r = await runBinary(["sandbox", "list"], { env: { ...env, DOCKER_HOST: `unix://${sock}` } });
  assert.equal(r.code, 4, r.stderr);
  assert.ok(r.stderr.includes(`Docker is not reachable at ${sock}: no such socket`), r.stderr);
  assert.match(r.stderr, /start Docker|DOCKER_HOST|sandbox\.mode off/);
  const help = await runBinary(["sandbox", "--help"], { env });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /recreate/);
});
