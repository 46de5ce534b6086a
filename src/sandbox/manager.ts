/**
 * The sandbox at run time: for a session, decides whether it is sandboxed, makes sure its container
 * exists and runs (created from the effective settings with the workspace mounted per
 * `workspaceAccess`, OpenClaw's labels and a config-hash label; a drifted or stopped one is
 * recreated or started), and runs commands in it. One container operation per name at a time.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type Dockerode from "dockerode";
import { AppError, type Env } from "../shared/index.js";
import { listSandboxContainers } from "./containers.js";
import { DockerClient, type ExecResult, resolveDockerTarget } from "./docker.js";
import {
  CONFIG_HASH_LABEL,
  CREATED_AT_LABEL,
  isSessionSandboxed,
  resolveSandboxSettings,
  SANDBOX_LABEL,
  type SandboxSettings,
  SESSION_KEY_LABEL,
  sandboxConfigHash,
  sandboxContainerName,
  sandboxMainSessionKey,
  sandboxScopeKey,
} from "./settings.js";

export interface SandboxExecRequest {
  agentId: string;
  sessionKey: string;
  /** The agent's workspace on the host. */
  workspace: string;
  command: string;
  /** Working dir inside the container (relative: against the container's workdir). */
  workdir?: string;
  env?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  maxBytes: number;
}

export interface SandboxExecResult extends ExecResult {
  container: string;
  cwd: string;
}

export interface EnsuredContainer {
  name: string;
  scopeKey: string;
  created: boolean;
}

/** `1g`, `512m`, `1073741824` → bytes (undefined when unreadable). */
export function parseDockerBytes(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(v.trim());
  if (!m) return undefined;
  const mult = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "b" | "k" | "m" | "g"];
  return Math.round(Number(m[1]) * mult);
}

export class SandboxManager {
  readonly docker: DockerClient;
  private readonly pending = new Map<string, Promise<EnsuredContainer>>();
  /** Container name → last use (ms) in this process; a container not used here counts from its creation. */
  private readonly lastUsed = new Map<string, number>();

  constructor(
    private readonly options: {
      env: Env;
      stateDir: string;
      config: () => Record<string, unknown>;
      docker?: DockerClient;
      info?: (message: string) => void;
    },
  ) {
    this.docker = options.docker ?? new DockerClient(resolveDockerTarget(options.env));
  }

  settings(agentId: string): SandboxSettings {
    return resolveSandboxSettings(this.options.config(), agentId);
  }

  /** Whether this session's commands must run in a container. */
  isSandboxed(agentId: string, sessionKey: string): boolean {
    const config = this.options.config();
    return isSessionSandboxed(resolveSandboxSettings(config, agentId), sessionKey, sandboxMainSessionKey(config, agentId));
  }

  /** The bind mounts for a scope: the workspace per `workspaceAccess`, then the configured binds. */
  private mounts(s: SandboxSettings, name: string, workspace: string): string[] {
    const sandboxDir = path.join(s.workspaceRoot ?? path.join(this.options.stateDir, "sandboxes"), name.slice(s.docker.containerPrefix.length) || name);
    const workdir = s.docker.workdir;
    const out: string[] = [];
    if (s.workspaceAccess === "rw") out.push(`${workspace}:${workdir}:rw`);
    else {
      mkdirSync(sandboxDir, { recursive: true });
      out.push(`${sandboxDir}:${workdir}:rw`);
      if (s.workspaceAccess === "ro") out.push(`${workspace}:/agent:ro`);
    }
    return [...out, ...s.docker.binds];
  }

  private createOptions(s: SandboxSettings, name: string, scopeKey: string, binds: string[], hash: string): Dockerode.ContainerCreateOptions {
    const d = s.docker;
    const memory = parseDockerBytes(d.memory);
    const swap = parseDockerBytes(d.memorySwap);
    return {
      name,
      Image: d.image,
      Cmd: ["sleep", "infinity"],
      WorkingDir: d.workdir,
      Labels: { [SANDBOX_LABEL]: "1", [SESSION_KEY_LABEL]: scopeKey, [CREATED_AT_LABEL]: String(Date.now()), [CONFIG_HASH_LABEL]: hash, "openclaw.agentId": s.agentId },
      Env: Object.entries(d.env).map(([k, v]) => `${k}=${v}`),
      ...(d.user ? { User: d.user } : {}),
      HostConfig: {
        Init: true,
        Binds: binds,
        NetworkMode: d.network,
        ReadonlyRootfs: d.readOnlyRoot,
        Tmpfs: Object.fromEntries(d.tmpfs.map((t) => [t, ""])),
        CapDrop: d.capDrop,
        SecurityOpt: ["no-new-privileges"],
        ...(d.pidsLimit ? { PidsLimit: d.pidsLimit } : {}),
        ...(memory ? { Memory: memory } : {}),
        ...(swap ? { MemorySwap: swap } : {}),
        ...(d.cpus ? { NanoCpus: Math.round(d.cpus * 1e9) } : {}),
        ...(d.dns.length ? { Dns: d.dns } : {}),
        ...(d.extraHosts.length ? { ExtraHosts: d.extraHosts } : {}),
      },
    };
  }

