/** Startup guards (spec §3.1, in order) and bind-host resolution (§3.2). Pure: they return or throw. */
import os from "node:os";
import type { ConfigSnapshot, OpenClawConfig } from "../config/index.js";
import { AppError, formatIssueLine } from "../shared/index.js";
import type { GatewayAuth } from "./auth.js";

export type BindMode = OpenClawConfig["gateway"]["bind"];

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

export function isLoopbackBind(bind: BindMode, hosts: readonly string[]): boolean {
  return bind === "loopback" || bind === "auto" || hosts.every((h) => h === "127.0.0.1" || h === "::1" || h.startsWith("127."));
}

/** Guard 1: the config must be valid. */
export function guardConfigValid(snapshot: ConfigSnapshot): void {
  if (snapshot.valid) return;
  const [first, ...rest] = snapshot.issues;
  throw new AppError("GATEWAY_CONFIG_INVALID", `config invalid: ${first ? formatIssueLine(first) : snapshot.path}${rest.length ? ` (and ${rest.length} more)` : ""}`, {
    hint: "Run openclaw config validate to list every problem, or openclaw doctor to repair.",
  });
}

/** Guard 2: gateway.mode must be local (unless --allow-unconfigured). */
export function guardMode(config: OpenClawConfig, allowUnconfigured: boolean): void {
  if (config.gateway.mode === "local" || allowUnconfigured) return;
  throw new AppError("GATEWAY_MODE_UNSET", `Gateway start blocked: set gateway.mode=local (current: ${config.gateway.mode ?? "unset"}) or pass --allow-unconfigured`, {
    hint: "openclaw config set gateway.mode local",
  });
}

/** Guard 3: anything beyond loopback needs auth. */
export function guardBindAuth(bind: BindMode, hosts: readonly string[], auth: GatewayAuth): void {
  if (isLoopbackBind(bind, hosts) || auth.mode === "token" || auth.mode === "password") return;
  throw new AppError("GATEWAY_BIND_WITHOUT_AUTH", `Refusing to bind gateway to ${bind} without auth.`, {
    hint: 'Set a token first: openclaw config set gateway.auth.token "$(openssl rand -hex 32)" (or OPENCLAW_GATEWAY_TOKEN), or use --bind loopback.',
  });
}
