/**
 * Tailscale for the gateway: finding the `tailscale` binary and the host's tailnet address (for
 * `--bind tailnet`), and publishing the gateway with `tailscale serve|funnel` (`--tailscale`).
 *
 * Our model is OpenClaw's older one (spec's `resetOnExit`), not 2026.9's foreground claim: on start
 * `tailscale status --json` gives the MagicDNS name, then `tailscale <serve|funnel> --bg --yes
 * --https=443 http://127.0.0.1:<port>` installs a background route to the gateway's own loopback
 * listener; on stop, with `gateway.tailscale.resetOnExit`, `tailscale <serve|funnel> reset` removes
 * it. A failing command (exit code + first stderr line) fails the start.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import type { NetworkInterfaceInfo } from "node:os";
import path from "node:path";
import type { OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import { AppError, type Env } from "../shared/index.js";

/** The interface list, as `os.networkInterfaces()` returns it (injectable in tests). */
export type InterfaceList = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** The first IPv4 address in Tailscale's CGNAT range 100.64.0.0/10, if any. */
export function findTailnetAddress(interfaces: InterfaceList): string | undefined {
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if (a.family !== "IPv4" && (a.family as unknown) !== 4) continue;
      const [first, second] = a.address.split(".").map(Number);
      if (first === 100 && second !== undefined && second >= 64 && second <= 127) return a.address;
    }
  }
  return undefined;
}

/** The `tailscale` executable on `env.PATH`, or undefined. */
export function findTailscaleBinary(env: Env): string | undefined {
  const names = process.platform === "win32" ? ["tailscale.exe", "tailscale.cmd", "tailscale"] : ["tailscale"];
  for (const dir of (env.PATH ?? env.Path ?? "").split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        if (process.platform !== "win32") accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The line naming a missing binary (OpenClaw's fix: install it, or bind loopback). */
export const TAILSCALE_NOT_FOUND = "tailscale not found: install Tailscale or use --bind loopback";

export type TailscaleMode = "off" | "serve" | "funnel";

/** Refuses a `--tailscale` setup OpenClaw refuses: serve/funnel need bind=loopback, funnel needs password auth. */
export function checkTailscaleMode(mode: TailscaleMode, bind: string, authMode: string): void {
  if (mode === "off") return;
  if (bind !== "loopback") {
    throw new AppError("GATEWAY_CONFIG_INVALID", "tailscale serve/funnel requires gateway bind=loopback (127.0.0.1)", { hint: `Use --bind loopback (gateway.bind is "${bind}"), or --tailscale off.` });
  }
  if (mode === "funnel" && authMode !== "password") {
    throw new AppError("GATEWAY_CONFIG_INVALID", "tailscale funnel requires gateway auth mode=password (set gateway.auth.password or OPENCLAW_GATEWAY_PASSWORD)", {
      hint: "Funnel makes the gateway public: run openclaw gateway --tailscale funnel --auth password, or use --tailscale serve.",
    });
  }
}

/** What one command did. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bin args` with `env`, collecting output (bounded) and killing it after `timeoutMs`. */
export function runCommand(bin: string, args: readonly string[], env: Env, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    let stdout = "";
    let stderr = "";
    const cap = (s: string, d: Buffer) => (s.length < 1024 * 1024 ? s + d.toString("utf8") : s);
    child.stdout.on("data", (d: Buffer) => (stdout = cap(stdout, d)));
    child.stderr.on("data", (d: Buffer) => (stderr = cap(stderr, d)));
    const timer = setTimeout(() => {
      stderr = `timed out after ${timeoutMs} ms${stderr ? `: ${stderr}` : ""}`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: error.message });
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((l) => l.trim()) ?? "").trim().slice(0, 200);
}

/** A published gateway: its HTTPS URL, and how to take it down. */
export interface TailscaleExposure {
  url: string | undefined;
  /** Resets the route when resetOnExit (errors are logged, never thrown). */
  stop(): Promise<void>;
}

/** Publishes the gateway's loopback port with `tailscale serve|funnel`; throws `GATEWAY_TAILSCALE_FAILED` when it cannot. */
export async function startTailscaleExposure(o: { mode: "serve" | "funnel"; port: number; basePath?: string | undefined; resetOnExit: boolean; env: Env; log: Logger; timeoutMs?: number }): Promise<TailscaleExposure> {
  const bin = findTailscaleBinary(o.env);
  if (!bin) throw new AppError("GATEWAY_TAILSCALE_FAILED", `tailscale ${o.mode} requested but tailscale was not found on PATH`, { hint: "Install Tailscale (https://tailscale.com/download) and log in, or run with --tailscale off." });
  const timeoutMs = o.timeoutMs ?? 30_000;
  let dnsName: string | undefined;
  const status = await runCommand(bin, ["status", "--json"], o.env, timeoutMs);
  if (status.code === 0) {
    try {
      const name = (JSON.parse(status.stdout) as { Self?: { DNSName?: unknown } }).Self?.DNSName;
      if (typeof name === "string" && name) dnsName = name.replace(/\.$/, "");
    } catch {
      o.log.warn("tailscale status --json printed no JSON; the serve URL is unknown");
    }
  } else {
    o.log.warn(`tailscale status --json failed (exit ${status.code ?? "none"}): ${firstLine(status.stderr) || "no output"}`);
  }
  const target = `http://127.0.0.1:${o.port}`;
  const args = [o.mode, "--bg", "--yes", "--https=443", target];
  const result = await runCommand(bin, args, o.env, timeoutMs);
  if (result.code !== 0) {
    throw new AppError("GATEWAY_TAILSCALE_FAILED", `tailscale ${args.join(" ")} failed (exit ${result.code ?? "none"}): ${firstLine(result.stderr) || firstLine(result.stdout) || "no output"}`, {
      hint: o.mode === "funnel" ? "Check that HTTPS and Funnel are enabled for your tailnet (tailscale funnel status), or run with --tailscale serve." : "Check that Tailscale is running and logged in with HTTPS enabled (tailscale status), or run with --tailscale off.",
    });
  }
  const base = o.basePath ? o.basePath.replace(/\/$/, "") : "";
  const url = dnsName ? `https://${dnsName}${base}/` : undefined;
  o.log.info(url ? `${o.mode} enabled: ${url} (WS via wss://${dnsName})` : `${o.mode} enabled for ${target} (MagicDNS name unknown)`);
  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped || !o.resetOnExit) return;
      stopped = true;
      const reset = await runCommand(bin, [o.mode, "reset"], o.env, timeoutMs);
      if (reset.code !== 0) o.log.warn(`tailscale ${o.mode} reset failed (exit ${reset.code ?? "none"}): ${firstLine(reset.stderr) || "no output"}`);
      else o.log.info(`tailscale ${o.mode} reset`);
    },
  };
}

