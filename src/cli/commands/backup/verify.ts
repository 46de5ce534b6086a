/**
 * `openclaw backup verify <archive>` — manifest, checksums and the same refusal rules restore
 * applies (links, entry types, externals), checked against the state dir a restore would write.
 * Our layout and OpenClaw's (`<root>/manifest.json`). Exit 0, or 3 with each problem.
 */
import { resolvePaths } from "../../../infra/index.js";
import { restoreTargetFor, verifyBackup } from "../../../ops/index.js";
import { EXIT } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";

export const run: CommandHandler = async (ctx) => {
  const archive = ctx.args[0]!;
  const o = ctx.options;
  const paths = typeof o["state-dir"] === "string" ? resolvePaths({ ...ctx.env, OPENCLAW_STATE_DIR: o["state-dir"], OPENCLAW_CONFIG_PATH: undefined }) : ctx.paths();
  const r = await verifyBackup(archive, restoreTargetFor(paths), { deep: o.deep === true });
  const externals = r.externals.map((x) => ({ id: x.id, kind: x.kind, source: x.source, dest: x.dest, status: x.status, ...(x.reason ? { reason: x.reason } : {}) }));
  const data = { ok: r.ok, archive: r.archive, layout: r.layout, checked: r.checked, problems: r.problems, notes: r.notes, createdAt: r.manifest?.createdAt ?? null, mode: r.manifest?.mode ?? null, entries: r.manifest?.entries.length ?? 0, externals };
  const human = r.ok
    ? [
        r.layout === "plain" ? `${archive}: ok (${r.checked} files, nothing to check them against)` : `${archive}: ok (${r.checked} files checked, created ${r.manifest?.createdAt} on ${r.manifest?.host}, ${r.manifest?.mode}${r.layout === "openclaw" && !r.manifest?.version ? ", made by OpenClaw" : ""})`,
        ...r.notes.map((n) => `  ${n}`),
        ...r.externals.map((x) => `  writes outside the state dir (restore asks first, or --force): ${x.dest}`),
      ]
    : [`${archive}: ${r.problems.length} problem(s)`, ...r.problems.map((p) => `  ${p}`), ...r.notes.map((n) => `  note: ${n}`)];
  return { data, human, exitCode: r.ok ? EXIT.ok : EXIT.problems };
};
