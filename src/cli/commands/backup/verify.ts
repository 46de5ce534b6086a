/** `openclaw backup verify <archive>` — manifest, checksums, entry safety. Exit 0 or 3 with each problem. */
import { verifyBackup } from "../../../ops/index.js";
import { EXIT } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";

export const run: CommandHandler = async (ctx) => {
  const archive = ctx.args[0]!;
  const r = await verifyBackup(archive);
  const data = { ok: r.ok, archive: r.archive, checked: r.checked, problems: r.problems, createdAt: r.manifest?.createdAt ?? null, mode: r.manifest?.mode ?? null, entries: r.manifest?.entries.length ?? 0 };
  const human = r.ok
    ? [`${archive}: ok (${r.checked} files checked, created ${r.manifest?.createdAt} on ${r.manifest?.host}, ${r.manifest?.mode})`]
    : [`${archive}: ${r.problems.length} problem(s)`, ...r.problems.map((p) => `  ${p}`)];
  return { data, human, exitCode: r.ok ? EXIT.ok : EXIT.problems };
};