/** The gateway settings the tailscale route follows. */
export interface TailscaleSettings {
  mode: TailscaleMode;
  resetOnExit: boolean;
  basePath?: string | undefined;
}

/** The tailscale settings of a running config (`gateway.tailscale`, the UI's base path). */
export function tailscaleSettingsOf(config: OpenClawConfig): TailscaleSettings {
  const ts = config.gateway.tailscale;
  return { mode: ts?.mode ?? "off", resetOnExit: ts?.resetOnExit === true, basePath: config.gateway.controlUi?.basePath };
}

/**
 * Keeps the gateway's tailscale route in line with its settings and port across the start and
 * in-process restarts: unchanged settings do nothing; a change (mode, port, base path) runs the new
 * `serve|funnel --bg` (which replaces the HTTPS root route) after resetting the old one when it
 * was published with resetOnExit; `off` only resets.
 */
export class TailscaleRoute {
  private current: { key: string; exposure: TailscaleExposure } | undefined;

  constructor(
    private readonly env: Env,
    private readonly log: Logger,
  ) {}

  /** Publishes (or re-publishes) for `port`; throws `GATEWAY_TAILSCALE_FAILED` when the command fails. */
  async apply(settings: TailscaleSettings, port: number): Promise<void> {
    const key = JSON.stringify([settings.mode, port, settings.basePath ?? "", settings.resetOnExit]);
    if (this.current?.key === key) return;
    await this.stop();
    if (settings.mode === "off") return;
    const exposure = await startTailscaleExposure({ mode: settings.mode, port, basePath: settings.basePath, resetOnExit: settings.resetOnExit, env: this.env, log: this.log });
    this.current = { key, exposure };
  }

  /** Resets the route when it was published with resetOnExit. */
  async stop(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.exposure.stop();
  }
}
