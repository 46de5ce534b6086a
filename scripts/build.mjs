#!/usr/bin/env node
// Bundles the CLI (and the gateway) with esbuild: ESM, code-split so each command's code and
// its dependencies load only when that command runs. Then builds the Control UI (ui/) into static
// files under dist/control-ui/ (scripts/build-ui.mjs).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { buildControlUi } from "./build-ui.mjs";

const root = path.resolve(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
rmSync(path.join(root, "dist"), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/cli/main.ts", supervisor: "src/service/supervisor-main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  chunkNames: "chunks/[name]-[hash]",
  // Native modules, and the channel SDKs the gateway imports lazily: loaded from node_modules as
  // published (bundling them breaks their CommonJS exports and asset lookups) and only when used.
  external: ["better-sqlite3", "sqlite-vec", "grammy", "discord.js", "@whiskeysockets/baileys", "qrcode", "dockerode"],
  define: { __OPENCLAW_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: "warning",
});
const ui = await buildControlUi({ root, version: pkg.version });
console.log(`control-ui: ${ui.files.length} files, ${(ui.bytes / 1024).toFixed(1)} KB, ${(ui.gzipBytes / 1024).toFixed(1)} KB gzipped`);
// Shell completion scripts, generated from the command table by the CLI just built; the bin shim
// prints them for `openclaw completion --shell <sh>` without loading the CLI.
const completions = path.join(root, "dist", "completions");
mkdirSync(completions, { recursive: true });
for (const shell of ["bash", "zsh", "fish"]) {
  const r = spawnSync(process.execPath, [path.join(root, "bin/openclaw.mjs"), "completion", "--shell", shell, "--json"], { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(`completion --shell ${shell} failed: ${r.stderr}`);
  writeFileSync(path.join(completions, `openclaw.${shell}`), JSON.parse(r.stdout).script);
}
