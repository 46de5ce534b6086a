/**
 * One error type for the whole program and one table that maps each error code to its exit code,
 * HTTP status and retry semantics. Commands throw `AppError`; the CLI shell and the gateway's
 * dispatcher are the only places that translate it into an exit code or a wire error.
 */
import { redactText, redactValue } from "./redact.js";

/**
 * Exit codes of the `openclaw` command. Where OpenClaw has a code for a condition we use the same
 * one: 78 (EX_CONFIG) for every start refusal a restart cannot fix — invalid config, `gateway.mode`
 * unset, a non-loopback bind without auth — so `RestartPreventExitStatus=78` covers them all.
 * OpenClaw exits 1 for a held lock or a busy port; ours are distinct (73 EX_CANTCREAT, 75
 * EX_TEMPFAIL) so supervisors and scripts can tell them apart.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  problems: 3,
  unreachable: 4,
  interrupted: 130,
  /** Gateway start refusals (distinct so supervisors and scripts can tell them apart). */
  gatewayLocked: 73,
  gatewayPortInUse: 75,
  gatewayConfigInvalid: 78,
  /** OpenClaw: 78 ("Gateway start blocked: existing config is missing gateway.mode"). */
  gatewayModeUnset: 78,
  /** OpenClaw: 78 ("Refusing to bind gateway to lan without auth"). */
  gatewayBindWithoutAuth: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

interface ErrorSpec {
  exit: ExitCode;
  http: number;
  retryable: boolean;
  /** The code put on the wire (OpenClaw's `ErrorCodes`). */
  wire: "INVALID_REQUEST" | "UNAVAILABLE" | "FORBIDDEN" | "NOT_PAIRED" | "NOT_LINKED" | "AGENT_TIMEOUT";
}

