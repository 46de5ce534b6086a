/** `openclaw backup create` — a complete, verifiable .tar.gz of the state (and the workspaces config points to). */
import { createBackup, defaultBackupPath } from "../../../ops/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { readVersion } from "../../version.js";

export const run: CommandHandler = async (ctx) => {
  const o = ctx.options;
  if (o.minimal === true && o.full === true) throw new AppError("USAGE", "--minimal and --full exclude each other", { hint: "Pick one (the default is --full)." });
  const paths = ctx.paths();
  const now = new Date();
  const output = typeof o.output === "string" ? o.output : defaultBackupPath(paths, now);
  const tty = ctx.io.stderr.isTTY === true && !ctx.json;
  let last = 0;
  const result = await createBackup({
    env: ctx.env,
    paths,
    output,
    mode: o.minimal === true ? "minimal" : "full",
    excludeSessions: o["exclude-sessions"] === true,
    includeLogs: o["include-logs"] === true,
    now,
    runtimeVersion: readVersion(),
    ...(tty
      ? {
          onProgress: (done: number, total: number) => {
            const t = Date.now();
            if (t - last < 100 && done < total) return;
            last = t;
            ctx.io.stderr.write(`\rbacking up ${(done / 1048576).toFixed(1)} / ${(total / 1048576).toFixed(1)} MiB`);
          },
        }
      : {}),
  });
  if (tty) ctx.io.stderr.write("\n");
  return {
    data: result,
    human: [
      `wrote ${result.archive} (${(result.bytes / 1048576).toFixed(1)} MiB, ${result.files} files, ${(result.sourceBytes / 1048576).toFixed(1)} MiB of data, mode 0600)`,
      `  ${result.excluded} path(s) left out (see "skipped" in the archive's manifest.json); sha256 ${result.sha256}`,
      ...result.notes.map((n) => `  note: ${n}`),
      ...result.externals.map((e) => `  included ${e.kind} outside the state dir: ${e.originalPath}`),
      `check it: openclaw backup verify ${result.archive}`,
    ],
  };
};
