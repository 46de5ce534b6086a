/** Small assertions helpers shared by the end-to-end tests: hashes, whole-tree snapshots, process and port checks. */
import { createHash } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { probeHealthz } from "../../src/client/index.js";
import { isPidAlive } from "../../src/infra/index.js";
import type { CliRun } from "./cli.js";

export const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
export const octal = (n: number) => `0${n.toString(8)}`;
/** A CLI run, for assertion messages. */
export const show = (r: CliRun) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

/** Writes a file with an exact mode (creating parents 0700). */
export function writeFile(file: string, data: string | Buffer, mode = 0o600): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, data, { mode });
  chmodSync(file, mode);
}

/** Every file, dir and link under `root`: type, mode, owner, mtime and (files) a content hash. */
export function treeState(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string) => {
    const st = lstatSync(p);
    const meta = `mode=${octal(st.mode & 0o7777)} uid=${st.uid} gid=${st.gid} mtime=${st.mtimeMs}`;
    const rel = path.relative(root, p) || ".";
    if (st.isSymbolicLink()) out[rel] = `link -> ${readlinkSync(p)} ${meta}`;
    else if (st.isDirectory()) {
      out[rel] = `dir ${meta}`;
      for (const e of readdirSync(p).sort()) walk(path.join(p, e));
    } else out[rel] = `file ${meta} sha256=${sha256(readFileSync(p))}`;
  };
  walk(root);
  return out;
}

/** A JSON file's content, or undefined when it is missing or unreadable. */
export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie. */
export function alive(pid: number | undefined): boolean {
  return pid !== undefined && isPidAlive(pid);
}

/** GET /healthz on the loopback port answers 200. */
export const healthz = (port: number) => probeHealthz(port, 1000);

/** A run's stdout as the one JSON value it must be (the error shows the whole run). */
export function stdoutJson<T>(r: CliRun): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON value\n${show(r)}`);
  }
}
