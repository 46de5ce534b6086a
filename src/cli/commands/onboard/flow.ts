/**
 * The one engine behind `setup`, `onboard` and `configure`: collect answers (flags or prompts) for
 * the chosen sections, plan the config edit, test the credential and the bot token, show the diff
 * (secrets masked) and write only after that — Ctrl-C before then leaves every file as it was. Then
 * optionally install the service (`gateway install`'s code) and print `status`.
 */
import { existsSync } from "node:fs";
import {
  bootstrapWorkspace,
  type ConfigPreview,
  type CredentialPlan,
  checkTelegramToken,
  commitConfig,
  ensureStateDir,
  type OnboardAnswers,
  planConfigSets,
  planCredential,
  previewConfig,
  probeCredential,
  readCurrentConfig,
  saveCredential,
  workspaceMissing,
} from "../../../ops/index.js";
import { AppError, EXIT, type ExitCode, redactText } from "../../../shared/index.js";
import type { CommandContext, CommandResult } from "../../types.js";
import { askChannel, askGateway, askModel, askWorkspace, gatewayFromFlags, modelFromFlags, newToken, resolveWorkspace, telegramFromFlags } from "./answers.js";
import { askConfirm, say } from "./prompts.js";

export type Mode = "setup" | "onboard" | "configure";
export type Section = "gateway" | "workspace" | "model" | "channels" | "daemon" | "health";
export const ALL_SECTIONS: Section[] = ["gateway", "workspace", "model", "channels", "daemon", "health"];

interface Plan {
  preview: ConfigPreview;
  credential?: { plan: CredentialPlan; key: string };
  workspace: string;
  stateDirMissing: boolean;
  missing: string[];
}

function workspaceOf(ctx: CommandContext, planned: Record<string, unknown>): string {
  const ws = ((planned.agents as Record<string, unknown> | undefined)?.defaults as Record<string, unknown> | undefined)?.workspace;
  return typeof ws === "string" && ws.trim() ? resolveWorkspace(ctx, ws) : ctx.paths().layout.defaultWorkspaceDir;
}

/** Collects the answers for `sections`, interactively or from flags. */
async function collect(ctx: CommandContext, mode: Mode, sections: Set<Section>, current: Record<string, unknown>, interactive: boolean): Promise<OnboardAnswers> {
  const paths = ctx.paths();
  const answers: OnboardAnswers = {};
  const ws = typeof ctx.options.workspace === "string" ? resolveWorkspace(ctx, ctx.options.workspace) : undefined;
  if (!interactive) {
    if (sections.has("gateway")) {
      const g = gatewayFromFlags(ctx);
      if (g) answers.gateway = g;
    }
    if (sections.has("workspace") && ws) answers.workspace = ws;
    if (sections.has("model")) {
      const m = modelFromFlags(ctx);
      if (m) answers.model = m;
    }
    if (sections.has("channels")) {
      const t = telegramFromFlags(ctx, current);
      if (t) answers.telegram = t;
    }
    if (mode === "configure" && Object.keys(answers).length === 0 && !sections.has("daemon") && !sections.has("health")) {
      throw new AppError("USAGE", `configure --non-interactive needs flags for --section ${[...sections].join(",")}`, { hint: "e.g. openclaw configure --section models --non-interactive --model anthropic/claude-sonnet-4-6" });
    }
    return answers;
  }
  if (sections.has("gateway")) answers.gateway = await askGateway(current);
  if (sections.has("workspace")) answers.workspace = ws ?? (await askWorkspace(ctx, current, paths));
  if (sections.has("model")) {
    const m = await askModel(ctx, current, paths);
    if (m) answers.model = m;
  }
  if (sections.has("channels") && ctx.options["skip-channels"] !== true) {
    const check = async (token: string, apiRoot: string): Promise<string | undefined> => {
      const r = await checkTelegramToken({ token, apiRoot, env: ctx.env });
      if (r.ok) say.info(`Telegram bot @${r.username ?? "?"} answered getMe`);
      return r.ok ? undefined : (r.error ?? "getMe failed");
    };
    const t = await askChannel(current, ctx.options["skip-health"] === true ? undefined : check);
    if (t) answers.telegram = t;
  }
  return answers;
}

