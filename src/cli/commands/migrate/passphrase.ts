/** The passphrase that seals or opens a migration bundle's secrets: a file, an env var, or a prompt on a terminal (never argv). */
import { readFileSync } from "node:fs";
import { AppError } from "../../../shared/index.js";
import { promptHidden } from "../../prompt.js";
import type { CommandContext } from "../../types.js";

export const PASSPHRASE_ENV = "OPENCLAW_MIGRATE_PASSPHRASE";

/**
 * `--passphrase-file <file>`, else OPENCLAW_MIGRATE_PASSPHRASE, else a prompt when stdin and
 * stderr are a terminal (asked twice when sealing); undefined when none is available.
 */
export async function readPassphrase(ctx: CommandContext, o: { confirm: boolean }): Promise<string | undefined> {
  const file = ctx.options["passphrase-file"];
  if (typeof file === "string") {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new AppError("NOT_FOUND", `--passphrase-file ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { hint: "Write the passphrase alone in a file only you can read (chmod 600)." });
    }
    const value = text.replace(/\r?\n$/, "");
    if (!value) throw new AppError("USAGE", `--passphrase-file ${file} is empty`, { hint: "Write the passphrase in it." });
    return value;
  }
  const env = ctx.env[PASSPHRASE_ENV];
  if (typeof env === "string" && env) return env;
  if (process.stdin.isTTY !== true || ctx.io.stderr.isTTY !== true || ctx.json) return undefined;
  const first = await promptHidden("Passphrase for the migration secrets: ");
  if (o.confirm && (await promptHidden("Again: ")) !== first) throw new AppError("USAGE", "the two passphrases differ", { hint: "Run the command again." });
  return first || undefined;
}
