/**
 * `openclaw dashboard [--no-open] [--json]` — checks the gateway answers, prints the Control UI's
 * URL (never the token) and opens it in a browser with the token in the URL fragment (`#token=…`,
 * which browsers do not send to the server). `--json` carries OpenClaw's compat `url` with the token.
 */
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import os from "node:os";
import path from "node:path";
import { normalizeControlUiBasePath, readConfigInput } from "../../config/index.js";
import type { Env } from "../../shared/index.js";
import { targetFor, timeoutFor, withGateway } from "../rpc.js";
import type { CommandHandler } from "../types.js";

/** The dashboard's links for a gateway WebSocket URL and the configured base path. */
export function dashboardLinks(wsUrl: string, basePath: string, token: string | undefined): { httpUrl: string; url: string; port: number } {
  const u = new URL(wsUrl);
  const secure = u.protocol === "wss:" || u.protocol === "https:";
  const port = Number(u.port) || (secure ? 443 : 80);
  const httpUrl = `${secure ? "https" : "http"}://${u.host}${basePath}/`;
  return { httpUrl, url: token ? `${httpUrl}#token=${encodeURIComponent(token)}` : httpUrl, port };
}

function onPath(env: Env, name: string): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** How to open a URL on this machine, or why there is no browser (no display, SSH session). */
export function browserOpener(env: Env, platform: NodeJS.Platform = process.platform): { command: string; args: string[] } | undefined {
  if (platform === "darwin") {
    if ((env.SSH_CONNECTION || env.SSH_TTY) && !env.DISPLAY) return undefined;
    const open = onPath(env, "open");
    return open ? { command: open, args: [] } : undefined;
  }
  if (platform === "win32") return { command: "rundll32", args: ["url.dll,FileProtocolHandler"] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  const xdg = onPath(env, "xdg-open");
  return xdg ? { command: xdg, args: [] } : undefined;
}

/** Starts the opener detached; resolves once it spawned (or with the error when it could not). */
function launch(opener: { command: string; args: string[] }, url: string, env: Env): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const child = spawn(opener.command, [...opener.args, url], { detached: true, stdio: "ignore", env: env as NodeJS.ProcessEnv });
    child.once("error", (error) => resolve(error));
    child.once("spawn", () => {
      child.unref();
      resolve(undefined);
    });
  });
}

const TOKEN_HINT = "Token auto-auth not delivered. Append your gateway token (from OPENCLAW_GATEWAY_TOKEN or gateway.auth.token) to the URL as a fragment: #token=<token>.";

export const run: CommandHandler = async (ctx) => {
  const target = targetFor(ctx);
  // Reachable first: an unreachable gateway is exit 4 with the start hint.
  await withGateway(ctx, (client) => client.call("health", {}, { timeoutMs: timeoutFor(ctx) }), { target });
  const input = readConfigInput({ configPath: ctx.paths().configPath, env: ctx.env, lenientEnv: true }).input as { gateway?: { controlUi?: { basePath?: unknown } } };
  const basePath = normalizeControlUiBasePath(input.gateway?.controlUi?.basePath);
  const token = target.token;
  const links = dashboardLinks(target.url, basePath, token);
  const data = { ok: true, url: links.url, httpUrl: links.httpUrl, wsUrl: target.url, port: links.port, tokenIncluded: token !== undefined };
  const human = [`Dashboard URL: ${links.httpUrl}`];
  const opener = browserOpener(ctx.env);
  if (ctx.options["no-open"] === true) {
    human.push("Browser launch disabled (--no-open). Open the URL above in a browser.");
    if (token) human.push(TOKEN_HINT);
  } else if (!opener) {
    const user = ctx.env.USER || ctx.env.LOGNAME || "user";
    human.push(
      "No browser on this machine (no display). From your own computer, forward the port over SSH:",
      `  ssh -N -L ${links.port}:127.0.0.1:${links.port} ${user}@${os.hostname()}`,
      `Then open ${links.httpUrl.replace("//127.0.0.1:", "//localhost:")} there.`,
    );
    if (token) human.push(TOKEN_HINT);
  } else {
    const failed = await launch(opener, links.url, ctx.env);
    if (failed) {
      human.push(`Could not open a browser (${failed.message}). Open the URL above yourself.`);
      if (token) human.push(TOKEN_HINT);
    } else human.push(token ? "Opened in your browser (signed in with the gateway token). Keep that tab to control OpenClaw." : "Opened in your browser. Keep that tab to control OpenClaw.");
  }
  return { data, human };
};
