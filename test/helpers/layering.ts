/**
 * The house's layering rules as a checker over any source tree (so a test can plant violations in
 * a temp copy and see it fail): layers point down, folders are reached through their index.ts, no
 * cycles between folders of a layer or between files anywhere, the CLI reaches the gateway lazily,
 * and the never-rules: protocol imports only shared; the client core imports only protocol and
 * shared and nothing from `node:`; the client never imports infra; browser code never imports `node:`.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const LAYER: Record<string, number> = {
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
  cron: 3,
  service: 3,
  sandbox: 3,
  ops: 3,
  gateway: 4,
  cli: 5,
};

export interface Edge {
  from: string;
  /** A resolved file, or `node:<module>` for a Node built-in. */
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

/** Every relative and `node:` import (static, `export … from`, and dynamic) of every source file. */
export function collectEdges(src: string): Edge[] {
  const out: Edge[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(re)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      const dynamic = m[3] !== undefined;
      if (spec.startsWith("node:")) out.push({ from: file, to: spec, spec, dynamic });
      else if (spec.startsWith(".")) out.push({ from: file, to: path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts")), spec, dynamic });
    }
  }
  return out;
}

/** A checked tree: each rule's violations as readable lines (empty when the rule holds). */
export function checkLayering(src: string): Record<string, string[]> {
  const edges = collectEdges(src);
  const local = edges.filter((e) => !e.to.startsWith("node:"));
  const rel = (f: string) => path.relative(src, f);
  const folderOf = (file: string) => rel(file).split(path.sep)[0]!;
  const show = (e: Edge) => `${rel(e.from)} -> ${e.spec}`;
  const isClientCore = (file: string) => rel(file).startsWith(`client${path.sep}core${path.sep}`);
  const out: Record<string, string[]> = {};

  out.unlayered = readdirSync(src, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !(e.name in LAYER))
    .map((e) => `src/${e.name} has no layer`);
  out.upward = local.filter((e) => (LAYER[folderOf(e.to)] ?? 99) > (LAYER[folderOf(e.from)] ?? -1)).map(show);
  out.notThroughIndex = local.filter((e) => folderOf(e.from) !== folderOf(e.to) && path.relative(path.join(src, folderOf(e.to)), e.to) !== "index.ts").map(show);
  out.eagerGateway = local.filter((e) => folderOf(e.from) === "cli" && folderOf(e.to) === "gateway" && !e.dynamic).map(show);
  out.protocolImports = local.filter((e) => folderOf(e.from) === "protocol" && !["protocol", "shared"].includes(folderOf(e.to))).map(show);
  out.clientToInfra = local.filter((e) => folderOf(e.from) === "client" && folderOf(e.to) === "infra").map(show);
  out.clientCore = edges
    .filter((e) => isClientCore(e.from) && (e.to.startsWith("node:") || !(["protocol", "shared"].includes(folderOf(e.to)) || isClientCore(e.to))))
    .map(show);
  out.browserNode = edges.filter((e) => e.to.startsWith("node:") && (["shared", "protocol"].includes(folderOf(e.from)) || isClientCore(e.from))).map(show);
  out.folderCycles = cycles(local.filter((e) => folderOf(e.from) !== folderOf(e.to)).map((e) => [folderOf(e.from), folderOf(e.to)] as const));
  out.fileCycles = cycles(local.map((e) => [rel(e.from), rel(e.to)] as const));
  return out;
}

/** Every cycle found by a depth-first walk, each as "a -> b -> a". */
function cycles(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const graph = new Map<string, Set<string>>();
  for (const [a, b] of pairs) graph.set(a, (graph.get(a) ?? new Set()).add(b));
  const state = new Map<string, "visiting" | "done">();
  const found: string[] = [];
  const visit = (n: string, trail: string[]): void => {
    const s = state.get(n);
    if (s === "done") return;
    if (s === "visiting") {
      found.push([...trail.slice(trail.indexOf(n)), n].join(" -> "));
      return;
    }
    state.set(n, "visiting");
    for (const m of graph.get(n) ?? []) visit(m, [...trail, n]);
    state.set(n, "done");
  };
  for (const n of graph.keys()) visit(n, []);
  return found;
}

/** The src/ entry points the Control UI may import (browser-safe: nothing from `node:` behind them). */
export const UI_ALLOWED_SRC = ["client/core/index.ts", "protocol/index.ts", "shared/index.ts"];
/** Packages the Control UI bundles. */
export const UI_ALLOWED_PACKAGES = ["lit"];

/**
 * The Control UI's import rule over `uiDir` (ui/): files inside it, the browser-safe faces of src/
 * (client core, protocol, shared) and Lit; never `node:` nor any other src/ folder or package.
 */
export function checkUiImports(uiDir: string, src: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  const allowed = new Set(UI_ALLOWED_SRC.map((f) => path.join(src, f)));
  for (const file of sourceFiles(uiDir)) {
    for (const m of readFileSync(file, "utf8").matchAll(re)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      const show = `${path.relative(uiDir, file)} -> ${spec}`;
      if (spec.startsWith(".")) {
        const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts"));
        const insideUi = !path.relative(uiDir, target).startsWith("..");
        if (!insideUi && !allowed.has(target)) out.push(show);
      } else if (!UI_ALLOWED_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`))) out.push(show);
    }
  }
  return out;
}
