/**
 * The logs subsystem: `logs.tail` over the gateway's current log file. Logging itself is process-wide
 * and configured by the core on every adopted config (its redaction needs the running auth), so a
 * `logging.*` edit is applied in place here.
 */
import { readLogTail } from "../../../logging/index.js";
import type { ApplyResult, GatewayCore, MethodHandlers, Subsystem, SubsystemContext } from "../../subsystem.js";

export class LogsSubsystem implements Subsystem {
  readonly name = "logs";
  private core: GatewayCore | undefined;

  readonly methods: MethodHandlers = {
    "logs.tail": (p) => {
      const file = this.core?.currentLogFile();
      if (!file) return { file: "", cursor: 0, size: 0, lines: [], truncated: false, reset: false };
      return readLogTail({ file, ...(p.cursor !== undefined ? { cursor: p.cursor } : {}), limit: p.limit ?? 200, maxBytes: p.maxBytes ?? 250_000 });
    },
  };

  start(ctx: SubsystemContext): void {
    this.core = ctx.core;
  }

  stop(): void {
    this.core = undefined;
  }

  applyConfig(): ApplyResult {
    return "applied";
  }
}