  /** Makes sure the session's container exists, matches the current settings and runs. */
  ensure(agentId: string, sessionKey: string, workspace: string): Promise<EnsuredContainer> {
    const s = this.settings(agentId);
    const scopeKey = sandboxScopeKey(s.scope, sessionKey, s.agentId);
    const name = sandboxContainerName(s.docker.containerPrefix, s.scope, scopeKey);
    const prior = this.pending.get(name);
    const next = (prior ?? Promise.resolve()).catch(() => undefined).then(() => this.ensureNow(s, scopeKey, name, workspace));
    this.pending.set(name, next);
    void next.finally(() => {
      if (this.pending.get(name) === next) this.pending.delete(name);
    }).catch(() => undefined);
    return next;
  }

  private async ensureNow(s: SandboxSettings, scopeKey: string, name: string, workspace: string): Promise<EnsuredContainer> {
    const binds = this.mounts(s, name, workspace);
    const hash = sandboxConfigHash({ docker: s.docker, workspaceAccess: s.workspaceAccess, binds });
    const existing = await this.docker.inspectContainer(name);
    if (existing && existing.labels[CONFIG_HASH_LABEL] === hash) {
      if (!existing.running) await this.docker.startContainer(name);
      return { name, scopeKey, created: false };
    }
    if (existing) {
      this.options.info?.(`sandbox ${name}: settings changed since it was created; recreating it`);
      await this.docker.removeContainer(name);
    }
    if (!(await this.docker.hasImage(s.docker.image))) {
      throw new AppError("SANDBOX_DOCKER_FAILED", `sandbox image ${s.docker.image} is not present in Docker at ${this.docker.target.display}`, {
        hint: `docker pull ${s.docker.image} (or build it with scripts/sandbox-setup.sh), or set agents.defaults.sandbox.docker.image`,
      });
    }
    await this.docker.createContainer(this.createOptions(s, name, scopeKey, binds, hash));
    await this.docker.startContainer(name);
    this.options.info?.(`sandbox ${name}: created for ${scopeKey} (image ${s.docker.image})`);
    if (s.docker.setupCommand) {
      const r = await this.docker.exec({ container: name, cmd: ["/bin/sh", "-lc", s.docker.setupCommand], timeoutMs: 10 * 60_000, maxBytes: 64 * 1024 });
      if (r.exitCode !== 0) {
        await this.docker.removeContainer(name).catch(() => undefined);
        throw new AppError("SANDBOX_DOCKER_FAILED", `sandbox ${name}: setupCommand failed (exit ${r.exitCode ?? "?"}): ${(r.stderr || r.stdout).trim().split("\n").pop() ?? ""}`, { hint: "fix agents.defaults.sandbox.docker.setupCommand, then openclaw sandbox recreate --all" });
      }
    }
    return { name, scopeKey, created: true };
  }

  /**
   * Removes sandbox containers idle longer than their agent's `prune.idleHours` or older than
   * `prune.maxAgeDays` (0 turns a limit off). Only containers this gateway's settings would name
   * are touched — every `openclaw.sandbox=1` container, as OpenClaw prunes. Returns the removed names.
   */
  async prune(now = Date.now()): Promise<string[]> {
    const removed: string[] = [];
    for (const c of await listSandboxContainers(this.docker, this.options.config())) {
      if (this.pending.has(c.containerName)) continue;
      const { idleHours, maxAgeDays } = this.settings(c.agentId ?? "main").prune;
      const idleMs = now - (this.lastUsed.get(c.containerName) ?? c.createdAtMs);
      const tooIdle = idleHours > 0 && idleMs > idleHours * 3_600_000;
      const tooOld = maxAgeDays > 0 && now - c.createdAtMs > maxAgeDays * 86_400_000;
      if (!tooIdle && !tooOld) continue;
      await this.docker.removeContainer(c.containerName);
      this.lastUsed.delete(c.containerName);
      removed.push(c.containerName);
      this.options.info?.(`sandbox ${c.containerName}: pruned (${tooOld ? `older than ${maxAgeDays} days` : `idle over ${idleHours} h`})`);
    }
    return removed;
  }

  /** Runs `command` in the session's container (creating it first when needed). */
  async exec(req: SandboxExecRequest): Promise<SandboxExecResult> {
    const s = this.settings(req.agentId);
    const c = await this.ensure(req.agentId, req.sessionKey, req.workspace);
    this.lastUsed.set(c.name, Date.now());
    const cwd = req.workdir ? path.posix.resolve(s.docker.workdir, req.workdir) : s.docker.workdir;
    const r = await this.docker.exec({
      container: c.name,
      cmd: ["/bin/sh", "-lc", req.command],
      workdir: cwd,
      ...(req.env ? { env: req.env } : {}),
      timeoutMs: req.timeoutMs,
      ...(req.signal ? { signal: req.signal } : {}),
      maxBytes: req.maxBytes,
    });
    return { ...r, container: c.name, cwd };
  }
}
