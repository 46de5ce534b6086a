/** Agents in both config forms reach the snapshot (ids, workspaces) and the resolved config (~ expanded). */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { type OpenClawConfig, resolveRuntimeConfig } from "../config/index.js";
import { agentIdsOf, workspaceDirs } from "./snapshot.js";

const input = { agents: { list: [{ id: "main", workspace: "~/a" }], entries: { ops: { workspace: "~/b" }, lab: { id: "lab2" } } } };

test("agentIdsOf and workspaceDirs read agents.list[] and agents.entries.<id>", (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-snap-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(agentIdsOf(input, path.join(dir, "agents")), ["main", "ops", "lab2"]);
  assert.deepEqual(workspaceDirs(input, { HOME: "/h" }, "/h/.openclaw/workspace"), ["/h/.openclaw/workspace", "/h/a", "/h/b"]);
});

test("resolveRuntimeConfig expands ~ in agents.entries workspaces and agentDirs too", () => {
  const { config } = resolveRuntimeConfig({ ...structuredClone(input), gateway: {}, logging: {} } as unknown as OpenClawConfig, { HOME: "/h" });
  assert.equal(config.agents?.entries?.ops?.workspace, "/h/b");
  assert.equal(config.agents?.list?.[0]?.workspace, "/h/a");
});
