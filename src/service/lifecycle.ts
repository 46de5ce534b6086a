/**
 * Install, uninstall, start, stop and restart behind one manager: plan first (what would be written,
 * what differs from what is installed), then act. Writes are atomic and keep the previous file as
 * `.bak`; an installed definition that differs is never rewritten without `--force`.
 */
import { readFileSync } from "node:fs";
import { readConfigInput } from "../config/index.js";
import { type Env, loadDotEnvFile, type ResolvedPaths, writeFileAtomic } from "../infra/index.js";
import { diffLines } from "../shared/index.js";
import { type BuildDefinitionOptions, buildServiceDefinition, type Drift, diffDefinitions } from "./definition.js";
import type { InstalledService, RenderedFile, ServiceDefinition, ServiceManager } from "./types.js";

/**
 * Secrets the service needs that the gateway cannot find by itself: a `--token`, a token or password
 * that lives only in this shell's environment, and `${VAR}`s the config references that are set here
 * but neither in the state `.env` nor in the config's `env` block. Values go to the 0600 env file.
 */
export function collectServiceSecrets(o: { env: Env; paths: ResolvedPaths; token?: string | undefined }): Record<string, string> {
  const out: Record<string, string> = {};
  const config = readConfigInput({ configPath: o.paths.configPath, env: o.env, lenientEnv: true });
  const gateway = (config.input.gateway ?? {}) as { auth?: { token?: unknown; password?: unknown } };
  const stateEnv = loadDotEnvFile(o.paths.layout.envFile);
  const configEnv = (config.input.env ?? {}) as Record<string, unknown>;
  const provided = (k: string) => k in stateEnv || k in configEnv || (typeof configEnv.vars === "object" && configEnv.vars !== null && k in configEnv.vars);
  if (o.env.OPENCLAW_GATEWAY_TOKEN && gateway.auth?.token === undefined && !provided("OPENCLAW_GATEWAY_TOKEN")) out.OPENCLAW_GATEWAY_TOKEN = o.env.OPENCLAW_GATEWAY_TOKEN;
  if (o.env.OPENCLAW_GATEWAY_PASSWORD && gateway.auth?.password === undefined && !provided("OPENCLAW_GATEWAY_PASSWORD")) out.OPENCLAW_GATEWAY_PASSWORD = o.env.OPENCLAW_GATEWAY_PASSWORD;
  for (const ref of config.envRefs) {
    const v = o.env[ref.name];
    if (v && !provided(ref.name)) out[ref.name] = v;
  }
  // An explicit --token beats every other source.
  if (o.token) out.OPENCLAW_GATEWAY_TOKEN = o.token;
  return out;
}

/** Old definitions may inline secrets (`Environment=OPENCLAW_GATEWAY_TOKEN=…`, plist values): mask them before showing. */
export function maskSecretAssignments(text: string): string {
  return text
    .replace(/((?:TOKEN|PASSWORD|SECRET|API_KEY|APIKEY)[A-Z0-9_]*=)([^"\n]+)/gi, "$1***")
    .replace(/(<key>[^<]*(?:TOKEN|PASSWORD|SECRET|API_KEY)[^<]*<\/key>\s*<string>)[^<]*(<\/string>)/gi, "$1***$2");
}

export interface InstallPlan {
  definition: ServiceDefinition;
  files: RenderedFile[];
  installed?: InstalledService;
  drift: Drift[];
  /** `install`: nothing there; `unchanged`: identical; `rewrite`: differs and --force; `blocked`: differs, no --force. */
  action: "install" | "unchanged" | "rewrite" | "blocked";
  /** Unified diff of the definition file against what is installed (no secrets in it). */
  diff?: string;
}

/** What `buildServiceDefinition` needs, with the manager in place of the kind and secrets collected here. */
export interface PlanInstallOptions extends Omit<BuildDefinitionOptions, "kind" | "secrets"> {
  manager: ServiceManager;
  token?: string | undefined;
  force: boolean;
}

export function planInstall(o: PlanInstallOptions): InstallPlan {
  const secrets = collectServiceSecrets({ env: o.env, paths: o.paths, token: o.token });
  const definition = buildServiceDefinition({ kind: o.manager.kind, env: o.env, paths: o.paths, port: o.port, runtimePath: o.runtimePath, entryPath: o.entryPath, version: o.version, platform: o.platform, secrets });
  const files = o.manager.render(definition, secrets);
  const installed = o.manager.readInstalled(definition.name);
  if (!installed) return { definition, files, drift: [], action: "install" };
  const drift = diffDefinitions(installed, definition);
  const same = (f: RenderedFile) => {
    try {
      return readFileSync(f.path).equals(encodeRendered(f));
    } catch {
      return false;
    }
  };
  if (files.every(same)) return { definition, files, installed, drift: [], action: "unchanged" };
  if (same(files[0]!) && drift.length === 0) {
    const changed = files.filter((f) => !same(f)).map((f) => f.role);
    drift.push({ field: "env-file", installed: undefined, expected: undefined, message: `${changed.join(", ")} differ${changed.length === 1 ? "s" : ""} (secret values changed)` });
  }
  let current = "";
  try {
    current = readFileSync(installed.definitionPath, "utf8");
  } catch {
    // unreadable: the diff shows everything as new
  }
  const diff = diffLines(maskSecretAssignments(current), files[0]!.content).join("\n");
  return { definition, files, installed, drift, action: o.force ? "rewrite" : "blocked", diff };
}

/** Writes the plan's files (atomic, `.bak` of what they replace) and returns their paths. */
/** The bytes of a rendered file as written (UTF-8, or UTF-16LE with a BOM). */
export function encodeRendered(f: RenderedFile): Buffer {
  return f.encoding === "utf16le" ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(f.content, "utf16le")]) : Buffer.from(f.content, "utf8");
}

export function writeInstallFiles(plan: InstallPlan): string[] {
  for (const f of plan.files) writeFileAtomic(f.path, encodeRendered(f), { mode: f.mode, backup: true });
  return plan.files.map((f) => f.path);
}
