/**
 * OpenClaw's own archive layout (`openclaw backup create`): `<root>/manifest.json` with
 * `schemaVersion: 1`, `archiveRoot`, `assets[{kind, sourcePath, archivePath}]`, and the files under
 * `<root>/payload/posix/<absolute source path>/…`. This maps its assets onto this machine: the
 * state asset (and a credentials dir kept outside it) into the target state dir, a config kept
 * outside the state dir onto the target config path, workspaces as externals.
 */
import path from "node:path";
import type { ScannedEntry } from "./scan.js";

export interface OpenClawAsset {
  kind: string;
  sourcePath: string;
  archivePath: string;
}

export interface OpenClawManifest {
  schemaVersion: 1;
  archiveRoot: string;
  createdAt: string;
  runtimeVersion: string;
  platform: string;
  paths: { stateDir?: string; configPath?: string; workspaceDirs?: string[] };
  assets: OpenClawAsset[];
  /** Our extra fields, when this tool wrote the archive (sizes, modes, checksums, origin). */
  ours?: OurExtras;
}

/** What `backup create` adds to OpenClaw's manifest. */
export interface OurExtras {
  version: number;
  host: string;
  user: string;
  profile: string | null;
  home: string;
  mode: "full" | "minimal";
  entries: Array<{ path: string; type: "file" | "dir" | "symlink"; size: number; mode: number; sha256?: string; linkname?: string; category?: string; note?: string }>;
  skipped: Array<{ kind?: string; sourcePath: string; reason: string }>;
  sealed?: { path: string; sha256: string; files: string[] };
  migration?: Record<string, unknown>;
}

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v : undefined);

/** The entry that holds an OpenClaw manifest (`<one segment>/manifest.json`), if any. */
export function isOpenClawManifestPath(p: string): boolean {
  return /^[^/]+\/manifest\.json$/.test(p);
}

/** Parses an OpenClaw manifest; problems name what is wrong with it. */
export function parseOpenClawManifest(text: string): { manifest?: OpenClawManifest; problems: string[] } {
  let raw: Record<string, unknown>;
  try {
    raw = rec(JSON.parse(text));
  } catch (e) {
    return { problems: [`manifest.json does not parse: ${(e as Error).message}`] };
  }
  const problems: string[] = [];
  if (raw.schemaVersion !== 1) problems.push(`manifest.json: unsupported schemaVersion ${JSON.stringify(raw.schemaVersion)} (expected 1)`);
  const root = str(raw.archiveRoot);
  if (!root || root.includes("/") || root.includes("\\") || root === "." || root === "..") problems.push(`manifest.json: archiveRoot must be one path segment, got ${JSON.stringify(raw.archiveRoot)}`);
  if (!Array.isArray(raw.assets)) problems.push("manifest.json: assets is missing");
  const assets: OpenClawAsset[] = [];
  for (const a of Array.isArray(raw.assets) ? raw.assets : []) {
    const kind = str(rec(a).kind);
    const sourcePath = str(rec(a).sourcePath);
    const archivePath = str(rec(a).archivePath)?.replace(/\/+$/, "");
    if (!kind || !sourcePath || !archivePath) {
      problems.push(`manifest.json: an asset lacks kind, sourcePath or archivePath: ${JSON.stringify(a)}`);
      continue;
    }
    assets.push({ kind, sourcePath, archivePath });
  }
  if (problems.length || !root) return { problems };
  const paths = rec(raw.paths);
  let ours: OurExtras | undefined;
  if (raw.format === "openclaw-backup") {
    if (!Array.isArray(raw.entries)) problems.push("manifest.json: format openclaw-backup without its entries list");
    else {
      const sealed = rec(raw.sealed);
      ours = {
        version: typeof raw.version === "number" ? raw.version : 0,
        host: str(raw.host) ?? "unknown",
        user: str(raw.user) ?? "",
        profile: str(raw.profile) ?? null,
        home: str(raw.home) ?? "",
        mode: raw.mode === "minimal" ? "minimal" : "full",
        entries: raw.entries as OurExtras["entries"],
        skipped: (Array.isArray(raw.skipped) ? raw.skipped : []).map((x) => ({ ...(str(rec(x).kind) ? { kind: rec(x).kind as string } : {}), sourcePath: String(rec(x).sourcePath ?? ""), reason: String(rec(x).reason ?? "") })),
        ...(str(sealed.path) && str(sealed.sha256) ? { sealed: { path: sealed.path as string, sha256: sealed.sha256 as string, files: Array.isArray(sealed.files) ? sealed.files.map(String) : [] } } : {}),
        ...(raw.migration && typeof raw.migration === "object" ? { migration: raw.migration as Record<string, unknown> } : {}),
      };
    }
  }
  if (ours?.sealed && ours.sealed.path !== `${root}/secrets.sealed.json`) problems.push(`manifest.json: sealed secrets must be ${root}/secrets.sealed.json, not ${ours.sealed.path}`);
  if (problems.length || !root) return { problems };
  return {
    manifest: {
      schemaVersion: 1,
      archiveRoot: root,
      createdAt: str(raw.createdAt) ?? "unknown",
      runtimeVersion: str(raw.runtimeVersion) ?? "unknown",
      platform: str(raw.platform) ?? "unknown",
      paths: { ...(str(paths.stateDir) ? { stateDir: paths.stateDir as string } : {}), ...(str(paths.configPath) ? { configPath: paths.configPath as string } : {}) },
      assets,
      ...(ours ? { ours } : {}),
    },
    problems,
  };
}

