/**
 * A loopback stand-in for `signal-cli daemon --http`, speaking its wire as signal-cli does:
 * `POST /api/v1/rpc` (JSON-RPC 2.0; 415 without a JSON content type, 201 for a notification,
 * errors as 200 with an `error` object), `GET /api/v1/events` (SSE: `id:`, `event:receive`, `data:`
 * = `{envelope, account}`, a `:` keep-alive, the last 1000 events replayed after `Last-Event-ID` —
 * all of them when the id is unknown; `?account=` filters in multi-account mode, 400 for an unknown
 * account) and `GET /api/v1/check` (200, empty). Records sends; `push()` delivers an inbound envelope;
 * `stop()` drops every connection and `restart()` listens again on the same port. Test-only routes
 * under `/__fake/` let another process push envelopes and read the sends (the managed-native test).
 */
import { chmodSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo, } from "node:net";
import path from "node:path";
import { closableServer } from "./server-close.js";

export interface FakeSignalSend {
  account?: string;
  recipient?: string[];
  groupId?: string;
  message: string;
}

export interface FakeSignalCliOptions {
  /** Single-account mode (`signal-cli -a <account> daemon`): the RPC `account` param is ignored, listAccounts is not a method. */
  account?: string;
  /** Multi-account mode (no `-a`): these accounts are served and `account` params/queries are checked. */
  accounts?: string[];
  version?: string;
  host?: string;
  port?: number;
  keepAliveMs?: number;
}

/** Envelope fields a test sets; the rest get signal-cli's defaults. */
export interface FakeEnvelope {
  from: string;
  uuid?: string;
  name?: string;
  text: string;
  groupId?: string;
  mentions?: Array<{ number?: string; uuid?: string }>;
  timestamp?: number;
}

