/**
 * A small Docker Engine API client over dockerode for the sandbox: where Docker is (DOCKER_HOST or
 * /var/run/docker.sock), ping, list/inspect/create/start/remove containers, inspect images, and exec
 * with stdout/stderr demultiplexed and a deadline. dockerode is imported lazily (never on CLI paths
 * that do not touch Docker). Every failure to reach Docker is one AppError,
 * `SANDBOX_DOCKER_UNREACHABLE`: "Docker is not reachable at <where>: <cause>" with the fix.
 */
import type Dockerode from "dockerode";
import { AppError, type Env } from "../shared/index.js";

/** Where the Docker Engine API listens. */
export interface DockerTarget {
  socketPath?: string;
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  /** What error messages show (`/var/run/docker.sock`, `tcp://host:2375`). */
  display: string;
}

export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";
/** Deadline for one API call (ping, list, create, …); exec has its own. */
export const DOCKER_API_TIMEOUT_MS = 15_000;

/** `DOCKER_HOST` (`unix://…`, `tcp://host:port`) or the default socket. */
export function resolveDockerTarget(env: Env): DockerTarget {
  const raw = env.DOCKER_HOST?.trim();
  if (!raw) return { socketPath: DEFAULT_DOCKER_SOCKET, display: DEFAULT_DOCKER_SOCKET };
  if (raw.startsWith("unix://")) {
    const p = raw.slice("unix://".length) || DEFAULT_DOCKER_SOCKET;
    return { socketPath: p, display: p };
  }
  if (raw.startsWith("/")) return { socketPath: raw, display: raw };
  try {
    const u = new URL(raw.replace(/^tcp:/, "http:"));
    const tls = env.DOCKER_TLS_VERIFY === "1" || u.protocol === "https:";
    return { host: u.hostname, port: Number(u.port || (tls ? 2376 : 2375)), protocol: tls ? "https" : "http", display: raw };
  } catch {
    return { socketPath: raw, display: raw };
  }
}

const FIX = "start Docker, set DOCKER_HOST to its socket, or turn the sandbox off (openclaw config set agents.defaults.sandbox.mode off)";

/** The one-line error for an unreachable Docker. */
export function dockerUnreachable(target: DockerTarget, cause: unknown): AppError {
  const e = cause as { code?: string; message?: string } | undefined;
  const why = e?.code === "ENOENT" ? "no such socket" : e?.code === "ECONNREFUSED" ? "connection refused" : e?.code === "EACCES" ? "permission denied" : e?.code === "TIMEOUT" ? "no answer in time" : (e?.message ?? String(cause)).split("\n")[0];
  return new AppError("SANDBOX_DOCKER_UNREACHABLE", `Docker is not reachable at ${target.display}: ${why}`, { hint: FIX, cause });
}

const isHttpError = (e: unknown): e is { statusCode: number; message: string; json?: { message?: string } } => typeof (e as { statusCode?: unknown })?.statusCode === "number";

function httpMessage(e: { message: string; json?: unknown }): string {
  const j = e.json as { message?: unknown } | undefined;
  return typeof j?.message === "string" ? j.message : e.message.replace(/^\(HTTP code \d+\)\s*/, "").trim();
}

/** A container as `docker ps` lists it. */
export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  running: boolean;
  state: string;
  labels: Record<string, string>;
  createdAtMs: number;
}

/** A container's details (`docker inspect`). */
export interface ContainerDetails {
  id: string;
  name: string;
  running: boolean;
  image: string;
  labels: Record<string, string>;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Bytes beyond `maxBytes` (counted, not kept). */
  droppedBytes: number;
  exitCode: number | null;
  timedOut: boolean;
  aborted: boolean;
}

export interface ExecRequest {
  container: string;
  cmd: string[];
  workdir?: string;
  env?: Record<string, string>;
  /** 0 = no deadline. */
  timeoutMs: number;
  signal?: AbortSignal;
  maxBytes: number;
}

/** The Docker calls the sandbox needs. */
export class DockerClient {
  private api: Dockerode | undefined;
  private streams: Dockerode | undefined;

