/** Human output for `config set` / `config unset`. */
import type { ConfigEditResult } from "../../../config/index.js";

const RELOAD_TEXT = {
  hot: "a running gateway applies this without a restart",
  restart: "a running gateway restarts to apply this",
  none: "no gateway action needed",
} as const;

export function renderEdit(result: ConfigEditResult, verb: "set" | "unset"): string[] {
  if (!result.changed) return [`${result.path}: no change`];
  const lines: string[] = [];
  if (result.dryRun) {
    lines.push(`dry run: would ${verb} ${result.path} in ${result.configPath}`, ...result.diff);
  } else {
    lines.push(`${verb === "set" ? "Updated" : "Removed"} ${result.path} in ${result.configPath}${result.backupPath ? ` (previous version: ${result.backupPath})` : ""}`);
  }
  const paths = result.reload.kind === "restart" ? ` (${result.reload.restartPaths.join(", ")})` : "";
  lines.push(`Reload: ${result.reload.kind} — ${RELOAD_TEXT[result.reload.kind]}${paths}`);
  return lines;
}