export interface FakeSignalCli {
  baseUrl: string;
  port: number;
  /** Every RPC call (method + params), in order. */
  calls: Array<{ method: string; params: Record<string, unknown> }>;
  /** Methods that never answer (probe deadlines). */
  hang: Set<string>;
  sent(): FakeSignalSend[];
  /** Delivers an inbound message to every connected event stream (and keeps it for replay). */
  push(envelope: FakeEnvelope, account?: string): void;
  /** Open `/api/v1/events` connections. */
  streams(): number;
  /** Keep-alive comments written so far (all streams). */
  keepAlives(): number;
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

let clock = 1_700_000_000_000;

/** The signal-cli JSON of one received data message. */
export function fakeEnvelope(e: FakeEnvelope): Record<string, unknown> {
  const timestamp = e.timestamp ?? clock++;
  const isUuid = !e.from.startsWith("+");
  return {
    source: e.from,
    sourceNumber: isUuid ? null : e.from,
    sourceUuid: e.uuid ?? (isUuid ? e.from : "00000000-0000-4000-8000-000000000000"),
    sourceName: e.name ?? "Sender",
    sourceDevice: 1,
    timestamp,
    serverReceivedTimestamp: timestamp + 5,
    serverDeliveredTimestamp: timestamp + 6,
    dataMessage: {
      timestamp,
      message: e.text,
      expiresInSeconds: 0,
      viewOnce: false,
      mentions: (e.mentions ?? []).map((m, i) => ({ name: m.number ?? m.uuid, number: m.number ?? null, uuid: m.uuid ?? "11111111-1111-4111-8111-111111111111", start: i, length: 1 })),
      attachments: [],
      contacts: [],
      ...(e.groupId ? { groupInfo: { groupId: e.groupId, groupName: "Group", revision: 1, type: "DELIVER" } } : {}),
    },
  };
}

/** Starts the stand-in on `host:port` (127.0.0.1:0 unless given). */
export async function startFakeSignalCli(options: FakeSignalCliOptions = {}): Promise<FakeSignalCli> {
  const multi = options.account === undefined;
  const served = options.account ? [options.account] : (options.accounts ?? []);
  const calls: FakeSignalCli["calls"] = [];
  const hang = new Set<string>();
  const sent: FakeSignalSend[] = [];
  const kept: Array<{ id: number; account: string; data: string }> = [];
  const streams = new Set<{ res: http.ServerResponse; account: string | undefined }>();
  let nextEventId = 1;
  let keepAlives = 0;
  let timestamp = 1_800_000_000_000;

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    const bytes = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { "content-type": "application/json", "content-length": bytes.length });
    res.end(bytes);
  };
  const writeEvent = (res: http.ServerResponse, e: { id: number; data: string }) => res.write(`id:${e.id}\nevent:receive\ndata:${e.data}\n\n`);

  function rpc(request: { id?: unknown; method?: unknown; params?: unknown }): unknown | "hang" {
    const id = request.id ?? null;
    if (typeof request.method !== "string") return { jsonrpc: "2.0", error: { code: -32600, message: "method field must be set", data: null }, id };
    const params = { ...((request.params ?? {}) as Record<string, unknown>) };
    calls.push({ method: request.method, params: { ...params } });
    if (hang.has(request.method)) return "hang";
    const error = (code: number, message: string) => ({ jsonrpc: "2.0", error: { code, message, data: null }, id });
    if (request.method === "version") return { jsonrpc: "2.0", result: { version: options.version ?? "0.13.22" }, id };
    if (request.method === "listAccounts") {
      if (!multi) return error(-32601, "Method not implemented");
      return { jsonrpc: "2.0", result: served.map((number) => ({ number })), id };
    }
    if (multi) {
      if (typeof params.account !== "string") return error(-32602, "Method requires valid account parameter");
      if (!served.includes(params.account)) return error(-32602, "Specified account does not exist");
    }
    if (request.method === "send") {
      const recipient = params.recipient === undefined ? undefined : Array.isArray(params.recipient) ? params.recipient.map(String) : [String(params.recipient)];
      if (!recipient && typeof params.groupId !== "string") return error(-1, "No recipients given");
      if (typeof params.message !== "string") return error(-1, "No message given");
      sent.push({ ...(typeof params.account === "string" ? { account: params.account } : {}), ...(recipient ? { recipient } : {}), ...(typeof params.groupId === "string" ? { groupId: params.groupId } : {}), message: params.message });
      return { jsonrpc: "2.0", result: { timestamp: timestamp++, results: [] }, id };
    }
    if (request.method === "sendTyping") return { jsonrpc: "2.0", result: {}, id };
    return error(-32601, "Method not implemented");
  }

  function push(envelope: FakeEnvelope, account = served[0] ?? "+10000000000"): void {
    const e = { id: nextEventId++, account, data: JSON.stringify({ envelope: fakeEnvelope(envelope), account }) };
    kept.push(e);
    if (kept.length > 1000) kept.shift();
    for (const s of streams) if (!s.account || s.account === account) writeEvent(s.res, e);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    if (url.pathname === "/__fake/push" && req.method === "POST") {
      push(JSON.parse(body) as FakeEnvelope);
      return json(res, 200, { ok: true });
    }
    if (url.pathname === "/__fake/sent") return json(res, 200, sent);
    if (url.pathname === "/api/v1/check") {
      if (req.method !== "GET") return void res.writeHead(405).end();
      return void res.writeHead(200).end();
    }
    if (url.pathname === "/api/v1/rpc") {
      if (req.method !== "POST") return void res.writeHead(405).end();
      if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return void res.writeHead(415).end();
      let request: unknown;
      try {
        request = JSON.parse(body);
      } catch {
        return json(res, 200, { jsonrpc: "2.0", error: { code: -32700, message: "Parse error", data: null }, id: null });
      }
      const answer = rpc(request as { id?: unknown; method?: unknown; params?: unknown });
      if (answer === "hang") return;
      if ((request as { id?: unknown }).id === undefined) return void res.writeHead(201).end();
      return json(res, 200, answer);
    }
    if (url.pathname === "/api/v1/events") {
      if (req.method !== "GET") return void res.writeHead(405).end();
      const account = url.searchParams.get("account") || undefined;
      if (multi && account && !served.includes(account)) return void res.writeHead(400).end();
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
      const stream = { res, account: multi ? account : undefined };
      const last = req.headers["last-event-id"];
      if (typeof last === "string") {
        const at = kept.findIndex((e) => String(e.id) === last);
        for (const e of at >= 0 ? kept.slice(at + 1) : kept) if (!stream.account || stream.account === e.account) writeEvent(res, e);
      }
      streams.add(stream);
      const keepAlive = setInterval(() => {
        keepAlives++;
        res.write(":\n");
      }, options.keepAliveMs ?? 15_000);
      res.on("close", () => {
        clearInterval(keepAlive);
        streams.delete(stream);
      });
      return;
    }
    res.writeHead(404).end();
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const closer = closableServer(server);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  async function stop(): Promise<void> {
    if (!server.listening) return;
    for (const s of streams) s.res.destroy();
    await closer.close();
  }

  return {
    baseUrl: `http://${host}:${port}`,
    port,
    calls,
    hang,
    sent: () => sent.map((s) => ({ ...s })),
    push,
    streams: () => streams.size,
    keepAlives: () => keepAlives,
    stop,
    async restart() {
      if (server.listening) return;
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
    },
    close: stop,
  };
}

/**
 * Writes an executable `signal-cli` into `dir` that runs the stand-in as a real process: it parses
 * `[--config dir] [-a account] daemon --http host:port` and serves there until SIGTERM. With
 * `FAKE_SIGNAL_CLI_ARGV` set in its environment it appends its argv (JSON, one line) to that file.
 * POSIX only (a shell shim around node + tsx).
 */
export function writeFakeSignalCliBin(dir: string): string {
  const file = path.join(dir, "signal-cli");
  const main = path.join(import.meta.dirname, "fake-signal-cli-daemon.ts");
  const tsx = import.meta.resolve("tsx");
  writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${main}" "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}
