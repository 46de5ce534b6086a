/** `openclaw config validate` — every problem with path, file and line; exit 3 when any. */
import { type ConfigIssue, checkGatewayConfig, formatIssue, loadConfigRuntime, resolveRuntimeConfig } from "../../../config/index.js";
import { EXIT } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";

export const run: CommandHandler = async (ctx) => {
  const { loadConfigSnapshot } = await loadConfigRuntime();
  const { configPath } = ctx.paths();
  const snap = loadConfigSnapshot({ configPath, env: ctx.env });
  // The gateway's own guard for gateway.mode: a note, since a config for a remote gateway is valid.
  if (snap.config) {
    for (const f of checkGatewayConfig(resolveRuntimeConfig(snap.config, ctx.env).config, ctx.env).findings) {
      if (f.code !== "GATEWAY_MODE_UNSET") continue;
      const issue: ConfigIssue = { kind: "gateway", path: f.path, message: `the gateway will not start on this host: gateway.mode is ${snap.config.gateway.mode ?? "unset"} (${f.hint})`, ...(snap.locate(["gateway", "mode"]) ?? {}) };
      snap.warnings.push(issue);
    }
  }
  const data = { valid: snap.valid, path: configPath, exists: snap.exists, hash: snap.hash, files: snap.files, issues: snap.issues, warnings: snap.warnings };
  const human: string[] = [];
  if (!snap.exists) human.push(`No config file at ${configPath}; defaults apply (the gateway needs gateway.mode=local to start).`);
  else if (snap.valid) human.push(`Config valid: ${configPath}`);
  else human.push(`Config invalid: ${configPath} (${snap.issues.length} problem${snap.issues.length === 1 ? "" : "s"})`);
  for (const issue of snap.issues) {
    human.push(`  ✖ ${formatIssue(issue)}`);
    if (issue.excerpt) human.push(issue.excerpt.replace(/^/gm, "    "));
  }
  for (const w of snap.warnings) human.push(`  ! ${formatIssue(w)}`);
  return { data, human, exitCode: snap.valid ? EXIT.ok : EXIT.problems };
};