  constructor(
    readonly target: DockerTarget,
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  private async load(): Promise<{ api: Dockerode; streams: Dockerode }> {
    if (!this.api || !this.streams) {
      const { default: Docker } = await import("dockerode");
      const base = { ...(this.target.socketPath ? { socketPath: this.target.socketPath } : { host: this.target.host, port: this.target.port, protocol: this.target.protocol }) };
      this.api = new Docker({ ...base, timeout: this.options.timeoutMs ?? DOCKER_API_TIMEOUT_MS });
      // Exec streams stay open as long as the command runs: their deadline is the exec's own.
      this.streams = new Docker(base);
    }
    return { api: this.api, streams: this.streams };
  }

  /** Runs one API call; unreachable → SANDBOX_DOCKER_UNREACHABLE, an HTTP error → SANDBOX_DOCKER_FAILED naming `what`. */
  private async call<T>(what: string, fn: (d: Dockerode) => Promise<T>): Promise<T> {
    const { api } = await this.load();
    try {
      return await fn(api);
    } catch (error) {
      throw this.wrap(what, error);
    }
  }

  private wrap(what: string, error: unknown): AppError {
    if (error instanceof AppError) return error;
    if (isHttpError(error)) return new AppError("SANDBOX_DOCKER_FAILED", `docker ${what} failed (HTTP ${error.statusCode}): ${httpMessage(error)}`, { hint: "check `docker info` and the sandbox settings (openclaw sandbox explain)", cause: error });
    const timedOut = /timeout|socket hang up/i.test((error as Error)?.message ?? "") ? { code: "TIMEOUT" } : error;
    return dockerUnreachable(this.target, timedOut);
  }

  /** `GET /_ping`: resolves when Docker answers, else throws SANDBOX_DOCKER_UNREACHABLE. */
  async ping(): Promise<void> {
    await this.call("ping", (d) => d.ping());
  }

  async version(): Promise<{ version: string; apiVersion: string }> {
    const v = await this.call("version", (d) => d.version());
    return { version: v.Version, apiVersion: v.ApiVersion };
  }

  /** Containers carrying `label` (all states). */
  async listContainers(label: string): Promise<ContainerSummary[]> {
    const list = await this.call("list", (d) => d.listContainers({ all: true, filters: JSON.stringify({ label: [label] }) }));
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names?.[0] ?? c.Id).replace(/^\//, ""),
      image: c.Image,
      running: c.State === "running",
      state: c.State,
      labels: c.Labels ?? {},
      createdAtMs: (c.Created ?? 0) * 1000,
    }));
  }

  /** The container, or undefined when there is none by that name. */
  async inspectContainer(name: string): Promise<ContainerDetails | undefined> {
    try {
      const c = await this.call("inspect", (d) => d.getContainer(name).inspect());
      return { id: c.Id, name: c.Name.replace(/^\//, ""), running: c.State?.Running === true, image: c.Config?.Image ?? "", labels: c.Config?.Labels ?? {} };
    } catch (error) {
      if (error instanceof AppError && /HTTP 404/.test(error.message)) return undefined;
      throw error;
    }
  }

  /** Whether an image is present locally (`GET /images/{name}/json`). */
  async hasImage(image: string): Promise<boolean> {
    try {
      await this.call("image inspect", (d) => d.getImage(image).inspect());
      return true;
    } catch (error) {
      if (error instanceof AppError && /HTTP 404/.test(error.message)) return false;
      throw error;
    }
  }

  async createContainer(options: Dockerode.ContainerCreateOptions): Promise<string> {
    const c = await this.call("create", (d) => d.createContainer(options));
    return c.id;
  }

  async startContainer(idOrName: string): Promise<void> {
    await this.call("start", (d) => d.getContainer(idOrName).start());
  }

  async removeContainer(idOrName: string): Promise<void> {
    await this.call("remove", (d) => d.getContainer(idOrName).remove({ force: true }));
  }

  /** Runs `cmd` in a running container; stdout and stderr kept apart, each up to `maxBytes` together. */
  async exec(req: ExecRequest): Promise<ExecResult> {
    const exec = await this.call("exec", (d) =>
      d.getContainer(req.container).exec({
        Cmd: req.cmd,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        ...(req.workdir ? { WorkingDir: req.workdir } : {}),
        ...(req.env ? { Env: Object.entries(req.env).map(([k, v]) => `${k}=${v}`) } : {}),
      }),
    );
    const { streams } = await this.load();
    let stream: NodeJS.ReadWriteStream;
    try {
      stream = (await streams.getExec(exec.id).start({ hijack: true, stdin: false })) as NodeJS.ReadWriteStream;
    } catch (error) {
      throw this.wrap("exec start", error);
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let kept = 0;
    let dropped = 0;
    // demuxStream calls write() with each frame's payload, synchronously: plain sinks, nothing buffered.
    const sink = (into: Buffer[]) => ({
      write: (b: Buffer) => {
        const room = req.maxBytes - kept;
        const part = room <= 0 ? b.subarray(0, 0) : b.length <= room ? b : b.subarray(0, room);
        if (part.length > 0) into.push(part);
        kept += part.length;
        dropped += b.length - part.length;
        return true;
      },
    });
    streams.modem.demuxStream(stream, sink(out) as unknown as NodeJS.WritableStream, sink(err) as unknown as NodeJS.WritableStream);
    const ended = await new Promise<"end" | "timeout" | "abort">((resolve) => {
      const done = (how: "end" | "timeout" | "abort") => {
        if (timer) clearTimeout(timer);
        req.signal?.removeEventListener("abort", onAbort);
        resolve(how);
      };
      const onAbort = () => done("abort");
      const timer = req.timeoutMs > 0 ? setTimeout(() => done("timeout"), Math.min(req.timeoutMs, 2_147_483_647)) : undefined;
      timer?.unref();
      if (req.signal?.aborted) return done("abort");
      req.signal?.addEventListener("abort", onAbort, { once: true });
      stream.on("end", () => done("end"));
      stream.on("close", () => done("end"));
      stream.on("error", () => done("end"));
    });
    if (ended !== "end") (stream as unknown as { destroy(): void }).destroy();
    let exitCode: number | null = null;
    if (ended === "end") {
      const info = await this.call("exec inspect", (d) => d.getExec(exec.id).inspect());
      exitCode = typeof info.ExitCode === "number" ? info.ExitCode : null;
    }
    return { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), droppedBytes: dropped, exitCode, timedOut: ended === "timeout", aborted: ended === "abort" };
  }
}
