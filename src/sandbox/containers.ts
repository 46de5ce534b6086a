/**
 * Sandbox containers as `sandbox list` and `sandbox recreate` see them: every container labelled
 * `openclaw.sandbox=1` (ours or OpenClaw's), with its scope key, agent, age and whether its image
 * still matches the agent's configured one; and the `--all | --session | --agent` selection.
 */
import type { DockerClient } from "./docker.js";
import { agentIdOfScopeKey, CONFIG_HASH_LABEL, CREATED_AT_LABEL, resolveSandboxSettings, SANDBOX_LABEL, SESSION_KEY_LABEL } from "./settings.js";

/** One container, in OpenClaw's `sandbox list --json` shape (plus `agentId`, `state`). */
export interface SandboxContainerInfo {
  containerName: string;
  runtimeLabel: string;
  backendId: "docker";
  sessionKey: string;
  agentId?: string;
  createdAtMs: number;
  /** Docker does not record use; the creation time stands in. */
  lastUsedAtMs: number;
  image: string;
  imageMatch: boolean;
  configLabelKind: "Image";
  configHash?: string;
  running: boolean;
  state: string;
}

export async function listSandboxContainers(docker: DockerClient, config: Record<string, unknown>): Promise<SandboxContainerInfo[]> {
  const list = await docker.listContainers(`${SANDBOX_LABEL}=1`);
  return list
    .map((c) => {
      const sessionKey = c.labels[SESSION_KEY_LABEL] ?? "";
      const agentId = c.labels["openclaw.agentId"] ?? agentIdOfScopeKey(sessionKey) ?? "main";
      const created = Number(c.labels[CREATED_AT_LABEL]);
      const createdAtMs = Number.isFinite(created) && created > 0 ? created : c.createdAtMs;
      const wanted = resolveSandboxSettings(config, agentId).docker.image;
      const hash = c.labels[CONFIG_HASH_LABEL];
      return {
        containerName: c.name,
        runtimeLabel: c.name,
        backendId: "docker" as const,
        sessionKey,
        agentId,
        createdAtMs,
        lastUsedAtMs: createdAtMs,
        image: c.image,
        imageMatch: c.image === wanted,
        configLabelKind: "Image" as const,
        ...(hash ? { configHash: hash } : {}),
        running: c.running,
        state: c.state,
      };
    })
    .sort((a, b) => a.containerName.localeCompare(b.containerName));
}

/** `--all`, `--session <key>` (exact scope key) or `--agent <id>` (`agent:<id>` and `agent:<id>:*`). */
export function selectSandboxContainers(list: SandboxContainerInfo[], by: { all?: boolean; session?: string; agent?: string }): SandboxContainerInfo[] {
  if (by.session !== undefined) return list.filter((c) => c.sessionKey === by.session);
  if (by.agent !== undefined) {
    const id = by.agent.trim().toLowerCase();
    return list.filter((c) => c.sessionKey === `agent:${id}` || c.sessionKey.startsWith(`agent:${id}:`) || c.agentId === id);
  }
  return by.all ? list : [];
}
