/** The handler for every method in the protocol's table (the type makes a missing one a compile error). */

import { readLogTail } from "../../logging/index.js";
import type { MethodName, MethodParams } from "../../protocol/index.js";
import { readSessionStore } from "../../storage/index.js";
import type { Connection } from "../connection.js";
import type { GatewayRuntime } from "../runtime.js";
import { configApply, configGet, configPatch, configSchema, configSet } from "./config.js";
import { health, listAgents } from "./health.js";
import { status } from "./status.js";

type Handlers = { [M in MethodName]: (params: MethodParams<M>, rt: GatewayRuntime, conn: Connection) => unknown };

export const HANDLERS: Handlers = {
  health,
  status,
  "logs.tail": (p, rt) => {
    const file = rt.logFile;
    if (!file) return { file: "", cursor: 0, size: 0, lines: [], truncated: false, reset: false };
    return readLogTail({ file, ...(p.cursor !== undefined ? { cursor: p.cursor } : {}), limit: p.limit ?? 200, maxBytes: p.maxBytes ?? 250_000 });
  },
  "config.get": configGet,
  "config.set": configSet,
  "config.apply": configApply,
  "config.patch": configPatch,
  "config.schema": configSchema,
  "system-presence": (_p, rt) => rt.presence(),
  "system-event": (p, rt) => {
    const event = { text: p.text, ts: Date.now() };
    rt.systemEvents.push(event);
    if (rt.systemEvents.length > 200) rt.systemEvents.shift();
    rt.broadcast("system-event", event);
    return { ok: true, ts: event.ts };
  },
  "last-heartbeat": () => null,
  "diagnostics.stability": (p, rt) => rt.diagnostics.snapshot({ limit: p.limit, type: p.type }),
  "channels.status": (_p, rt) => {
    const snap = rt.channels.snapshot(rt.config.channels as Record<string, unknown> | undefined);
    const labels = Object.fromEntries(snap.map((c) => [c.id, c.label]));
    return {
      ts: Date.now(),
      channelOrder: snap.map((c) => c.id),
      channelLabels: labels,
      channelDetailLabels: labels,
      channelMeta: snap.map((c) => ({ id: c.id, label: c.label, detailLabel: c.label })),
      eventLoop: rt.eventLoop.sample(),
      channels: Object.fromEntries(snap.map((c) => [c.id, { configured: true, running: c.accounts.some((a) => a.running) }])),
      channelAccounts: Object.fromEntries(snap.map((c) => [c.id, c.accounts])),
      channelDefaultAccountId: Object.fromEntries(snap.map((c) => [c.id, c.defaultAccountId])),
      statusIssues: [],
    };
  },
  "models.list": (_p, rt) => {
    const providers = rt.config.models?.providers ?? {};
    const models = Object.entries(providers).flatMap(([provider, p]) =>
      (p.models ?? []).map((m) => ({ id: `${provider}/${String((m as { id?: unknown }).id ?? "")}`, provider, name: (m as { name?: unknown }).name ?? (m as { id?: unknown }).id })),
    );
    return { models };
  },
  "sessions.list": (p, rt) => {
    const agents = listAgents(rt).filter((a) => !p.agentId || a.id === p.agentId);
    const cutoff = p.activeMinutes ? Date.now() - p.activeMinutes * 60_000 : 0;
    const sessions = agents
      .flatMap((a) => readSessionStore(rt.options.paths.layout.sessionStoreFile(a.id)).map((s) => ({ ...s, agentId: a.id })))
      .filter((s) => (s.updatedAt ?? 0) >= cutoff)
      .sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0));
    return { ts: Date.now(), count: sessions.length, sessions: sessions.slice(0, p.limit ?? 200) };
  },
};
