/**
 * A loopback Docker Engine API on a unix socket in a temp dir, speaking Docker's real endpoints (with
 * or without a `/v1.xx` prefix): `/_ping`, `/version`, `GET /containers/json?all&filters`,
 * `POST /containers/create?name=`, `POST /containers/{id}/start`, `GET /containers/{id}/json`,
 * `DELETE /containers/{id}?force=`, `POST /containers/{id}/exec`, `POST /exec/{id}/start` (hijacked:
 * `101 UPGRADED`, then Docker's 8-byte multiplexed frames, stdout=1 / stderr=2),
 * `GET /exec/{id}/json` and `GET /images/{name}/json` (404 for a missing image). A "container" is a
 * temp dir; exec really runs the command with child_process, in the host path its binds map the
 * working dir to (else in the container's own dir). Every request is recorded.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { closableServer } from "./server-close.js";

export interface FakeDockerRequest {
  method: string;
  /** Path without the API version prefix (`/containers/create`). */
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface FakeContainer {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  env: string[];
  workdir: string;
  binds: string[];
  running: boolean;
  created: number;
  /** The container's own filesystem root (a temp dir). */
  root: string;
  createBody: Record<string, unknown>;
}

interface FakeExec {
  id: string;
  container: FakeContainer;
  cmd: string[];
  env: string[];
  workdir?: string;
  exitCode: number | null;
  running: boolean;
}

export interface FakeDocker {
  socketPath: string;
  /** `unix://<socketPath>` for DOCKER_HOST. */
  dockerHost: string;
  requests: FakeDockerRequest[];
  containers: Map<string, FakeContainer>;
  images: Set<string>;
  /** Commands exec ran, in order. */
  execs: string[][];
  count(method: string, pathPrefix: string): number;
  close(): Promise<void>;
}

type Obj = Record<string, unknown>;

