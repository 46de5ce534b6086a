/** Where this openclaw install lives: the CLI entry and the supervisor script a service runs. */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: the nearest ancestor of this module with `bin/openclaw.mjs`. */
export function resolveInstallRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, "bin", "openclaw.mjs")) && existsSync(path.join(dir, "package.json"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the openclaw install root above ${from}`);
    dir = up;
  }
}

export function resolveCliEntry(root = resolveInstallRoot()): string {
  return path.join(root, "bin", "openclaw.mjs");
}

export function resolveSupervisorScript(root = resolveInstallRoot()): string {
  return path.join(root, "dist", "supervisor.js");
}