/** Plans everything, runs the checks (probe, getMe) and returns what would change; writes nothing. */
async function plan(ctx: CommandContext, mode: Mode, answers: OnboardAnswers, current: Record<string, unknown>, interactive: boolean): Promise<Plan> {
  const paths = ctx.paths();
  const sets = planConfigSets(current, answers, { defaultWorkspace: paths.layout.defaultWorkspaceDir, generateToken: newToken, baseline: mode !== "configure" });
  const preview = await previewConfig({ configPath: paths.configPath, env: ctx.env, sets });
  const skipHealth = ctx.options["skip-health"] === true;
  let credential: Plan["credential"];
  const m = answers.model;
  if (m?.apiKey) {
    credential = { plan: planCredential({ config: preview.planned, paths, env: ctx.env, provider: m.provider, key: m.apiKey }), key: m.apiKey };
    if (!skipHealth) {
      const probe = await probeCredential({ planned: preview.planned, env: ctx.env, provider: m.provider, key: m.apiKey, signal: ctx.io.signal });
      const line = `${m.provider} probe (${probe.model ?? "?"}): ${probe.status}${probe.latencyMs !== undefined ? ` in ${probe.latencyMs} ms` : ""}${probe.error ? ` — ${probe.error}` : ""}`;
      if (probe.status !== "ok") {
        if (!interactive) throw new AppError("AUTH_MISSING", `the ${m.provider} credential did not work: ${line}`, { hint: "Check the key (and --custom-base-url); nothing was written. --skip-health skips this check." });
        say.warn(line);
        if (!(await askConfirm("The credential did not answer. Save it anyway?", false))) throw new AppError("INTERRUPTED", "stopped at the model step; nothing was written");
      } else if (interactive) say.info(line);
      else ctx.warn(line);
    }
  }
  const tg = answers.telegram;
  if (tg?.botToken && !skipHealth && !interactive) {
    const r = await checkTelegramToken({ token: tg.botToken, env: ctx.env, ...(tg.apiRoot ? { apiRoot: tg.apiRoot } : {}) });
    if (!r.ok) throw new AppError("USAGE", `Telegram rejected the bot token: ${r.error}`, { hint: "Copy the token from @BotFather again; nothing was written. --skip-health skips this check." });
    ctx.warn(`Telegram bot @${r.username ?? "?"} answered getMe`);
  }
  const workspace = workspaceOf(ctx, preview.planned);
  const touchesWorkspace = mode !== "configure" || answers.workspace !== undefined;
  return { preview, ...(credential ? { credential } : {}), workspace, stateDirMissing: !existsSync(paths.stateDir), missing: touchesWorkspace ? workspaceMissing(workspace, ctx.options["skip-bootstrap"] === true) : [] };
}

/** The pending changes as lines (diff masked, credential masked); empty when nothing changes. */
function describe(ctx: CommandContext, p: Plan): string[] {
  const lines: string[] = [];
  if (p.stateDirMissing) lines.push(`+ state dir ${ctx.paths().stateDir} (0700)`);
  if (p.preview.changed) lines.push(`${p.preview.exists ? "~" : "+"} ${p.preview.configPath}:`, ...p.preview.diff.map((l) => `  ${l}`));
  if (p.credential?.plan.changed) lines.push(`~ ${p.credential.plan.file}: ${p.credential.plan.profileId} = api_key ${p.credential.plan.masked}`);
  for (const f of p.missing) lines.push(`+ ${f}`);
  return lines;
}

function sectionsOf(raw: unknown): Set<Section> {
  if (raw === undefined) return new Set(ALL_SECTIONS);
  const alias: Record<string, Section> = { models: "model", model: "model", channel: "channels", channels: "channels", gateway: "gateway", workspace: "workspace", daemon: "daemon", service: "daemon", health: "health" };
  const out = new Set<Section>();
  for (const s of String(raw).split(",").map((x) => x.trim().toLowerCase()).filter(Boolean)) {
    const hit = alias[s];
    if (!hit) throw new AppError("USAGE", `unknown --section "${s}"`, { hint: `Use one of ${ALL_SECTIONS.join(", ")} (models and channels accepted).` });
    out.add(hit);
  }
  return out;
}

