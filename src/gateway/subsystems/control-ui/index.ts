/**
 * The `controlUi` subsystem: serves the Control UI's static files on the gateway port under
 * `gateway.controlUi.basePath` (GET/HEAD, no HTTP auth: a browser navigation cannot send a bearer),
 * with the SPA fallback, security headers and caching rules; and the auth-gated
 * `<base>/control-ui-config.json`. `enabled` applies at once; `basePath`/`root` re-mount the routes.
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { OpenClawConfig } from "../../../config/index.js";
import type { Route, RouteRequest } from "../../routes.js";
import type { ApplyResult, ConfigChange, Subsystem, SubsystemContext } from "../../subsystem.js";
import { CoreBound } from "../base.js";
import {
  acceptsHtml,
  bundledControlUiRoot,
  contentTypeOf,
  hasExtension,
  isHashedAsset,
  normalizeBasePath,
  relativeFileOf,
  resolveInside,
  UI_SECURITY_HEADERS,
} from "./files.js";

export { acceptsHtml, bundledControlUiRoot, normalizeBasePath, relativeFileOf } from "./files.js";

/** Paths that are never the UI when it is mounted at the root (they fall through to 404). */
const NOT_UI = /^\/(?:api|v1|j|ui|plugins)(?:\/|$)/;

function text(req: IncomingMessage, res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...UI_SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "content-length": String(Buffer.byteLength(body)), ...headers });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** The raw (percent-encoded) path of a request, without its query. */
function rawPathOf(req: IncomingMessage): { path: string; query: string } {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return q < 0 ? { path: url, query: "" } : { path: url.slice(0, q), query: url.slice(q) };
}

interface Mount {
  base: string;
  root: string;
  custom: boolean;
}

export class ControlUiSubsystem extends CoreBound implements Subsystem {
  readonly name = "controlUi";
  private removers: Array<() => void> = [];
  private mounted: Mount | undefined;

  override start(ctx: SubsystemContext): void {
    super.start(ctx);
    this.mount(ctx.core.runningConfig());
  }

  override stop(): void {
    this.unmount();
    super.stop();
  }

  applyConfig(change: ConfigChange): ApplyResult {
    if (change.paths.some((p) => p.startsWith("gateway.controlUi.basePath") || p.startsWith("gateway.controlUi.root") || p === "gateway.controlUi")) {
      this.mount(change.next);
      return "restarted";
    }
    return "applied";
  }

  health(): Record<string, unknown> {
    const ui = this.maybeCore?.runningConfig().gateway.controlUi;
    return { controlUi: { enabled: ui?.enabled !== false, basePath: this.mounted?.base ?? "" } };
  }

  private unmount(): void {
    for (const remove of this.removers.splice(0)) remove();
  }

  private mount(config: OpenClawConfig): void {
    this.unmount();
    const ui = config.gateway.controlUi;
    const base = normalizeBasePath(ui?.basePath);
    const custom = Boolean(ui?.root?.trim());
    const root = custom ? path.resolve(ui!.root!.trim()) : bundledControlUiRoot();
    this.mounted = { base, root, custom };
    const routes: Route[] = [
      { method: "GET", path: base ? `${base}/*` : "/*", auth: "none", fallback: true, owner: this.name, handle: (r, res) => this.serveStatic(r, res) },
      { method: "GET", path: `${base}/control-ui-config.json`, auth: "bearer", owner: this.name, handle: (r, res) => this.serveConfig(r, res) },
    ];
    if (base !== "/__openclaw__") routes.push({ method: "GET", path: "/__openclaw__/control-ui-config.json", auth: "bearer", owner: this.name, handle: (r, res) => this.serveConfig(r, res) });
    for (const route of routes) this.removers.push(this.core.addRoute(route));
  }

  private enabled(): boolean {
    return this.maybeCore?.runningConfig().gateway.controlUi?.enabled !== false;
  }

  private serveConfig({ req }: RouteRequest, res: ServerResponse): void {
    if (!this.enabled()) {
      text(req, res, 404, "Not Found");
      return;
    }
    const config = this.core.runningConfig() as OpenClawConfig & { ui?: { assistant?: { name?: unknown } } };
    const agents = (config.agents as { list?: Array<{ id?: unknown; default?: unknown }> } | undefined)?.list;
    const agent = agents?.find((a) => a.default === true) ?? agents?.[0];
    const name = config.ui?.assistant?.name;
    const body = JSON.stringify({
      basePath: this.mounted?.base ?? "",
      serverVersion: this.core.version,
      ...(typeof name === "string" && name ? { assistantName: name } : {}),
      ...(typeof agent?.id === "string" ? { assistantAgentId: agent.id } : {}),
    });
    res.writeHead(200, { ...UI_SECURITY_HEADERS, "content-type": "application/json; charset=utf-8", "cache-control": "no-cache", "content-length": String(Buffer.byteLength(body)) });
    res.end(req.method === "HEAD" ? undefined : body);
  }

  private async serveStatic({ req }: RouteRequest, res: ServerResponse): Promise<void> {
    const mount = this.mounted;
    if (!mount || !this.enabled()) {
      text(req, res, 404, "Not Found");
      return;
    }
    const raw = rawPathOf(req);
    if (mount.base && raw.path === mount.base) {
      res.writeHead(302, { ...UI_SECURITY_HEADERS, location: `${mount.base}/${raw.query}`, "cache-control": "no-store", "content-length": "0" });
      res.end();
      return;
    }
    let below = mount.base ? raw.path.slice(mount.base.length) : raw.path;
    // OpenClaw's alias for root files (favicons, manifest): /__openclaw__/<file>.
    if (below.startsWith("/__openclaw__/")) below = below.slice("/__openclaw__".length);
    if (!mount.base && NOT_UI.test(below)) {
      text(req, res, 404, "Not Found");
      return;
    }
    const index = await resolveInside(mount.root, "index.html");
    if (!index) {
      const hint = mount.custom
        ? `Control UI assets not found at ${mount.root}. Point gateway.controlUi.root at a built Control UI (index.html + assets/), or remove it to use the bundled one.`
        : "Control UI assets not found. Build them with `npm run build` (they go to dist/control-ui/), then reload this page.";
      text(req, res, 503, hint);
      return;
    }
    const rel = relativeFileOf(below);
    if (rel === undefined) {
      text(req, res, 404, "Not Found");
      return;
    }
    const found = await resolveInside(mount.root, rel);
    if (found) {
      await this.sendFile(req, res, found, rel);
      return;
    }
    if (hasExtension(rel) || !acceptsHtml(req.headers.accept)) {
      text(req, res, 404, "Not Found");
      return;
    }
    await this.sendFile(req, res, index, "index.html");
  }

  private async sendFile(req: IncomingMessage, res: ServerResponse, found: { file: string; size: number; mtime: Date }, rel: string): Promise<void> {
    const headers: Record<string, string> = { ...UI_SECURITY_HEADERS, "content-type": contentTypeOf(found.file) };
    if (isHashedAsset(rel)) headers["cache-control"] = "public, max-age=31536000, immutable";
    else {
      headers["cache-control"] = "no-cache";
      const modified = new Date(Math.floor(found.mtime.getTime() / 1000) * 1000);
      headers["last-modified"] = modified.toUTCString();
      const since = Date.parse(req.headers["if-modified-since"] ?? "");
      if (Number.isFinite(since) && modified.getTime() <= since) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
    }
    const body = req.method === "HEAD" ? undefined : await readFile(found.file);
    res.writeHead(200, { ...headers, "content-length": String(body?.length ?? found.size) });
    res.end(body);
  }
}
