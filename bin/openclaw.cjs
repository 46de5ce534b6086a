#!/usr/bin/env node
// The `openclaw` command: check the Node version, then load the built CLI. CommonJS on purpose:
// Node starts a .cjs entry without its ESM loader, so `openclaw completion --shell <sh>` (alone),
// which prints the script the build generated from the command table, costs about what Node itself
// does — shells source it at every start. bin/openclaw.mjs (what services run) loads this file.
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`error: openclaw needs Node.js >= 20.19 (found ${process.versions.node})\nhint: install a newer Node.js and run again.\n`);
  process.exit(1);
}

/** The built script for `--shell <sh>` / `-s <sh>` / `--shell=<sh>` and nothing else; undefined sends it to the CLI. */
function prebuiltCompletion(rest) {
  let shell;
  if (rest.length === 2 && (rest[0] === "--shell" || rest[0] === "-s")) shell = rest[1];
  else if (rest.length === 1 && rest[0].startsWith("--shell=")) shell = rest[0].slice("--shell=".length);
  if (!["bash", "zsh", "fish"].includes(shell)) return undefined;
  try {
    return readFileSync(path.join(__dirname, "..", "dist", "completions", `openclaw.${shell}`), "utf8");
  } catch {
    return undefined;
  }
}

const argv = process.argv.slice(2);
const prebuilt = argv[0] === "completion" ? prebuiltCompletion(argv.slice(1)) : undefined;
if (prebuilt !== undefined) {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  process.stdout.write(prebuilt);
}
else {
  const cli = path.join(__dirname, "..", "dist", "cli.js");
  import(require("node:url").pathToFileURL(cli).href).then(
    ({ main }) => main(argv),
    (error) => {
      process.stderr.write(`error: cannot load the built CLI at ${cli}: ${error && error.message ? error.message : error}\nhint: run \`npm run build\` in the openclaw checkout.\n`);
      process.exitCode = 1;
    },
  );
}
