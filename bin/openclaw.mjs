#!/usr/bin/env node
// Tiny shim: check the Node version, then load the built CLI. `openclaw completion --shell <sh>`
// (alone) prints the script the build generated from the command table, without loading the CLI:
// shells source it at every start, so it must cost no more than Node itself.
import { readFileSync } from "node:fs";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`error: openclaw needs Node.js >= 20.19 (found ${process.versions.node})\nhint: install a newer Node.js and run again.\n`);
  process.exit(1);
}
const argv = process.argv.slice(2);
const prebuilt = argv[0] === "completion" ? prebuiltCompletion(argv.slice(1)) : undefined;
if (prebuilt !== undefined) process.stdout.write(prebuilt);
else {
  const { main } = await import("../dist/cli.js");
  await main(argv);
}

/** The built script for `--shell <sh>` / `-s <sh>` / `--shell=<sh>` and nothing else; undefined sends it to the CLI. */
function prebuiltCompletion(rest) {
  let shell;
  if (rest.length === 2 && (rest[0] === "--shell" || rest[0] === "-s")) shell = rest[1];
  else if (rest.length === 1 && rest[0].startsWith("--shell=")) shell = rest[0].slice("--shell=".length);
  if (!["bash", "zsh", "fish"].includes(shell)) return undefined;
  try {
    return readFileSync(new URL(`../dist/completions/openclaw.${shell}`, import.meta.url), "utf8");
  } catch {
    return undefined;
  }
}
