/**
 * Doctor's "Sandbox images" facts and findings. The runner gathers (only when some agent's sandbox
 * mode is on): is Docker reachable at DOCKER_HOST / the default socket, and is each configured
 * image present. The check is pure: unreachable Docker → the one-line cause with the fix; a missing
 * image → `docker pull <image>` (or build it).
 */
import { DockerClient, resolveDockerTarget, resolveSandboxSettings } from "../../sandbox/index.js";
import { type Env, toAppError } from "../../shared/index.js";
import type { DoctorFinding } from "./finding.js";

export interface SandboxFacts {
  /** Agents whose sandbox mode is not off, with the image each uses. */
  agents: Array<{ agentId: string; mode: string; image: string }>;
  docker: { reachable: true; images: Array<{ image: string; present: boolean }> } | { reachable: false; message: string; hint?: string };
}

/** Undefined when no agent has the sandbox on (nothing to check, Docker is never contacted). */
export async function collectSandboxFacts(o: { config: Record<string, unknown>; agentIds: string[]; env: Env; docker?: DockerClient }): Promise<SandboxFacts | undefined> {
  const ids = o.agentIds.length > 0 ? o.agentIds : ["main"];
  const agents = ids.map((id) => resolveSandboxSettings(o.config, id)).filter((s) => s.mode !== "off").map((s) => ({ agentId: s.agentId, mode: s.mode, image: s.docker.image }));
  if (agents.length === 0) return undefined;
  const docker = o.docker ?? new DockerClient(resolveDockerTarget(o.env), { timeoutMs: 5_000 });
  try {
    await docker.ping();
    const images: Array<{ image: string; present: boolean }> = [];
    for (const image of [...new Set(agents.map((a) => a.image))]) images.push({ image, present: await docker.hasImage(image) });
    return { agents, docker: { reachable: true, images } };
  } catch (error) {
    const e = toAppError(error);
    return { agents, docker: { reachable: false, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } };
  }
}

export function sandboxImageFindings(facts: SandboxFacts): DoctorFinding[] {
  const who = facts.agents.map((a) => `${a.agentId} (${a.mode})`).join(", ");
  if (!facts.docker.reachable) {
    return [{ checkId: "sandbox.docker_unreachable", step: "sandbox", severity: "warn", title: `sandbox is on for ${who} but ${facts.docker.message}`, detail: "Sandboxed sessions refuse to run exec until Docker answers.", fix: facts.docker.hint ?? "start Docker (or set agents.defaults.sandbox.mode off)" }];
  }
  return facts.docker.images
    .filter((i) => !i.present)
    .map((i) => ({
      checkId: "sandbox.image_missing",
      step: "sandbox",
      severity: "warn" as const,
      title: `sandbox image ${i.image} is missing (used by ${facts.agents.filter((a) => a.image === i.image).map((a) => a.agentId).join(", ")})`,
      detail: "The first sandboxed exec would fail until the image exists.",
      fix: `docker pull ${i.image} (or build it with scripts/sandbox-setup.sh), or set agents.defaults.sandbox.docker.image`,
    }));
}
