/**
 * The house's layering rules, checked on the source: imports point down (or sideways within a
 * layer without cycles), other folders are reached only through their index.ts, and the CLI reaches
 * the daemon only through a lazy import.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const SRC = path.resolve(import.meta.dirname, "../src");
const LAYER: Record<string, number> = {
  shared: 0,
  protocol: 1,
  infra: 2,
  config: 2,
  logging: 2,
  storage: 2,
  client: 2,
  agent: 3,
  channels: 3,
  memory: 3,
  service: 3,
  ops: 3,
  gateway: 4,
  cli: 5,
};

interface Edge {
  from: string;
  to: string;
  spec: string;
  dynamic: boolean;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) sourceFiles(full, out);
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) out.push(full);
  }
  return out;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(re)) {
      const spec = (m[1] ?? m[2])!;
      if (!spec.startsWith(".")) continue;
      out.push({ from: file, to: path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts")), spec, dynamic: m[2] !== undefined });
    }
  }
  return out;
}

const folderOf = (file: string) => path.relative(SRC, file).split(path.sep)[0]!;

test("every top-level folder under src/ has a layer", () => {
  for (const e of readdirSync(SRC, { withFileTypes: true })) {
    if (e.isDirectory()) assert.ok(e.name in LAYER, `src/${e.name} has no layer in the house layout`);
  }
});

test("imports point down the layers", () => {
  const bad = edges().filter((e) => LAYER[folderOf(e.to)]! > LAYER[folderOf(e.from)]!);
  assert.deepEqual(bad.map((e) => `${path.relative(SRC, e.from)} -> ${e.spec}`), []);
});

test("other folders are imported only through their index.ts", () => {
  const bad = edges().filter((e) => folderOf(e.from) !== folderOf(e.to) && path.relative(path.join(SRC, folderOf(e.to)), e.to) !== "index.ts");
  assert.deepEqual(bad.map((e) => `${path.relative(SRC, e.from)} -> ${e.spec}`), []);
});

test("folders in the same layer import each other without cycles", () => {
  const graph = new Map<string, Set<string>>();
  for (const e of edges()) {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a !== b) graph.set(a, (graph.get(a) ?? new Set()).add(b));
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const cycle: string[] = [];
  const visit = (n: string, trail: string[]): void => {
    if (done.has(n)) return;
    if (visiting.has(n)) {
      cycle.push([...trail, n].join(" -> "));
      return;
    }
    visiting.add(n);
    for (const m of graph.get(n) ?? []) visit(m, [...trail, n]);
    visiting.delete(n);
    done.add(n);
  };
  for (const n of graph.keys()) visit(n, []);
  assert.deepEqual(cycle, []);
});

test("the CLI reaches the gateway only through a lazy import", () => {
  const bad = edges().filter((e) => folderOf(e.from) === "cli" && folderOf(e.to) === "gateway" && !e.dynamic);
  assert.deepEqual(bad.map((e) => path.relative(SRC, e.from)), []);
});

test("the checker sees real edges (it can fail)", () => {
  const all = edges();
  assert.ok(all.some((e) => folderOf(e.from) === "cli" && folderOf(e.to) === "config"));
  assert.ok(all.some((e) => e.dynamic));
});
