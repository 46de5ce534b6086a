#!/usr/bin/env node
// Tiny shim: check the Node version, then load the built CLI.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`error: openclaw needs Node.js >= 20.19 (found ${process.versions.node})\nhint: install a newer Node.js and run again.\n`);
  process.exit(1);
}
const { main } = await import("../dist/cli.js");
await main(process.argv.slice(2));
