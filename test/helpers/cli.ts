/** Test helpers: temp homes, and the CLI run in-process (injected streams) or as the built binary. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runCli } from "../../src/cli/shell.js";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const BIN = path.join(ROOT, "bin/openclaw.mjs");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A fresh temp HOME and a clean environment pointing at it (nothing from the real home leaks in). */
export function tempHome(t?: { after(fn: () => void): void }): { home: string; env: Record<string, string | undefined> } {
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-home-"));
  // Retried: a process the test stopped a moment ago may still be closing files in it.
  t?.after(() => rmSync(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }));
  return { home, env: { HOME: home, PATH: process.env.PATH, NO_COLOR: "1" } };
}

function sink(isTTY = false) {
  let text = "";
  const write = (s: string): boolean => {
    text += s;
    return true;
  };
  return { stream: { write, isTTY }, read: () => text };
}

/** Runs the CLI in this process with injected streams (`tty`: stdout claims to be a terminal). */
export async function runInProcess(argv: string[], options: { env: Record<string, string | undefined>; cwd?: string; signal?: AbortSignal; tty?: boolean }): Promise<CliRun> {
  const out = sink(options.tty === true);
  const err = sink();
  const code = await runCli(argv, {
    env: options.env,
    cwd: options.cwd ?? ROOT,
    io: { stdout: out.stream, stderr: err.stream, signal: options.signal ?? new AbortController().signal },
  });
  return { code, stdout: out.read(), stderr: err.read() };
}

/**
 * Spawns the built binary (`npm run build` first). A run that outlives `timeoutMs` (default 60 s)
 * is killed and reported with code -1, so a command that should have exited never hangs the suite.
 */
export function runBinary(argv: string[], options: { env: Record<string, string | undefined>; cwd?: string; timeoutMs?: number; input?: string }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { env: options.env as NodeJS.ProcessEnv, cwd: options.cwd ?? ROOT, timeout: options.timeoutMs ?? 60_000, killSignal: "SIGKILL" });
    let stdout = "";
    let stderr = "";
    // Decoded as a stream: a multi-byte character split across two chunks stays whole.
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d: string) => (stdout += d));
    child.stderr.on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** A preload that records, at exit, every loaded module whose path names better-sqlite3 (require or import). */
const SQLITE_PROBE = `
const Module = require("node:module");
const fs = require("node:fs");
const seen = new Set();
const load = Module._load;
Module._load = function (request, ...rest) {
  if (/better-sqlite3/.test(request)) seen.add(request);
  return load.call(this, request, ...rest);
};
process.on("exit", () => {
  for (const k of Object.keys(Module._cache)) if (/better-sqlite3/.test(k)) seen.add(k);
  fs.writeFileSync(process.env.SQLITE_PROBE_OUT, JSON.stringify([...seen]));
});
`;

/**
 * Runs the built CLI with a preload that lists the better-sqlite3 modules it loaded (the laziness
 * checks: `status`, `health`, `config get` and `--help` must load none). `dir` holds the probe files.
 */
export async function runWithSqliteProbe(argv: string[], options: { env: Record<string, string | undefined>; dir: string }): Promise<CliRun & { sqliteModules: string[] }> {
  const probe = path.join(options.dir, "sqlite-probe.cjs");
  if (!existsSync(probe)) writeFileSync(probe, SQLITE_PROBE);
  const out = path.join(options.dir, `probe-${argv.join("_").replace(/\W/g, "")}.json`);
  const r = await runBinary(argv, { env: { ...options.env, NODE_OPTIONS: `--require ${probe}`, SQLITE_PROBE_OUT: out } });
  assert.ok(existsSync(out), `the probe ran for ${argv.join(" ")}: ${r.stderr}`);
  return { ...r, sqliteModules: JSON.parse(readFileSync(out, "utf8")) as string[] };
}
