import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { stateDirSince } from "./state-age.js";

test("a state dir's age is its oldest timestamp; a file added today does not make it younger", (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-state-age-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  assert.equal(stateDirSince(path.join(dir, "missing")), undefined);
  const state = path.join(dir, ".openclaw");
  fs.mkdirSync(state);
  fs.writeFileSync(path.join(state, "openclaw.json"), "{}");
  const old = new Date(Date.UTC(2025, 0, 2));
  fs.utimesSync(path.join(state, "openclaw.json"), old, old);
  fs.writeFileSync(path.join(state, "today.json"), "{}");
  assert.equal(stateDirSince(state), old.getTime());
});
