#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's test runner. Node 20 does not expand globs,
// so the file list is built here. Extra arguments filter files by substring.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const filters = process.argv.slice(2);

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "fixtures") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name.endsWith(".test.ts")) out.push(path.relative(root, full));
  }
  return out;
}

const files = [...walk(path.join(root, "src"), []), ...walk(path.join(root, "test"), [])]
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  // Soaks run for minutes: start them first so the rest of the suite runs beside them.
  .sort((a, b) => Number(b.includes("/soak/")) - Number(a.includes("/soak/")));
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? "2";
// A test that never settles fails after this long instead of holding CI until its deadline (the soak
// runs for OPENCLAW_SOAK_MS, ten minutes by default, so the bound is five minutes past that).
const testTimeoutMs = Math.max(15 * 60_000, Number(process.env.OPENCLAW_SOAK_MS ?? 0) + 5 * 60_000);
const tapFile = path.join(mkdtempSync(path.join(tmpdir(), "openclaw-tests-")), "results.tap");
const result = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    `--test-concurrency=${concurrency}`,
    `--test-timeout=${testTimeoutMs}`,
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { cwd: root, stdio: "inherit", env: { ...process.env, NODE_NO_WARNINGS: "1" } },
);
const tap = readFileSync(tapFile, "utf8");
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
// A cancelled test (e.g. its promise never settled) is a failure too: say so in the summary.
const cancelled = count("cancelled");
console.log(`\n${count("pass")} passed, ${count("fail")} failed, ${count("skipped") + count("todo")} skipped${cancelled ? `, ${cancelled} cancelled` : ""}`);
process.exit(result.status ?? 1);
