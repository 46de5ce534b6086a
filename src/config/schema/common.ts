/** Building blocks shared by the config schema sections. */
import { z } from "zod";

/** A section we own: unknown keys are errors. */
export const strict = z.strictObject;
/** A section we do not fully model yet: known keys are typed, unknown keys are kept as they are. */
export const loose = z.looseObject;

/** `{ source, provider, id }` — a reference to a secret held elsewhere (spec §2.4). */
export const SecretRef = z
  .strictObject({
    source: z.enum(["env", "file", "exec"]),
    provider: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/).optional(),
    id: z.string().min(1),
  })
  .describe("A reference to a secret held in the environment, a file or a command.");

/** A credential: a literal string (often `${VAR}`) or a SecretRef. */
export const SecretInput = z.union([z.string(), SecretRef]);

export const Port = z.number().int().min(1).max(65535);
export const LogLevel = z.enum(["silent", "fatal", "error", "warn", "info", "debug", "trace"]);
export const StringList = z.array(z.string());
/** Allowlist entries: phone numbers, ids, usernames (strings or numbers). */
export const AllowList = z.array(z.union([z.string(), z.number()]));
/** Anything, kept verbatim. */
export const Anything = z.unknown();
export const AnyRecord = z.record(z.string(), z.unknown());
