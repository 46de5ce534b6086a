/** What the `openclaw sandbox …` commands share: the config and a Docker client for DOCKER_HOST. */
import { assertConfigReadable, readConfigInput } from "../../../config/index.js";
import { DockerClient, resolveDockerTarget } from "../../../sandbox/index.js";
import type { CommandContext } from "../../types.js";

export function loadSandboxContext(ctx: CommandContext): { config: Record<string, unknown>; docker: DockerClient } {
  const snapshot = readConfigInput({ configPath: ctx.paths().configPath, env: ctx.env, lenientEnv: true });
  assertConfigReadable(snapshot);
  return { config: (snapshot.input ?? {}) as Record<string, unknown>, docker: new DockerClient(resolveDockerTarget(ctx.env)) };
}

/** `3m`, `2h`, `4d`. */
export function renderAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.round(s / 60)}m` : s < 86400 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86400)}d`;
}
