import assert from "node:assert/strict";
import { test } from "node:test";
import { planReload } from "../config/index.js";
import { createLogger } from "../logging/index.js";
import type { ConfigChange, Subsystem } from "./subsystem.js";
import { applyToSubsystems } from "./subsystem-runner.js";

function recorder(name: Subsystem["name"], observes?: string[]): Subsystem & { seen: string[][] } {
  const seen: string[][] = [];
  return {
    name,
    seen,
    ...(observes ? { observes } : {}),
    start() {},
    stop() {},
    applyConfig(change: ConfigChange) {
      seen.push(change.paths);
      return "applied";
    },
  };
}

test("a subsystem hears its own paths and those under the prefixes it observes, nothing else", async () => {
  const agents = recorder("agents");
  const memory = recorder("memory", ["agents"]);
  const channels = recorder("channels");
  const plan = planReload(["agents.defaults.workspace", "memory.citations", "channels.telegram.dmPolicy"]);
  await applyToSubsystems([agents, memory, channels], plan, { previous: {} as never, next: {} as never }, createLogger("test"));
  assert.deepEqual(agents.seen, [["agents.defaults.workspace"]]);
  assert.deepEqual(memory.seen, [["memory.citations", "agents.defaults.workspace"]]);
  assert.deepEqual(channels.seen, [["channels.telegram.dmPolicy"]]);
  // `agentsX` is not under `agents`.
  const other = recorder("memory", ["agents"]);
  await applyToSubsystems([other], planReload(["agentsX"]), { previous: {} as never, next: {} as never }, createLogger("test"));
  assert.deepEqual(other.seen, []);
});