/** Runs one first-run command end to end. */
export async function runFirstRun(ctx: CommandContext, mode: Mode): Promise<CommandResult> {
  const nonInteractive = mode === "setup" || ctx.options["non-interactive"] === true;
  const interactive = !nonInteractive;
  if (interactive && process.stdin.isTTY !== true) {
    throw new AppError("USAGE", `openclaw ${mode} asks questions and needs a terminal`, { hint: `Pass --non-interactive with flags (see openclaw ${mode} --help).` });
  }
  if (mode === "onboard" && nonInteractive && ctx.options["accept-risk"] !== true) {
    throw new AppError("USAGE", "onboard --non-interactive needs --accept-risk", { hint: "Agents can run tools with your user's access; pass --accept-risk to confirm you understand." });
  }
  const sections = mode === "configure" ? sectionsOf(ctx.options.section) : new Set(ALL_SECTIONS);
  const paths = ctx.paths();
  const read = readCurrentConfig(paths.configPath, ctx.env);
  if (mode === "configure" && !read.exists) throw new AppError("NOT_FOUND", `no config at ${paths.configPath}`, { hint: "Run openclaw onboard (or openclaw setup) first." });
  if (interactive) {
    say.intro(mode === "onboard" ? "OpenClaw onboarding" : `OpenClaw configure (${[...sections].join(", ")})`);
    if (mode === "onboard" && ctx.options["accept-risk"] !== true && !(await askConfirm("Agents can run tools with your user's access on this machine. Continue?", true))) {
      throw new AppError("INTERRUPTED", "cancelled; nothing was written");
    }
  }
  const answers = await collect(ctx, mode, sections, read.current, interactive);
  const p = await plan(ctx, mode, answers, read.current, interactive);
  const changes = describe(ctx, p);
  const out: string[] = [];
  let written = false;
  if (changes.length === 0) {
    if (interactive) say.info("no changes");
    out.push("no changes");
  } else {
    if (interactive) {
      say.note(changes.join("\n"), "Changes");
      if (!(await askConfirm("Write these changes?", true))) throw new AppError("INTERRUPTED", "nothing was written");
    } else out.push("Changes:", ...changes);
    ensureStateDir(paths.stateDir);
    const committed = await commitConfig(p.preview, ctx.env);
    if (p.credential) saveCredential(p.credential.plan, p.credential.key);
    if (p.missing.length) bootstrapWorkspace(p.workspace, ctx.options["skip-bootstrap"] === true);
    written = true;
    out.push(`Wrote ${paths.configPath}${committed.backupPath ? ` (previous kept as ${committed.backupPath})` : ""}`);
  }
  ensureStateDir(paths.stateDir);
  const service = await maybeInstall(ctx, sections, interactive);
  out.push(...service.lines);
  const health = await maybeStatus(ctx, mode, sections, service.installed);
  out.push(...health.lines);
  if (interactive) say.outro(written ? "Done." : "Done (no changes).");
  const exitCode: ExitCode = service.exitCode !== EXIT.ok ? service.exitCode : health.exitCode;
  const data = {
    changed: changes.length > 0,
    configPath: paths.configPath,
    diff: p.preview.diff,
    workspace: p.workspace,
    created: p.missing,
    ...(p.credential ? { credential: { profileId: p.credential.plan.profileId, file: p.credential.plan.file, changed: p.credential.plan.changed, key: p.credential.plan.masked } } : {}),
    service: service.data,
    status: health.data,
  };
  return { data, human: out.map((l) => redactText(l)), exitCode };
}

async function maybeInstall(ctx: CommandContext, sections: Set<Section>, interactive: boolean): Promise<{ lines: string[]; installed: boolean; exitCode: ExitCode; data: unknown }> {
  const none = { lines: [], installed: false, exitCode: EXIT.ok as ExitCode, data: null };
  if (!sections.has("daemon") || ctx.options["skip-daemon"] === true || ctx.options["install-daemon"] === false) return none;
  const wanted = interactive ? await askConfirm("Install the gateway as a service and start it?", true) : ctx.options["install-daemon"] === true;
  if (!wanted) return none;
  if (interactive) say.step("Installing the gateway service…");
  const { run } = await import("../gateway/install.js");
  const r = await run({ ...ctx, args: [], options: {}, json: false });
  const lines = Array.isArray(r.human) ? r.human : r.human ? [r.human] : [];
  if (interactive) say.info(lines.join("\n"));
  return { lines: interactive ? [] : lines, installed: true, exitCode: r.exitCode ?? EXIT.ok, data: r.data ?? null };
}

async function maybeStatus(ctx: CommandContext, mode: Mode, sections: Set<Section>, installed: boolean): Promise<{ lines: string[]; exitCode: ExitCode; data: unknown }> {
  const none = { lines: [], exitCode: EXIT.ok as ExitCode, data: null };
  if (ctx.options["skip-health"] === true || !sections.has("health")) return none;
  if (mode !== "onboard" && !installed) return none;
  const { run } = await import("../status.js");
  const r = await run({ ...ctx, args: [], options: {}, json: false });
  const lines = Array.isArray(r.human) ? r.human : r.human ? [r.human] : [];
  return { lines: ["", "Status:", ...lines], exitCode: EXIT.ok, data: r.data ?? null };
}
