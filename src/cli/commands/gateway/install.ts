/** `openclaw gateway install` — write the service definition for this profile and start it (idempotent; `--force` rewrites). */
import { createServiceManager, nativeServiceKind, planInstall, type RenderedFile, writeInstallFiles } from "../../../service/index.js";
import { EXIT } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { readVersion } from "../../version.js";
import { cliEntry, serviceFailure, servicePort, serviceRuntime, serviceSetup, waitForHealthy } from "./service-common.js";

/** The env file holds secrets: dry-run shows its keys, never its values. */
function showable(f: RenderedFile): RenderedFile {
  if (f.role !== "secrets env file") return f;
  return { ...f, content: f.content.replace(/^([A-Za-z_][A-Za-z0-9_]*)=.*$/gm, "$1=<from this shell; written 0600>") };
}

export const run: CommandHandler = async (ctx) => {
  const setup = serviceSetup(ctx);
  const { manager, resolved } = setup;
  const port = servicePort(ctx);
  const runtimePath = serviceRuntime(ctx);
  const base = {
    env: ctx.env,
    paths: ctx.paths(),
    port,
    runtimePath,
    entryPath: cliEntry(),
    version: readVersion(),
    platform: setup.sctx.platform,
    token: typeof ctx.options.token === "string" ? ctx.options.token : undefined,
    force: ctx.options.force === true,
  };
  const fallbackNote = resolved.fallback
    ? `${resolved.fallback.problems.map((p) => p.message).join("; ")}; fix: ${resolved.fallback.problems.map((p) => p.fix).join("; ")}`
    : undefined;

  if (ctx.options["dry-run"] === true) {
    const native = createServiceManager(nativeServiceKind(setup.sctx.platform), setup.sctx);
    const plans = [planInstall({ ...base, manager: native })];
    if (manager.kind !== native.kind) plans.push(planInstall({ ...base, manager }));
    const data = {
      dryRun: true,
      supervisor: manager.kind,
      ...(fallbackNote ? { fallback: { from: native.kind, reason: fallbackNote } } : {}),
      plans: plans.map((p, i) => ({ kind: i === 0 ? native.kind : manager.kind, name: p.definition.name, action: p.action, secretKeys: p.definition.secretKeys, files: p.files.map(showable), drift: p.drift })),
    };
    const human: string[] = [];
    for (const [i, p] of plans.entries()) {
      const kind = i === 0 ? native.kind : manager.kind;
      if (i === 0 && fallbackNote) human.push(`# ${native.kind} is not usable here (${fallbackNote}); install would use the detached supervisor (shown last).`);
      for (const f of p.files.map(showable)) human.push(`# ${kind}: ${f.role} → ${f.path} (mode ${f.mode.toString(8).padStart(4, "0")})`, f.content.replace(/\r\n/g, "\n").trimEnd(), "");
      if (p.action === "unchanged") human.push(`# ${p.definition.name} is installed and identical; install would change nothing.`);
      if (p.action === "blocked") human.push(`# ${p.definition.name} is installed and differs; install needs --force:`, p.diff ?? "");
    }
    human.push("# dry run: nothing written");
    return { data, human };
  }

  if (resolved.fallback) ctx.warn(`note: ${fallbackNote}. Using the openclaw detached supervisor instead (it does not survive a reboot).`);
  for (const problem of manager.preflight().problems) if (!resolved.fallback) ctx.warn(`warning: ${problem.message}; fix: ${problem.fix}`);
  const plan = planInstall({ ...base, manager });
  const name = plan.definition.name;
  if (plan.action === "blocked") {
    const lines = [
      `${name} is already installed and differs from what install would write (${manager.label}, ${plan.installed?.definitionPath}):`,
      ...plan.drift.map((d) => `  ${d.message}`),
      ...(plan.diff ? [plan.diff] : []),
      "Nothing changed. Rewrite it with: openclaw gateway install --force (the current file is kept as .bak)",
    ];
    return { data: { action: "blocked", name, kind: manager.kind, drift: plan.drift }, human: lines, exitCode: EXIT.problems };
  }
  let written: string[] = [];
  const since = Date.now();
  const previousPid = plan.installed ? manager.runtime(name).pid : undefined;
  let started = false;
  if (plan.action !== "unchanged") {
    started = true;
    written = plan.files.map((f) => f.path);
    writeInstallFiles(plan);
    try {
      await manager.activate(plan.definition);
    } catch (error) {
      throw serviceFailure(setup, "starting", error);
    }
  } else if (manager.runtime(name).status !== "running") {
    started = true;
    try {
      await manager.start(name);
    } catch (error) {
      throw serviceFailure(setup, "starting", error);
    }
  }
  // An unchanged, running install keeps its gateway: any pid that answers for the service will do.
  const health = await waitForHealthy(setup, port, started ? { previousPid, since } : { since: 0 });
  const data = { action: plan.action === "unchanged" ? "unchanged" : plan.action === "rewrite" ? "rewritten" : "installed", name, kind: manager.kind, files: written, port, healthy: health.healthy, ...(health.pid ? { pid: health.pid } : {}), ...(health.detail ? { detail: health.detail } : {}) };
  const human = [
    plan.action === "unchanged" ? `${name} already installed and up to date (${manager.label})` : `${plan.action === "rewrite" ? "rewrote" : "installed"} ${name} (${manager.label})`,
    ...written.map((f) => `  wrote ${f}`),
    health.healthy ? `gateway running (pid ${health.pid ?? "?"}) on ws://127.0.0.1:${port}` : `gateway not healthy: ${health.detail ?? "unknown"}`,
  ];
  return { data, human, exitCode: health.healthy ? EXIT.ok : EXIT.problems };
};
