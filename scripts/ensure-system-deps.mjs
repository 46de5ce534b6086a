#!/usr/bin/env node
// The test suite checks generated systemd units with `systemd-analyze verify`, and drives the Control
// UI in Debian's headless `chromium` (test/browser/, through playwright-core), and shell completion in
// `tmux`, `zsh` and `fish`. On a fresh Debian or
// Ubuntu machine without them, install Debian's `systemd` package (not started; only the analyzer is
// used) and `chromium`. Anything else is an error that names the fix: the tests must not skip it. (SQLite needs no
// system package: backups use its online backup API through better-sqlite3.)
import { spawnSync } from "node:child_process";

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
const wanted = [
  ["systemd-analyze", "systemd"],
  ["chromium", "chromium"],
  // Shell completion is checked in real shells: bash and zsh typed at in tmux, fish's own engine.
  ["tmux", "tmux"],
  ["zsh", "zsh"],
  ["fish", "fish"],
].filter(([cmd]) => !has(cmd));
if (process.platform !== "linux" || wanted.length === 0) process.exit(0);
const pkgs = wanted.map(([, pkg]) => pkg);
if (!has("apt-get")) {
  console.error(`${wanted.map(([cmd]) => cmd).join(" and ")} missing and apt-get is not available: install your distribution's ${pkgs.join(" and ")} package(s), then rerun npm test`);
  process.exit(1);
}
const root = typeof process.getuid === "function" && process.getuid() === 0;
const sudo = root ? [] : has("sudo") ? ["sudo", "-n"] : null;
if (!sudo) {
  console.error(`${wanted.map(([cmd]) => cmd).join(" and ")} missing: run \`sudo apt-get install -y ${pkgs.join(" ")}\`, then rerun npm test`);
  process.exit(1);
}
const run = (args) => {
  const [cmd, ...rest] = [...sudo, ...args];
  console.error(`$ ${[cmd, ...rest].join(" ")}`);
  return spawnSync(cmd, rest, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;
};
const install = ["apt-get", "install", "-y", "--no-install-recommends", ...pkgs];
if (!run(install) && !(run(["apt-get", "update"]) && run(install))) {
  console.error(`could not install ${pkgs.join(" and ")} (the tests need ${wanted.map(([cmd]) => cmd).join(" and ")})`);
  process.exit(1);
}
for (const [cmd, pkg] of wanted) {
  if (!has(cmd)) {
    console.error(`${pkg} was installed but ${cmd} is still missing`);
    process.exit(1);
  }
}
