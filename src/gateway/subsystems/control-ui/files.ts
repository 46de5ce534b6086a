/**
 * The Control UI's static files: base-path normalisation, the asset root, safe path mapping (no `..`,
 * realpath kept inside the root), the SPA fallback's Accept rule, content types and cache headers.
 * Pure helpers; the subsystem (index.ts) answers the requests.
 */
import { existsSync, realpathSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { normalizeControlUiBasePath } from "../../../config/index.js";

/** `gateway.controlUi.basePath` as served (see config/control-ui.ts). */
export const normalizeBasePath: (raw: string | undefined) => string = normalizeControlUiBasePath;

/** The package's `dist/control-ui/`, found from this module's location (works from dist/ and from src/ under tsx). */
export function bundledControlUiRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, "package.json"))) return path.join(dir, "dist", "control-ui");
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve("dist", "control-ui");
    dir = parent;
  }
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
};

/** The Content-Type of a served file, by extension. */
export function contentTypeOf(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

/** Security headers on every Control UI answer. */
export const UI_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy":
    "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:",
};

/** A fingerprinted bundle file (`assets/<name>-<hash>.<ext>`): cached for a year. */
export function isHashedAsset(rel: string): boolean {
  return /^assets\/(?:.+\/)?[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/i.test(rel);
}

/** Whether the last path segment names a file with an extension (a missing one is a 404, not the SPA page). */
export function hasExtension(rel: string): boolean {
  return /\.[A-Za-z0-9]+$/.test(rel.split("/").pop() ?? "");
}

/** Whether `Accept` lets the SPA fallback answer with HTML: no header, `*\/*`, `text/*` or `text/html` with q > 0. */
export function acceptsHtml(accept: string | undefined): boolean {
  if (!accept || accept.trim() === "") return true;
  let html: boolean | undefined;
  let wildcard = false;
  for (const part of accept.split(",")) {
    const [type = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    const ok = Number.isFinite(weight) && weight > 0;
    if (type.trim() === "text/html") html = ok;
    else if (type.trim() === "*/*" || type.trim() === "text/*") wildcard ||= ok;
  }
  return html ?? wildcard;
}

/**
 * Maps a raw (still percent-encoded) path below the base to a file relative to the root: `""`/`/` →
 * index.html, anything containing `/assets/` → `assets/<rest>`. Undefined when the path is unsafe
 * (bad encoding, `..`, NUL, backslash) or names a precompressed file.
 */
export function relativeFileOf(rawPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
  const segments = decoded.split("/").filter((s) => s !== "");
  if (segments.some((s) => s === ".." || s === ".")) return undefined;
  if (segments.length === 0) return "index.html";
  const at = segments.indexOf("assets");
  const rel = (at > 0 ? segments.slice(at) : segments).join("/");
  if (/\.(gz|br)$/i.test(rel)) return undefined;
  return rel;
}

/** A regular file at `rel` whose real path stays inside `root` (symlinks out are refused), with its stats. */
export async function resolveInside(root: string, rel: string): Promise<{ file: string; size: number; mtime: Date } | undefined> {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return undefined;
  }
  const candidate = path.resolve(realRoot, rel);
  try {
    const real = realpathSync(candidate);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return undefined;
    const info = await stat(real);
    if (!info.isFile()) return undefined;
    return { file: real, size: info.size, mtime: info.mtime };
  } catch {
    return undefined;
  }
}
