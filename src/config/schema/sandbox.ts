/**
 * `agents.defaults.sandbox` and `agents.list[].sandbox` (spec §2.8; OpenClaw's
 * docs/gateway/config-agents/sandbox.md): known keys typed, every other key kept (OpenClaw's ssh,
 * browser, backend, … blocks load unchanged).
 */
import { z } from "zod";
import { AnyRecord, loose, StringList } from "./common.js";

const DockerSandbox = loose({
  image: z.string().min(1).optional().describe("Sandbox image (default openclaw-sandbox:bookworm-slim)."),
  containerPrefix: z.string().optional().describe("Container name prefix (default openclaw-sbx-)."),
  workdir: z.string().optional(),
  readOnlyRoot: z.boolean().optional(),
  tmpfs: StringList.optional(),
  network: z.string().optional().describe("Docker network (default none)."),
  user: z.string().optional(),
  capDrop: StringList.optional(),
  env: z.record(z.string(), z.string()).optional(),
  setupCommand: z.string().optional().describe("Run once after the container is created."),
  pidsLimit: z.number().int().positive().optional(),
  memory: z.union([z.string(), z.number()]).optional(),
  memorySwap: z.union([z.string(), z.number()]).optional(),
  cpus: z.number().positive().optional(),
  dns: StringList.optional(),
  extraHosts: StringList.optional(),
  binds: StringList.optional().describe("Extra bind mounts (host:container[:ro|rw])."),
});

export const SandboxConfig = loose({
  mode: z.enum(["off", "non-main", "all"]).optional().describe("Which sessions run exec in a container (default off)."),
  backend: z.string().optional(),
  scope: z.enum(["session", "agent", "shared"]).optional().describe("One container per session, per agent (default) or shared."),
  workspaceAccess: z.enum(["none", "ro", "rw"]).optional().describe("How the agent workspace is mounted (default none)."),
  workspaceRoot: z.string().optional(),
  docker: DockerSandbox.optional(),
  browser: AnyRecord.optional(),
  prune: loose({ idleHours: z.number().nonnegative().optional(), maxAgeDays: z.number().nonnegative().optional() }).optional(),
});
