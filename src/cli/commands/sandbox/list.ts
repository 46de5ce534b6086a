/** `openclaw sandbox list [--json]`: every sandbox container (ours or OpenClaw's), `{containers, browsers}` as OpenClaw prints it. */
import { listSandboxContainers } from "../../../sandbox/index.js";
import type { CommandHandler } from "../../types.js";
import { loadSandboxContext, renderAge } from "./common.js";

export const run: CommandHandler = async (ctx) => {
  const { config, docker } = loadSandboxContext(ctx);
  await docker.ping();
  const containers = await listSandboxContainers(docker, config);
  const now = Date.now();
  const human: string[] = [];
  if (containers.length === 0) human.push("No sandbox containers found.");
  else {
    human.push("Sandbox containers:", "");
    for (const c of containers) {
      human.push(`  ${c.containerName}`, `    Status:  ${c.running ? "running" : c.state}`, `    Image:   ${c.image} ${c.imageMatch ? "(matches config)" : "(mismatch: run openclaw sandbox recreate)"}`, `    Age:     ${renderAge(now - c.createdAtMs)}`, `    Session: ${c.sessionKey}${c.agentId ? ` (agent ${c.agentId})` : ""}`, "");
    }
  }
  const mismatched = containers.filter((c) => !c.imageMatch).length;
  human.push(`Total: ${containers.length} (${containers.filter((c) => c.running).length} running)`);
  if (mismatched > 0) human.push(`${mismatched} container(s) with a config mismatch: run 'openclaw sandbox recreate --all' to update them.`);
  return { data: { containers, browsers: [] }, human };
};
