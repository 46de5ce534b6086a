/** Guard 1 (a valid config) and bind-host resolution (§3.2); the other guards are config's `checkGatewayConfig`. */
import os from "node:os";
import type { BindMode, ConfigSnapshot } from "../config/index.js";
import { AppError, type Env, formatIssueLine } from "../shared/index.js";
import { findTailnetAddress, findTailscaleBinary, type InterfaceList, TAILSCALE_NOT_FOUND } from "./tailscale.js";

export type { BindMode } from "../config/index.js";

/** What tailnet resolution reads of the host (injectable in tests). */
export interface BindHostDeps {
  /** Defaults to `os.networkInterfaces`. */
  interfaces?: (() => InterfaceList) | undefined;
  /** Where to look for the `tailscale` binary (PATH). */
  env?: Env | undefined;
  /** Where a fallback is reported (the gateway's log). */
  warn?: ((line: string) => void) | undefined;
}

/**
 * Hosts to listen on for a bind mode. `tailnet` (as OpenClaw) listens on the host's Tailscale IPv4
 * (100.64/10) and on 127.0.0.1; with no tailnet address it falls back to loopback only, with a
 * warning that names a missing `tailscale` binary.
 */
export function resolveBindHosts(bind: BindMode, customHost: string | undefined, deps: BindHostDeps = {}): string[] {
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
      const addr = findTailnetAddress((deps.interfaces ?? os.networkInterfaces)());
      if (addr) return [addr, "127.0.0.1"];
      const missing = findTailscaleBinary(deps.env ?? process.env) === undefined;
      deps.warn?.(
        missing
          ? `gateway.bind=tailnet: ${TAILSCALE_NOT_FOUND}; listening on loopback only`
          : "gateway.bind=tailnet: no Tailscale (100.x) address found (is tailscale up?); listening on loopback only — restart the gateway once Tailscale is connected",
      );
      return ["127.0.0.1"];
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
