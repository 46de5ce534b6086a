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
  const { reload } = result;
  const paths = reload.kind === "restart" ? ` (${reload.restartPaths.join(", ")})` : "";
  if (reload.kind === "restart" && !reload.restartGateway) {
    // A subsystem-owned restart (e.g. one channel account): the gateway and its connections stay up.
    const owners = Object.keys(reload.byOwner).filter((o) => reload.byOwner[o as keyof typeof reload.byOwner]?.some((p) => reload.restartPaths.includes(p)));
    lines.push(`Reload: restart — a running gateway restarts only ${owners.join(", ")} to apply this; the gateway stays up${paths}`);
    return lines;
  }
  lines.push(`Reload: ${reload.kind} — ${RELOAD_TEXT[reload.kind]}${paths}`);
  return lines;
}