/** The error table: every code the program raises. */
export const ERROR_TABLE = {
  USAGE: { exit: EXIT.usage, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  UNKNOWN_COMMAND: { exit: EXIT.usage, http: 404, retryable: false, wire: "INVALID_REQUEST" },
  UNKNOWN_OPTION: { exit: EXIT.usage, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  CONFIG_PARSE: { exit: EXIT.failed, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  CONFIG_INVALID: { exit: EXIT.failed, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  CONFIG_INCLUDE: { exit: EXIT.failed, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  /** A config file (root or include) that is not a regular file: FIFO, device, directory. */
  CONFIG_NOT_REGULAR: { exit: EXIT.failed, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  /** A config file or config text over the size cap. */
  CONFIG_TOO_LARGE: { exit: EXIT.failed, http: 413, retryable: false, wire: "INVALID_REQUEST" },
  CONFIG_ENV_MISSING: { exit: EXIT.failed, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  CONFIG_PATH: { exit: EXIT.usage, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  CONFIG_PATH_NOT_FOUND: { exit: EXIT.failed, http: 404, retryable: false, wire: "INVALID_REQUEST" },
  CONFIG_VALUE: { exit: EXIT.usage, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  CONFIG_READONLY: { exit: EXIT.failed, http: 409, retryable: false, wire: "INVALID_REQUEST" },
  CONFIG_CONFLICT: { exit: EXIT.failed, http: 409, retryable: true, wire: "INVALID_REQUEST" },
  PROFILE: { exit: EXIT.usage, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  FS: { exit: EXIT.failed, http: 500, retryable: false, wire: "UNAVAILABLE" },
  NOT_FOUND: { exit: EXIT.failed, http: 404, retryable: false, wire: "INVALID_REQUEST" },
  SESSION_LOCKED: { exit: EXIT.failed, http: 409, retryable: true, wire: "UNAVAILABLE" },
  CHECK_FAILED: { exit: EXIT.problems, http: 500, retryable: false, wire: "UNAVAILABLE" },
  UNREACHABLE: { exit: EXIT.unreachable, http: 503, retryable: true, wire: "UNAVAILABLE" },
  TIMEOUT: { exit: EXIT.unreachable, http: 504, retryable: true, wire: "UNAVAILABLE" },
  UNAUTHORIZED: { exit: EXIT.failed, http: 401, retryable: false, wire: "FORBIDDEN" },
  FORBIDDEN: { exit: EXIT.failed, http: 403, retryable: false, wire: "FORBIDDEN" },
  RATE_LIMITED: { exit: EXIT.failed, http: 429, retryable: true, wire: "UNAVAILABLE" },
  PAYLOAD_TOO_LARGE: { exit: EXIT.failed, http: 413, retryable: false, wire: "INVALID_REQUEST" },
  UNAVAILABLE: { exit: EXIT.failed, http: 503, retryable: true, wire: "UNAVAILABLE" },
  INTERRUPTED: { exit: EXIT.interrupted, http: 499, retryable: false, wire: "UNAVAILABLE" },
  INTERNAL: { exit: EXIT.failed, http: 500, retryable: false, wire: "UNAVAILABLE" },
  /** No usable credential for a model provider. */
  AUTH_MISSING: { exit: EXIT.failed, http: 401, retryable: false, wire: "UNAVAILABLE" },
  /** An OAuth credential expired and its refresh failed. */
  AUTH_EXPIRED: { exit: EXIT.failed, http: 401, retryable: false, wire: "UNAVAILABLE" },
  /** `auth-profiles.json` unreadable or locked. */
  AUTH_STORE: { exit: EXIT.failed, http: 500, retryable: true, wire: "UNAVAILABLE" },
  /** A model provider refused or failed a request (after failover ran out of candidates). */
  PROVIDER_ERROR: { exit: EXIT.failed, http: 502, retryable: true, wire: "UNAVAILABLE" },
  /** An agent run that did not finish within its timeout. */
  AGENT_TIMEOUT: { exit: EXIT.failed, http: 504, retryable: true, wire: "AGENT_TIMEOUT" },
  /** A tool the agent policy does not allow, or an exec denied by security/approval. */
  TOOL_DENIED: { exit: EXIT.failed, http: 403, retryable: false, wire: "FORBIDDEN" },
  /** A model ref that names no known provider or model. */
  MODEL_UNKNOWN: { exit: EXIT.failed, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  /** A DM pairing store file (`credentials/<channel>-pairing.json`, `-allowFrom.json`) that cannot be read or parsed. */
  PAIRING_STORE: { exit: EXIT.failed, http: 500, retryable: false, wire: "UNAVAILABLE" },
  /** A memory index database that cannot be opened, read or written. */
  MEMORY_STORE: { exit: EXIT.failed, http: 500, retryable: true, wire: "UNAVAILABLE" },
  /** An embedding provider that failed, timed out or stalled while indexing or searching. */
  MEMORY_EMBEDDING: { exit: EXIT.failed, http: 502, retryable: true, wire: "UNAVAILABLE" },
  SERVICE_NOT_INSTALLED: { exit: EXIT.unreachable, http: 404, retryable: false, wire: "UNAVAILABLE" },
  SERVICE_FAILED: { exit: EXIT.failed, http: 500, retryable: true, wire: "UNAVAILABLE" },
  GATEWAY_LOCKED: { exit: EXIT.gatewayLocked, http: 409, retryable: true, wire: "UNAVAILABLE" },
  GATEWAY_PORT_IN_USE: { exit: EXIT.gatewayPortInUse, http: 409, retryable: true, wire: "UNAVAILABLE" },
  GATEWAY_CONFIG_INVALID: { exit: EXIT.gatewayConfigInvalid, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  GATEWAY_MODE_UNSET: { exit: EXIT.gatewayModeUnset, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  /** `tailscale serve|funnel` could not be set up (binary missing, command failed or timed out). */
  GATEWAY_TAILSCALE_FAILED: { exit: EXIT.failed, http: 502, retryable: true, wire: "UNAVAILABLE" },
  GATEWAY_BIND_WITHOUT_AUTH: { exit: EXIT.gatewayBindWithoutAuth, http: 400, retryable: false, wire: "INVALID_REQUEST" },
  /** The Docker Engine API (DOCKER_HOST or /var/run/docker.sock) did not answer: sandbox commands and sandboxed exec refuse. */
  SANDBOX_DOCKER_UNREACHABLE: { exit: EXIT.unreachable, http: 503, retryable: true, wire: "UNAVAILABLE" },
  /** Docker answered but refused a sandbox operation (create, start, exec, remove). */
  SANDBOX_DOCKER_FAILED: { exit: EXIT.failed, http: 502, retryable: true, wire: "UNAVAILABLE" },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_TABLE;

export interface AppErrorOptions {
  /** One line that names the fix. */
  hint?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** An expected failure: a code from the error table, a one-line sentence and a hint naming the fix. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  get exitCode(): ExitCode {
    return ERROR_TABLE[this.code].exit;
  }

  get retryable(): boolean {
    return ERROR_TABLE[this.code].retryable;
  }
}

/** Turns anything thrown into an `AppError`; unknown errors become `INTERNAL` with a correlation id. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const id = Math.random().toString(36).slice(2, 10);
  const message = error instanceof Error ? error.message : String(error);
  return new AppError("INTERNAL", `internal error (${id}): ${redactText(message)}`, {
    hint: "This is a bug; run again with --log-level debug and report it with the id above.",
    details: { correlationId: id },
    cause: error,
  });
}

/** The `--json` shape of a failure: `{"error":{"code","message","hint"}}`, secrets redacted (details too). */
export function renderErrorJson(error: AppError): { error: { code: string; message: string; hint?: string; details?: unknown } } {
  const out: { code: string; message: string; hint?: string; details?: unknown } = {
    code: error.code,
    message: redactText(error.message),
  };
  if (error.hint) out.hint = redactText(error.hint);
  if (error.details && error.code !== "INTERNAL") out.details = redactValue(error.details);
  return { error: out };
}
