/** `openclaw logs` over the file log (no gateway running): limits, JSON lines, plain text, follow. */
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { formatRecord } from "../../src/logging/index.js";
import { runInProcess, tempHome } from "../helpers/cli.js";

function setup(t: { after(fn: () => void): void }) {
  const { home, env } = tempHome(t);
  const logFile = path.join(home, "logs", "openclaw.log");
  mkdirSync(path.join(home, ".openclaw"), { recursive: true });
  writeFileSync(path.join(home, ".openclaw", "openclaw.json"), JSON.stringify({ logging: { file: "~/logs/openclaw-{date}.log" } }));
  mkdirSync(path.dirname(logFile), { recursive: true });
  const line = (i: number, message = `message ${i}`) =>
    `${formatRecord({ time: `2026-11-21T10:00:0${i % 10}.000Z`, level: i % 2 ? "warn" : "info", subsystem: "gateway/reload", message })}\n`;
  writeFileSync(logFile, [1, 2, 3, 4, 5].map((i) => line(i)).join("") + "not json at all\n");
  return { env, logFile, line };
}

test("--limit and --json: meta first, then one typed object per line", async (t) => {
  const { env, logFile } = setup(t);
  const r = await runInProcess(["logs", "--limit", "3", "--json"], { env });
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(rows[0].type, "meta");
  assert.equal(rows[0].file, logFile);
  const logs = rows.filter((x) => x.type === "log");
  assert.deepEqual(logs.map((x) => x.message), ["message 4", "message 5"]);
  assert.equal(logs[0].subsystem, "gateway/reload");
  assert.equal(rows.at(-1).type, "raw");
  assert.ok(rows.some((x) => x.type === "notice"), "older lines omitted notice");
});

test("--plain prints time, level, subsystem and message without colour", async (t) => {
  const { env } = setup(t);
  const r = await runInProcess(["logs", "--limit", "2", "--plain"], { env });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^2026-11-21T10:00:05\.000Z WARN {2}\[reload\] message 5$/m);
  assert.doesNotMatch(r.stdout, /\u001b\[/);
});

test("--follow prints lines appended later and stops on interrupt (exit 130)", async (t) => {
  const { env, logFile, line } = setup(t);
  const controller = new AbortController();
  let out = "";
  const { runCli } = await import("../../src/cli/shell.js");
  const done = runCli(["logs", "--follow", "--interval", "50", "--limit", "1", "--plain"], {
    env,
    cwd: process.cwd(),
    io: {
      stdout: {
        write: (s: string) => {
          out += s;
          return true;
        },
      },
      stderr: { write: () => true },
      signal: controller.signal,
    },
  });
  const waitFor = async (pred: () => boolean) => {
    for (let i = 0; i < 400 && !pred(); i++) await new Promise((r) => setImmediate(r));
    const deadline = Date.now() + 5000;
    while (!pred() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(pred(), `condition not met; output so far: ${out}`);
  };
  await waitFor(() => out.includes("not json at all"));
  appendFileSync(logFile, line(7, "appended later"));
  await waitFor(() => out.includes("appended later"));
  controller.abort();
  assert.equal(await done, 130);
});

test("a missing log file is not an error", async (t) => {
  const { home, env } = tempHome(t);
  mkdirSync(path.join(home, ".openclaw"));
  writeFileSync(path.join(home, ".openclaw", "openclaw.json"), JSON.stringify({ logging: { file: path.join(home, "none", "openclaw.log") } }));
  const r = await runInProcess(["logs", "--json"], { env });
  assert.equal(r.code, 0);
  const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(rows, [{ type: "meta", file: path.join(home, "none", "openclaw.log"), cursor: 0, size: 0 }]);
});
