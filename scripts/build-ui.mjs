// Builds the Control UI (ui/, Lit) into dist/control-ui/: index.html plus fingerprinted, minified
// assets/app-<hash>.js and app-<hash>.css. Nothing is fetched at run time: Lit and the client core
// are bundled. Returns the file list and the raw and gzipped sizes.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** Every file under `dir`, relative to it. */
function listFiles(dir, base = dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, base, out);
    else out.push(path.relative(base, full));
  }
  return out;
}

/** The gzipped size of every file under `dir` (what the 200 KB budget counts). */
export function measureControlUi(dir) {
  const files = listFiles(dir);
  let bytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    const data = readFileSync(path.join(dir, f));
    bytes += statSync(path.join(dir, f)).size;
    gzipBytes += gzipSync(data, { level: 9 }).length;
  }
  return { files, bytes, gzipBytes };
}

/** Builds ui/ into `outDir` (default `<root>/dist/control-ui`). */
export async function buildControlUi({ root, version, outDir }) {
  const out = outDir ?? path.join(root, "dist", "control-ui");
  const assets = path.join(out, "assets");
  mkdirSync(assets, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: "ui/src/main.ts" },
    outdir: assets,
    entryNames: "[name]-[hash]",
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022", "chrome111", "firefox111", "safari16.4"],
    tsconfig: "ui/tsconfig.json",
    minify: true,
    legalComments: "none",
    metafile: true,
    define: { __OPENCLAW_VERSION__: JSON.stringify(version) },
    logLevel: "warning",
  });
  const outputs = Object.keys(result.metafile.outputs).map((f) => path.relative(out, path.resolve(root, f)).split(path.sep).join("/"));
  const js = outputs.find((f) => f.endsWith(".js"));
  const cssFiles = outputs.filter((f) => f.endsWith(".css"));
  if (!js) throw new Error("control-ui build produced no JavaScript");
  const tags = [...cssFiles.map((f) => `<link rel="stylesheet" href="./${f}" />`), `<script type="module" src="./${js}"></script>`].join("\n    ");
  const template = readFileSync(path.join(root, "ui", "index.html"), "utf8");
  if (!template.includes("<!-- assets -->")) throw new Error("ui/index.html lost its <!-- assets --> marker");
  writeFileSync(path.join(out, "index.html"), template.replace("<!-- assets -->", tags));
  return measureControlUi(out);
}
