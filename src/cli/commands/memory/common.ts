/** What the `openclaw memory …` commands share: the selected agents' memory settings and small renderers. */
import { assertConfigReadable, type OpenClawConfig, readConfigInput } from "../../../config/index.js";
import type { MemorySettings } from "../../../memory/index.js";
import { resolveMemoryTargets } from "../../../ops/index.js";
import type { CommandContext } from "../../types.js";

/** The config (an unreadable file is CONFIG_PARSE with file:line) and the memory settings of the selected agents. */
export function loadMemoryTargets(ctx: CommandContext, scope: "all" | "default"): { config: OpenClawConfig; targets: MemorySettings[] } {
  const snapshot = readConfigInput({ configPath: ctx.paths().configPath, env: ctx.env, lenientEnv: true });
  assertConfigReadable(snapshot);
  const config = snapshot.input as OpenClawConfig;
  const agentId = typeof ctx.options.agent === "string" ? ctx.options.agent : undefined;
  const targets = resolveMemoryTargets({ config, layout: ctx.paths().layout, env: ctx.env, all: scope === "all", ...(agentId !== undefined ? { agentId } : {}) });
  return { config, targets };
}

/** `12.3 MB`, `640 B`. */
export function renderBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** `3m ago`, `just now`. */
export function renderAgo(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 5) return "just now";
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : s < 86400 ? `${Math.round(s / 3600)}h ago` : `${Math.round(s / 86400)}d ago`;
}

/** `4.2 s`, `1m 05s`. */
export function renderDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `${m}m ${String(Math.round(s - m * 60)).padStart(2, "0")}s`;
}
