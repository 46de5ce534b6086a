/**
 * The logs subsystem: `logs.tail` over the gateway's current log file. Logging itself is process-wide
 * and configured by the core on every adopted config (its redaction needs the running auth), so a
 * `logging.*` edit is applied in place here.
 */
import { readLogTail } from "../../../logging/index.js";
import type { ApplyResult, MethodHandlers, Subsystem } from "../../subsystem.js";
import { CoreBound } from "../base.js";

export class LogsSubsystem extends CoreBound implements Subsystem {
  readonly name = "logs";

  readonly methods: MethodHandlers = {
    "logs.tail": (p) => {
      const file = this.maybeCore?.currentLogFile();
      if (!file) return { file: "", cursor: 0, size: 0, lines: [], truncated: false, reset: false };
      return readLogTail({ file, ...(p.cursor !== undefined ? { cursor: p.cursor } : {}), limit: p.limit ?? 200, maxBytes: p.maxBytes ?? 250_000 });
    },
  };

  applyConfig(): ApplyResult {
    return "applied";
  }
}