/** The home the archive came from, guessed from its state dir (`<home>/.openclaw`), for rehoming. */
export function openClawSourceHome(m: OpenClawManifest): string | undefined {
  if (m.ours?.home && path.posix.isAbsolute(m.ours.home)) return m.ours.home;
  const state = m.paths.stateDir ?? m.assets.find((a) => a.kind === "state")?.sourcePath;
  if (!state || !path.posix.isAbsolute(state)) return undefined;
  return /^\.(openclaw|clawdbot|moltbot)/.test(path.posix.basename(state)) ? path.posix.dirname(state) : undefined;
}

/** How one archive entry maps: onto an asset (with the path below it), ignorable, or a problem. */
export type OpenClawPlacement = { asset: OpenClawAsset; index: number; rel: string } | { ignore: true } | { problem: string };

/** Places entries under the manifest's assets; asset-level problems (paths, kinds, nesting, missing payload) first. */
export function placeOpenClawEntries(m: OpenClawManifest, entries: ScannedEntry[]): { problems: string[]; place(e: ScannedEntry): OpenClawPlacement } {
  const problems: string[] = [];
  const root = m.archiveRoot;
  const payload = `${root}/payload/`;
  const usable: Array<{ asset: OpenClawAsset; index: number }> = [];
  for (const [index, a] of m.assets.entries()) {
    if (!["state", "config", "credentials", "workspace", "agent"].includes(a.kind)) problems.push(`manifest.json: asset ${a.archivePath}: unknown kind ${JSON.stringify(a.kind)}`);
    else if (a.archivePath.split("/").some((s) => s === ".." || s === ".") || !a.archivePath.startsWith(payload)) problems.push(`manifest.json: asset path ${a.archivePath} is outside ${payload}`);
    else if (!path.posix.isAbsolute(a.sourcePath)) problems.push(`manifest.json: asset ${a.archivePath}: sourcePath ${a.sourcePath} is not absolute`);
    else usable.push({ asset: a, index });
  }
  for (const a of usable) {
    for (const b of usable) {
      if (a !== b && (b.asset.archivePath + "/").startsWith(`${a.asset.archivePath}/`)) problems.push(`manifest.json: asset ${b.asset.archivePath} is nested inside asset ${a.asset.archivePath}`);
    }
    if (!entries.some((e) => e.path === a.asset.archivePath || e.path.startsWith(`${a.asset.archivePath}/`))) problems.push(`${a.asset.archivePath}: in the manifest but missing from the archive`);
  }
  if (usable.filter((a) => a.asset.kind === "state").length > 1) problems.push("manifest.json: more than one state asset");
  const place = (e: ScannedEntry): OpenClawPlacement => {
    if (e.path === `${root}/manifest.json` || (m.ours?.sealed && e.path === m.ours.sealed.path)) return { ignore: true };
    if (e.path !== root && !e.path.startsWith(`${root}/`)) return { problem: `outside the archive root ${root}/` };
    const hit = usable.find((a) => e.path === a.asset.archivePath || e.path.startsWith(`${a.asset.archivePath}/`));
    if (hit) return { asset: hit.asset, index: hit.index, rel: e.path === hit.asset.archivePath ? "" : e.path.slice(hit.asset.archivePath.length + 1) };
    // Parent directories of the assets (`<root>/`, `<root>/payload/posix/home/…`) carry nothing.
    if (e.type === "dir" && usable.some((a) => a.asset.archivePath.startsWith(`${e.path}/`))) return { ignore: true };
    return { problem: "not under any asset in the manifest" };
  };
  return { problems, place };
}
