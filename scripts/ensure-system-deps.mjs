#!/usr/bin/env node
// The test suite checks generated systemd units with `systemd-analyze verify`. On a fresh Debian or
// Ubuntu machine without it, install Debian's `systemd` package (it is not started; only the
// analyzer is used). Anything else is an error that names the fix: the tests must not skip it.
import { spawnSync } from "node:child_process";

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
if (process.platform !== "linux" || has("systemd-analyze")) process.exit(0);
if (!has("apt-get")) {
  console.error("systemd-analyze is missing and apt-get is not available: install your distribution's systemd package, then rerun npm test");
  process.exit(1);
}
const root = typeof process.getuid === "function" && process.getuid() === 0;
const sudo = root ? [] : has("sudo") ? ["sudo", "-n"] : null;
if (!sudo) {
  console.error("systemd-analyze is missing: run `sudo apt-get install -y systemd`, then rerun npm test");
  process.exit(1);
}
const run = (args) => {
  const [cmd, ...rest] = [...sudo, ...args];
  console.error(`$ ${[cmd, ...rest].join(" ")}`);
  return spawnSync(cmd, rest, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;
};
const install = ["apt-get", "install", "-y", "--no-install-recommends", "systemd"];
if (!run(install) && !(run(["apt-get", "update"]) && run(install))) {
  console.error("could not install systemd (needed for systemd-analyze verify in the tests)");
  process.exit(1);
}
if (!has("systemd-analyze")) {
  console.error("systemd was installed but systemd-analyze is still missing");
  process.exit(1);
}
