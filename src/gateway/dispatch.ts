/**
 * RPC dispatch: one table from method name to the handler of the subsystem that owns it (every
 * method of the protocol table must have exactly one owner), scope checks from the protocol table,
 * a narrow `HandlerContext` per call, metrics and quiet logging.
 */
import type { OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import { hasScope, isMethodName, METHOD_NAMES, METHODS, type MethodName, type MethodParams, type RequestFrame, type Scope } from "../protocol/index.js";
import { AppError } from "../shared/index.js";
import { type Connection, toWireError } from "./connection.js";
import type { EventBus } from "./events.js";
import type { GatewayMetrics } from "./metrics.js";
import { type HandlerContext, type MethodHandler, type Subsystem, TwoStageResult } from "./subsystem.js";

type AnyHandler = (params: unknown, ctx: HandlerContext) => unknown;

/** Method → handler over the subsystems; throws when a method has no owner or two. */
export function buildMethodTable(subsystems: readonly Subsystem[]): Map<MethodName, { owner: string; handler: AnyHandler }> {
  const table = new Map<MethodName, { owner: string; handler: AnyHandler }>();
  for (const sub of subsystems) {
    for (const [method, handler] of Object.entries(sub.methods ?? {}) as Array<[MethodName, MethodHandler<MethodName>]>) {
      const held = table.get(method);
      if (held) throw new AppError("INTERNAL", `method ${method} is served by both ${held.owner} and ${sub.name}`);
      table.set(method, { owner: sub.name, handler: handler as AnyHandler });
    }
  }
  const missing = METHOD_NAMES.filter((m) => !table.has(m));
  if (missing.length) throw new AppError("INTERNAL", `no subsystem serves ${missing.join(", ")}`);
  return table;
}

export interface DispatchHost {
  readonly log: Logger;
  readonly metrics: GatewayMetrics;
  readonly events: EventBus;
  runningConfig(): OpenClawConfig;
}

/** A dispatcher for connections: checks the method and scope, runs its handler, replies. */
export function createDispatcher(table: ReturnType<typeof buildMethodTable>, host: DispatchHost): (conn: Connection, frame: RequestFrame) => Promise<void> {
  const events = { publish: host.events.publish.bind(host.events) };
  return async (conn, frame) => {
    const started = performance.now();
    const method = frame.method;
    let ok = false;
    try {
      if (!isMethodName(method)) {
        throw new AppError("USAGE", `unknown method: ${method}`, { hint: "See hello-ok.features.methods for the methods this gateway serves." });
      }
      const spec = METHODS[method];
      if (!hasScope(conn.scopes, spec.scope as Scope)) {
        conn.fail(frame.id, { code: "FORBIDDEN", message: `missing scope: ${spec.scope}`, details: { code: "MISSING_SCOPE", missingScope: spec.scope } });
        return;
      }
      const params = spec.params(frame.params, "") as MethodParams<typeof method>;
      const entry = table.get(method)!;
      const ctx: HandlerContext = {
        caller: { connId: conn.id, ip: conn.ip, scopes: conn.scopes, client: conn.client },
        config: () => host.runningConfig(),
        log: host.log,
        events,
      };
      const result = await entry.handler(params, ctx);
      ok = true;
      if (result instanceof TwoStageResult) {
        conn.reply(frame.id, result.accepted);
        result.final.then(
          (final) => conn.reply(frame.id, final),
          (error) => conn.fail(frame.id, toWireError(error)),
        );
      } else conn.reply(frame.id, result);
    } catch (error) {
      const wire = toWireError(error);
      if (wire.details && (wire.details as { code?: string }).code === "INTERNAL") host.log.error(`${method} failed: ${(error as Error).message}`);
      conn.fail(frame.id, wire);
    } finally {
      const ms = performance.now() - started;
      host.metrics.observeRpc(isMethodName(method) ? method : "unknown", ms, ok);
      // Quiet by default: failures and slow calls only; --verbose (debug) logs every call.
      if (!ok || ms >= 50) host.log.info(`ws ${method} ${ok ? "ok" : "failed"} ${ms.toFixed(1)} ms`, { conn: conn.id, ip: conn.ip });
      else if (host.log.isEnabled("debug")) host.log.debug(`ws ${method} ok ${ms.toFixed(1)} ms`, { conn: conn.id });
    }
  };
}
