/**
 * `openclaw` on PATH: installing this checkout globally (`npm install -g .`, what `npm link` does,
 * into a temp prefix) gives a working `openclaw` command — the symlinked shim finds the built CLI and
 * the prebuilt completion scripts — and the README's examples use `openclaw …`, never a repo path.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ROOT, tempHome } from "../helpers/cli.js";

test("npm install -g . puts a working openclaw on PATH", { timeout: 180_000 }, (t) => {
  const prefix = mkdtempSync(path.join(os.tmpdir(), "openclaw-prefix-"));
  t.after(() => rmSync(prefix, { recursive: true, force: true }));
  const npm = spawnSync("npm", ["install", "-g", ".", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", timeout: 150_000 });
  assert.equal(npm.status, 0, npm.stderr);
  const { env } = tempHome(t);
  const onPath = { ...env, PATH: `${path.join(prefix, "bin")}:${path.dirname(process.execPath)}:/usr/bin:/bin` };
  const run = (args: string[]) => spawnSync("openclaw", args, { env: onPath as NodeJS.ProcessEnv, encoding: "utf8", timeout: 30_000 });
  const version = run(["--version"]);
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version);
  const completion = run(["completion", "--shell", "bash"]);
  assert.equal(completion.status, 0, completion.stderr);
  assert.match(completion.stdout, /complete -o default -F _openclaw_completion openclaw/);
  const get = run(["config", "get", "gateway.port"]);
  assert.equal(get.status, 0, get.stderr);
  assert.equal(get.stdout.trim(), "18789");
});

test("README examples call `openclaw`, never a path into the checkout", () => {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```(?:sh|bash)?\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const lines = blocks.flatMap((b) => b.split("\n")).filter((l) => /openclaw/.test(l));
  assert.ok(lines.length > 0);
  for (const line of lines) assert.doesNotMatch(line, /bin\/openclaw\.mjs|node\s+dist\//, line);
  assert.match(blocks[0]!.split("\n")[0]!, /npm link && openclaw gateway --dev/);
});
