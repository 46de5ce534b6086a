/** `openclaw gateway probe` — one connection: health, status, presence, config.get (what OpenClaw's probe does). */
import { EXIT } from "../../../shared/index.js";
import { targetFor, timeoutFor, withGateway } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";

export const run: CommandHandler = async (ctx) => {
  const target = targetFor(ctx);
  const started = performance.now();
  const result = await withGateway(
    ctx,
    async (client) => {
      const connectMs = Math.round(performance.now() - started);
      const settle = async (method: string) => {
        try {
          return { ok: true, result: await client.call(method, {}, { timeoutMs: timeoutFor(ctx) }) };
        } catch (error) {
          return { ok: false, error: (error as Error).message };
        }
      };
      const [health, status, presence, config] = [await settle("health"), await settle("status"), await settle("system-presence"), await settle("config.get")];
      return { url: target.url, connectMs, protocol: client.hello.protocol, server: client.hello.server, health, status, presence, config };
    },
    // As a plain CLI client: OpenClaw's gateway grants `probe`-mode connections no scopes, so status,
    // presence and config.get would all be refused there.
    { clientMode: "cli", target },
  );
  const ok = result.health.ok && result.status.ok;
  const human = [
    `Gateway ${result.url}: reachable (connect ${result.connectMs} ms, protocol ${result.protocol}, version ${result.server.version})`,
    `  health: ${result.health.ok ? "ok" : `failed — ${result.health.error}`}`,
    `  status: ${result.status.ok ? "ok" : `failed — ${result.status.error}`}`,
    `  presence: ${result.presence.ok ? `${(result.presence.result as unknown[]).length} entries` : `failed — ${result.presence.error}`}`,
    `  config.get: ${result.config.ok ? "ok" : `failed — ${result.config.error}`}`,
  ];
  return { data: { ok, ...result }, human, exitCode: ok ? EXIT.ok : EXIT.problems };
};
