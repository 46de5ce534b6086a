/**
 * `openclaw sandbox recreate --all | --session <key> | --agent <id> [--force] [--json]`: removes the
 * selected sandbox containers; the next use of each scope creates a fresh one from the current
 * config. Asks on a terminal; without one (or with --json) --force is required.
 */
import { createInterface } from "node:readline/promises";
import { listSandboxContainers, selectSandboxContainers } from "../../../sandbox/index.js";
import { AppError, EXIT, toAppError } from "../../../shared/index.js";
import type { CommandContext, CommandHandler } from "../../types.js";
import { loadSandboxContext } from "./common.js";

async function confirm(ctx: CommandContext, question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const onAbort = () => rl.close();
  ctx.io.signal.addEventListener("abort", onAbort, { once: true });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } catch {
    return false;
  } finally {
    ctx.io.signal.removeEventListener("abort", onAbort);
    rl.close();
  }
}

export const run: CommandHandler = async (ctx) => {
  const session = typeof ctx.options.session === "string" ? ctx.options.session : undefined;
  const agent = typeof ctx.options.agent === "string" ? ctx.options.agent : undefined;
  const all = ctx.options.all === true;
  const chosen = [all, session !== undefined, agent !== undefined].filter(Boolean).length;
  if (chosen === 0) throw new AppError("USAGE", "sandbox recreate needs a scope: --all, --session <key> or --agent <id>", { hint: "openclaw sandbox list shows the containers and their session keys" });
  if (chosen > 1) throw new AppError("USAGE", "sandbox recreate takes only one of --all, --session, --agent", { hint: "openclaw sandbox recreate --all --force" });
  const { config, docker } = loadSandboxContext(ctx);
  await docker.ping();
  const selected = selectSandboxContainers(await listSandboxContainers(docker, config), { all, ...(session !== undefined ? { session } : {}), ...(agent !== undefined ? { agent } : {}) });
  if (selected.length === 0) return { data: { removed: [], failed: [] }, human: "No sandbox containers match; nothing to recreate (openclaw sandbox list shows what exists)." };
  const preview = selected.map((c) => `  - ${c.containerName} (${c.running ? "running" : c.state}, ${c.sessionKey})`);
  if (ctx.options.force !== true) {
    const interactive = process.stdin.isTTY === true && ctx.io.stderr.isTTY === true && !ctx.json;
    const flag = all ? "--all" : session !== undefined ? `--session ${JSON.stringify(session)}` : `--agent ${agent}`;
    if (!interactive) throw new AppError("USAGE", `sandbox recreate would remove ${selected.length} container(s) and needs --force when it cannot ask (no terminal or --json)`, { hint: `openclaw sandbox recreate ${flag} --force` });
    const yes = await confirm(ctx, `Sandbox containers to be removed (recreated on next use):\n${preview.join("\n")}\nRemove ${selected.length} container(s)? [y/N] `);
    if (!yes) return { data: { removed: [], failed: [], cancelled: true }, human: "Cancelled: nothing removed.", exitCode: EXIT.failed };
  }
  const removed: string[] = [];
  const failed: Array<{ containerName: string; error: string }> = [];
  for (const c of selected) {
    try {
      await docker.removeContainer(c.containerName);
      removed.push(c.containerName);
    } catch (error) {
      failed.push({ containerName: c.containerName, error: toAppError(error).message });
    }
  }
  const human = [
    ...selected.map((c) => `${removed.includes(c.containerName) ? "removed" : "FAILED "} ${c.containerName} (${c.sessionKey})`),
    `Done: ${removed.length} removed, ${failed.length} failed.`,
    ...(removed.length > 0 ? ["Containers are recreated automatically the next time their session runs a command."] : []),
    ...failed.map((f) => `  ${f.containerName}: ${f.error}`),
  ];
  return { data: { removed, failed }, human, exitCode: failed.length > 0 ? EXIT.failed : EXIT.ok };
};
