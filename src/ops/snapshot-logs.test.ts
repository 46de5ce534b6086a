/** The snapshot's log facts: the state dir's logs and a `logging.file` kept elsewhere. */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { resolvePaths } from "../infra/index.js";
import { collectSnapshot } from "./snapshot.js";

test("a logging.file outside the state dir is a log fact (its permissions are audited too)", (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-snap-logs-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const env = { HOME: home };
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(path.join(stateDir, "logs"), { recursive: true });
  writeFileSync(path.join(stateDir, "logs", "openclaw.log"), "{}\n", { mode: 0o600 });
  const custom = path.join(home, "var", "gw.log");
  mkdirSync(path.dirname(custom), { recursive: true });
  writeFileSync(custom, "{}\n");
  chmodSync(custom, 0o644);
  writeFileSync(path.join(stateDir, "openclaw.json"), JSON.stringify({ logging: { file: "~/var/gw.log" } }));
  const snap = collectSnapshot({ env, paths: resolvePaths(env) });
  const logs = snap.files.filter((f) => f.kind === "log").map((f) => f.path);
  assert.deepEqual(logs, [path.join(stateDir, "logs", "openclaw.log"), custom]);
});
