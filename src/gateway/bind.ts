/** Guard 1 (a valid config) and bind-host resolution (§3.2); the other guards are config's `checkGatewayConfig`. */
import os from "node:os";
import type { BindMode, ConfigSnapshot } from "../config/index.js";
import { AppError, formatIssueLine } from "../shared/index.js";

export type { BindMode } from "../config/index.js";

/** Hosts to listen on for a bind mode. */
export function resolveBindHosts(bind: BindMode, customHost: string | undefined): string[] {
  switch (bind) {
    case "loopback":
    case "auto":
      return ["127.0.0.1", "::1"];
    case "lan":
      return ["0.0.0.0"];
    case "custom":
      if (!customHost) throw new AppError("GATEWAY_CONFIG_INVALID", "gateway.bind=custom requires gateway.customBindHost to be set", { hint: "openclaw config set gateway.customBindHost 192.168.1.10" });
      return [customHost];
    case "tailnet": {
      const addr = Object.values(os.networkInterfaces())
        .flat()
        .find((a) => a && a.family === "IPv4" && a.address.startsWith("100."));
      if (!addr) throw new AppError("GATEWAY_CONFIG_INVALID", "gateway.bind=tailnet but no Tailscale (100.x) address was found", { hint: "Start Tailscale, or use --bind loopback." });
      return [addr.address];
    }
  }
}

/** Guard 1: the config must be valid. */
export function guardConfigValid(snapshot: ConfigSnapshot): void {
  if (snapshot.valid) return;
  const [first, ...rest] = snapshot.issues;
  throw new AppError("GATEWAY_CONFIG_INVALID", `config invalid: ${first ? formatIssueLine(first) : snapshot.path}${rest.length ? ` (and ${rest.length} more)` : ""}`, {
    hint: "Run openclaw config validate to list every problem, or openclaw doctor to repair.",
  });
}