/** One multiplexed frame: [stream, 0, 0, 0, size (big-endian u32)] + payload. */
export function dockerFrame(stream: 1 | 2, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

function hostPathFor(c: FakeContainer, containerPath: string): string {
  let best: { host: string; target: string } | undefined;
  for (const b of c.binds) {
    const [host, target] = b.split(":");
    if (!host || !target) continue;
    if ((containerPath === target || containerPath.startsWith(`${target}/`)) && (!best || target.length > best.target.length)) best = { host, target };
  }
  if (best) return path.join(best.host, containerPath.slice(best.target.length));
  const p = path.join(c.root, containerPath);
  fs.mkdirSync(p, { recursive: true });
  return p;
}

export async function startFakeDocker(options: { images?: string[] } = {}): Promise<FakeDocker> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fdock-"));
  const socketPath = path.join(dir, "docker.sock");
  const requests: FakeDockerRequest[] = [];
  const containers = new Map<string, FakeContainer>();
  const execs = new Map<string, FakeExec>();
  const ran: string[][] = [];
  const images = new Set(options.images ?? ["openclaw-sandbox:bookworm-slim"]);

  const find = (idOrName: string) => containers.get(idOrName) ?? [...containers.values()].find((c) => c.name === idOrName || c.id.startsWith(idOrName));

  const send = (res: http.ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, { "Content-Type": typeof body === "string" ? "text/plain" : "application/json" }).end(text);
  };
  const notFound = (res: http.ServerResponse, what: string) => send(res, 404, { message: `No such ${what}` });

  const parse = (req: http.IncomingMessage) => {
    const u = new URL(req.url ?? "/", "http://docker");
    const p = u.pathname.replace(/^\/v\d+\.\d+/, "");
    return { path: p, query: Object.fromEntries(u.searchParams) };
  };

  /** Runs the exec for real and streams its output as frames onto `out`. */
  const runExec = (ex: FakeExec, write: (b: Buffer) => void, end: () => void) => {
    const c = ex.container;
    const cwd = hostPathFor(c, ex.workdir ?? c.workdir);
    fs.mkdirSync(cwd, { recursive: true });
    const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: c.root };
    for (const kv of [...c.env, ...ex.env]) {
      const i = kv.indexOf("=");
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    ran.push(ex.cmd);
    ex.running = true;
    const child = spawn(ex.cmd[0]!, ex.cmd.slice(1), { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (b: Buffer) => write(dockerFrame(1, b)));
    child.stderr.on("data", (b: Buffer) => write(dockerFrame(2, b)));
    child.on("error", (e) => {
      write(dockerFrame(2, Buffer.from(`exec failed: ${e.message}\n`)));
      ex.exitCode = 126;
      ex.running = false;
      end();
    });
    child.on("close", (code) => {
      ex.exitCode = code ?? 137;
      ex.running = false;
      end();
    });
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, body: unknown) => {
    const { path: p, query } = parse(req);
    const m = req.method ?? "GET";
    let match: RegExpExecArray | null;
    if (p === "/_ping") return send(res, 200, "OK");
    if (p === "/version") return send(res, 200, { Version: "27.0.0-fake", ApiVersion: "1.47", MinAPIVersion: "1.24", Os: "linux", Arch: "amd64" });
    if (m === "GET" && p === "/containers/json") {
      const filters = query.filters ? (JSON.parse(query.filters) as { label?: string[] }) : {};
      const list = [...containers.values()].filter((c) => (query.all === "true" || query.all === "1" || c.running) && (filters.label ?? []).every((l) => (l.includes("=") ? c.labels[l.split("=")[0]!] === l.slice(l.indexOf("=") + 1) : l in c.labels)));
      return send(res, 200, list.map((c) => ({ Id: c.id, Names: [`/${c.name}`], Image: c.image, Labels: c.labels, State: c.running ? "running" : "exited", Status: c.running ? "Up" : "Exited (0)", Created: Math.floor(c.created / 1000) })));
    }
    if (m === "POST" && p === "/containers/create") {
      const b = body as Obj;
      const name = query.name ?? `c${randomBytes(4).toString("hex")}`;
      if (find(name)) return send(res, 409, { message: `Conflict. The container name "/${name}" is already in use` });
      const image = String(b.Image ?? "");
      if (!images.has(image)) return send(res, 404, { message: `No such image: ${image}` });
      const id = randomBytes(32).toString("hex");
      const root = fs.mkdtempSync(path.join(dir, "root-"));
      const host = (b.HostConfig ?? {}) as Obj;
      containers.set(id, { id, name, image, labels: (b.Labels ?? {}) as Record<string, string>, env: (b.Env ?? []) as string[], workdir: String(b.WorkingDir ?? "/"), binds: (host.Binds ?? []) as string[], running: false, created: Date.now(), root, createBody: b });
      return send(res, 201, { Id: id, Warnings: [] });
    }
    match = /^\/containers\/([^/]+)\/start$/.exec(p);
    if (match && m === "POST") {
      const c = find(decodeURIComponent(match[1]!));
      if (!c) return notFound(res, `container: ${match[1]}`);
      if (c.running) return send(res, 304);
      c.running = true;
      return send(res, 204);
    }
    match = /^\/containers\/([^/]+)\/json$/.exec(p);
    if (match && m === "GET") {
      const c = find(decodeURIComponent(match[1]!));
      if (!c) return notFound(res, `container: ${match[1]}`);
      return send(res, 200, { Id: c.id, Name: `/${c.name}`, Created: new Date(c.created).toISOString(), State: { Status: c.running ? "running" : "exited", Running: c.running }, Config: { Image: c.image, Labels: c.labels, Env: c.env, WorkingDir: c.workdir }, HostConfig: c.createBody.HostConfig ?? {} });
    }
    match = /^\/containers\/([^/]+)$/.exec(p);
    if (match && m === "DELETE") {
      const c = find(decodeURIComponent(match[1]!));
      if (!c) return notFound(res, `container: ${match[1]}`);
      if (c.running && query.force !== "true" && query.force !== "1") return send(res, 409, { message: "You cannot remove a running container. Stop the container before attempting removal or force remove" });
      containers.delete(c.id);
      return send(res, 204);
    }
    match = /^\/containers\/([^/]+)\/exec$/.exec(p);
    if (match && m === "POST") {
      const c = find(decodeURIComponent(match[1]!));
      if (!c) return notFound(res, `container: ${match[1]}`);
      if (!c.running) return send(res, 409, { message: `Container ${c.id} is not running` });
      const b = body as Obj;
      const id = randomBytes(32).toString("hex");
      execs.set(id, { id, container: c, cmd: (b.Cmd ?? []) as string[], env: (b.Env ?? []) as string[], ...(typeof b.WorkingDir === "string" ? { workdir: b.WorkingDir } : {}), exitCode: null, running: false });
      return send(res, 201, { Id: id });
    }
    match = /^\/exec\/([^/]+)\/start$/.exec(p);
    if (match && m === "POST") {
      const ex = execs.get(match[1]!);
      if (!ex) return notFound(res, `exec instance: ${match[1]}`);
      // Not upgraded: the raw stream is the response body.
      res.writeHead(200, { "Content-Type": "application/vnd.docker.raw-stream" });
      return runExec(ex, (b) => res.write(b), () => res.end());
    }
    match = /^\/exec\/([^/]+)\/json$/.exec(p);
    if (match && m === "GET") {
      const ex = execs.get(match[1]!);
      if (!ex) return notFound(res, `exec instance: ${match[1]}`);
      return send(res, 200, { ID: ex.id, Running: ex.running, ExitCode: ex.exitCode, ContainerID: ex.container.id, ProcessConfig: { entrypoint: ex.cmd[0], arguments: ex.cmd.slice(1) } });
    }
    match = /^\/images\/(.+)\/json$/.exec(p);
    if (match && m === "GET") {
      const name = decodeURIComponent(match[1]!);
      if (!images.has(name)) return notFound(res, `image: ${name}`);
      return send(res, 200, { Id: `sha256:${randomBytes(32).toString("hex")}`, RepoTags: [name] });
    }
    return send(res, 404, { message: `page not found: ${m} ${p}` });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (b: Buffer) => chunks.push(b));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const { path: p, query } = parse(req);
      requests.push({ method: req.method ?? "GET", path: p, query, body });
      handle(req, res, body);
    });
  });
  // `POST /exec/{id}/start` with `Connection: Upgrade`: Docker answers 101 and hijacks the connection.
  server.on("upgrade", (req: http.IncomingMessage, socket: Socket) => {
    const { path: p, query } = parse(req);
    requests.push({ method: req.method ?? "GET", path: p, query, body: undefined });
    const match = /^\/exec\/([^/]+)\/start$/.exec(p);
    const ex = match ? execs.get(match[1]!) : undefined;
    if (!ex) {
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 37\r\n\r\n" + JSON.stringify({ message: "No such exec instance" }).padEnd(37));
      return;
    }
    socket.write("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
    socket.on("error", () => undefined);
    runExec(ex, (b) => socket.write(b), () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const closable = closableServer(server);
  return {
    socketPath,
    dockerHost: `unix://${socketPath}`,
    requests,
    containers,
    images,
    execs: ran,
    count: (method, prefix) => requests.filter((r) => r.method === method && r.path.startsWith(prefix)).length,
    async close() {
      await closable.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
