/**
 * Reads an archive (this tool's layout or OpenClaw's), maps every entry onto the target machine
 * and applies the shared refusal rules (safety.ts). `backup verify` reports the result; `backup
 * restore` plans from it and writes nothing unless it is clean. External dirs are vetted against
 * what the RESTORED config (the archive's own openclaw.json, rehomed) names.
 */
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseJson5 } from "../../config/index.js";
import { AppError } from "../../shared/index.js";
import { checkSqliteIntegrity } from "../../storage/index.js";
import type { BackupManifest, ManifestEntry } from "./create.js";
import { MANIFEST_NAME } from "./create.js";
import { type Category, categorize } from "./layout.js";
import { isOpenClawManifestPath, openClawSourceHome, parseOpenClawManifest, placeOpenClawEntries } from "./openclaw-layout.js";
import { checkExtraction, externalRefusal, type MappedEntry, refusedType, unsafeName, within } from "./safety.js";
import { type ScannedEntry, scanArchive } from "./scan.js";

/** Where a restore writes on this machine. */
export interface RestoreTarget {
  stateDir: string;
  configPath: string;
  home: string;
  /** A named profile's implicit workspace (`~/.openclaw/workspace-<profile>`), when the config sets none. */
  defaultWorkspaceDir?: string;
}

/** A dir outside the state dir that the archive wants to write, and whether it may. */
export interface ExternalPlan {
  id: string;
  kind: string;
  /** Where it was on the source machine. */
  source: string;
  /** Where it goes here. */
  dest: string;
  status: "refused" | "needs-confirmation" | "confirmed";
  reason?: string;
}

/** An entry ready to be written. */
export interface PlannedEntry extends MappedEntry {
  category: Category;
  mode: number;
  size: number;
  sha256?: string;
  /** The external it belongs to. */
  external?: string;
}

export interface VerifyResult {
  ok: boolean;
  archive: string;
  layout: "openclaw-backup" | "openclaw" | "plain" | "unknown";
  manifest?: BackupManifest;
  problems: string[];
  /** Facts about the archive that are not problems (what a plain tar is and how it is restored). */
  notes: string[];
  checked: number;
  entries: PlannedEntry[];
  externals: ExternalPlan[];
  target: RestoreTarget;
}

/** A path under `fromHome` moved under `toHome` (unchanged when it is elsewhere). */
export function rehome(p: string, fromHome: string, toHome: string): string {
  const rel = path.relative(fromHome, p);
  return rel.startsWith("..") || path.isAbsolute(rel) ? p : path.join(toHome, rel);
}

const OUR_LAYOUT = /^(state|external\/\d+|config)(\/|$)/;
const CONFIG_NAME = /(^|\/)(openclaw|clawdbot|moltbot)\.json$|^config\/[^/]+$/;

/** Dirs the restored config names as workspaces or agent dirs, on this machine. */
function namedDirs(configText: string | undefined, srcHome: string | undefined, target: RestoreTarget): { named: Set<string>; note?: string } {
  const named = new Set<string>();
  if (configText === undefined) return { named, note: "the archive holds no config" };
  let cfg: Record<string, unknown>;
  try {
    cfg = parseJson5(configText) as Record<string, unknown>;
  } catch (e) {
    return { named, note: `the archived config does not parse: ${(e as Error).message.split("\n")[0]}` };
  }
  const o = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const add = (v: unknown) => {
    if (typeof v !== "string" || !v.trim()) return;
    const t = v.trim();
    const abs = path.resolve(t === "~" || t.startsWith("~/") ? path.join(target.home, t.slice(1)) : t);
    named.add(srcHome ? rehome(abs, srcHome, target.home) : abs);
  };
  const agents = o(cfg.agents);
  add(o(agents.defaults).workspace);
  if (!o(agents.defaults).workspace && target.defaultWorkspaceDir) named.add(target.defaultWorkspaceDir);
  // OpenClaw's list (`agents.list[]`) and its newer map (`agents.entries.<id>`).
  for (const a of [...(Array.isArray(agents.list) ? agents.list : []), ...Object.values(o(agents.entries))]) {
    add(o(a).workspace);
    add(o(a).agentDir);
  }
  return { named };
}

/** The path with its existing part resolved through links on disk. */
function realOnDisk(p: string): string {
  let probe = p;
  const rest: string[] = [];
  while (!existsSync(probe) && path.dirname(probe) !== probe) {
    rest.unshift(path.basename(probe));
    probe = path.dirname(probe);
  }
  try {
    return path.join(realpathSync(probe), ...rest);
  } catch {
    return p;
  }
}

/** An entry name of a plain tar without its leading `/` and `./`. */
function plainName(p: string): string {
  return p.replace(/^(\.?\/)+/, "").replace(/\/+$/, "");
}

const STATE_DIR_NAME = /^\.(openclaw|clawdbot|moltbot|moldbot)(-[^/]+)?$/;

/**
 * The state dir inside a plain tar (`tar czf x ~/.openclaw`: `home/alice/.openclaw/…`, with -P
 * `/home/alice/.openclaw/…`, or `-C ~ .openclaw`): the one `.openclaw*` directory that holds every
 * entry (its parents aside). A problem sentence when there is none or entries lie outside it.
 */
function plainStateRoot(entries: ScannedEntry[]): { root: string; home?: string } | { problem: string } | undefined {
  const names = entries.map((e) => plainName(e.path)).filter(Boolean);
  const roots = new Set<string>();
  for (const n of names) {
    const parts = n.split("/");
    const i = parts.findIndex((s) => STATE_DIR_NAME.test(s));
    if (i >= 0) roots.add(parts.slice(0, i + 1).join("/"));
  }
  if (roots.size === 0) return undefined;
  if (roots.size > 1) return { problem: `a plain tar holding ${roots.size} state dirs (${[...roots].slice(0, 3).join(", ")}): restore one at a time from a tar of one state dir` };
  const root = [...roots][0]!;
  const outside = names.filter((n) => n !== root && !n.startsWith(`${root}/`) && !root.startsWith(`${n}/`));
  if (outside.length) return { problem: `a plain tar of ${root} that also holds ${outside.length} path(s) outside it (${outside.slice(0, 2).join(", ")}${outside.length > 2 ? ", …" : ""}); only a tar of the state dir alone can be restored` };
  const parent = path.posix.dirname(root);
  return { root, ...(parent !== "." ? { home: `/${parent}` } : {}) };
}

const typeOf = (e: ScannedEntry): PlannedEntry["type"] | undefined => (e.type === "file" || e.type === "dir" || e.type === "symlink" ? e.type : undefined);

/**
 * The whole check: read, recognise the layout, map every entry, vet externals, simulate the
 * extraction over what is on disk at `target`. Never writes.
 */
/** Options of a check: `deep` also runs `PRAGMA integrity_check` on a temp copy of every SQLite database. */
export interface InspectOptions {
  deep?: boolean;
}

/**
 * SQLite entries: one the manifest lists as an online snapshot must start with SQLite's header;
 * with `deep`, every database's extracted copy must pass `PRAGMA integrity_check`.
 */
function checkSqliteEntries(scanned: ScannedEntry[], snapshots: Set<string>, deep: boolean, problems: string[], notes: string[]): void {
  for (const e of scanned) if (e.type === "file" && snapshots.has(e.path) && !e.sqlite) problems.push(`${e.path}: listed as a sqlite snapshot but it does not start with SQLite's header`);
  if (!deep) return;
  let n = 0;
  for (const e of scanned) {
    if (!e.extracted) continue;
    n++;
    const verdict = checkSqliteIntegrity(e.extracted);
    if (verdict !== "ok") problems.push(`${e.path}: PRAGMA integrity_check: ${verdict}`);
  }
  notes.push(`--deep: ${n} SQLite database(s) checked with PRAGMA integrity_check`);
}

const isSnapshotNote = (note: unknown) => typeof note === "string" && note.startsWith("sqlite online backup");

export async function inspectArchive(archive: string, target: RestoreTarget, o: InspectOptions = {}): Promise<VerifyResult> {
  if (!existsSync(archive)) throw new AppError("NOT_FOUND", `${archive} does not exist`, { hint: "Check the archive path." });
  const tmp = o.deep ? mkdtempSync(path.join(os.tmpdir(), "openclaw-verify-")) : undefined;
  try {
    return await inspectScanned(archive, target, tmp);
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

async function inspectScanned(archive: string, target: RestoreTarget, sqliteDir: string | undefined): Promise<VerifyResult> {
  const scan = await scanArchive(archive, (p, i) => (i === 0 && p === MANIFEST_NAME) || isOpenClawManifestPath(p) || CONFIG_NAME.test(p), sqliteDir ? { extractSqlite: sqliteDir } : {});
  const snapshots = new Set<string>();
  const problems: string[] = [];
  const entries: PlannedEntry[] = [];
  const externals: ExternalPlan[] = [];
  let manifest: BackupManifest | undefined;
  let layout: VerifyResult["layout"] = "unknown";
  let checked = 0;
  let srcHome: string | undefined;
  const extRoots = new Map<string, string>();
  const first = scan.entries[0];
  const ocManifests = scan.entries.filter((e) => isOpenClawManifestPath(e.path));

  const noManifest = !!first && first.path !== MANIFEST_NAME && ocManifests.length === 0;
  const plain = noManifest ? plainStateRoot(scan.entries) : undefined;
  // A plain tar of ~/.openclaw may store absolute names (`tar -P`); they are judged without the leading `/`.
  const nameOf = (e: ScannedEntry) => (noManifest ? plainName(e.path) : e.path);
  for (const e of scan.entries) {
    const bad = unsafeName(nameOf(e));
    if (bad) problems.push(`${e.path}: ${bad}`);
    if (e.type === "other") problems.push(`${e.path}: ${refusedType(e.flag)}`);
  }
  const named = (e: ScannedEntry) => !unsafeName(nameOf(e)) && e.type !== "other";
  const notes: string[] = [];

  if (first?.path === MANIFEST_NAME && first.type === "file") {
    layout = "openclaw-backup";
    try {
      manifest = JSON.parse(scan.texts.get(MANIFEST_NAME) ?? "") as BackupManifest;
      if (manifest.format !== "openclaw-backup") problems.push("manifest.json is not an openclaw backup manifest");
    } catch (e) {
      problems.push(`manifest.json does not parse: ${(e as Error).message}`);
    }
    const expected = new Map<string, ManifestEntry>((Array.isArray(manifest?.entries) ? manifest.entries : []).map((x) => [x.path, x]));
    for (const x of expected.values()) if (isSnapshotNote(x.note)) snapshots.add(x.path);
    srcHome = typeof manifest?.home === "string" && manifest.home ? manifest.home : undefined;
    for (const x of Array.isArray(manifest?.externals) ? manifest.externals : []) {
      if (!/^\d+$/.test(String(x.id)) || x.archivePath !== `external/${x.id}` || typeof x.originalPath !== "string" || !path.isAbsolute(x.originalPath) || extRoots.has(x.id)) {
        problems.push(`manifest.json: external ${JSON.stringify(x)} is malformed (id, archivePath external/<id>, absolute originalPath)`);
        continue;
      }
      const dest = srcHome ? rehome(path.resolve(x.originalPath), srcHome, target.home) : path.resolve(x.originalPath);
      extRoots.set(x.id, dest);
      externals.push({ id: x.id, kind: String(x.kind), source: x.originalPath, dest, status: "needs-confirmation" });
    }
    const seen = new Set<string>();
    for (const e of scan.entries.slice(1)) {
      seen.add(e.path);
      if (!named(e)) continue;
      if (!OUR_LAYOUT.test(e.path)) {
        problems.push(`${e.path}: outside the archive layout (state/, external/<n>/, config/)`);
        continue;
      }
      const want = expected.get(e.path);
      if (!want) {
        if (manifest) problems.push(`${e.path}: not listed in the manifest`);
        continue;
      }
      if (want.type !== e.type) problems.push(`${e.path}: manifest says ${want.type}, archive has ${e.type}`);
      if (e.type === "file") {
        checked++;
        if (e.size !== want.size) problems.push(`${e.path}: ${e.size} bytes, manifest says ${want.size}`);
        else if (e.sha256 !== want.sha256) problems.push(`${e.path}: checksum mismatch`);
      }
      const type = typeOf(e)!;
      const base = { entry: e.path, type, mode: want.mode ?? e.mode, size: e.size, category: want.category ?? "state", ...(e.sha256 ? { sha256: e.sha256 } : {}), ...(type === "symlink" ? { linkname: e.linkname ?? "" } : {}) };
      if (e.path === "state" || e.path.startsWith("state/")) {
        entries.push({ ...base, dest: path.join(target.stateDir, ...e.path.slice(6).split("/").filter(Boolean)), root: target.stateDir });
      } else if (e.path.startsWith("config")) {
        if (!/^config\/[^/]+$/.test(e.path) || type !== "file") problems.push(`${e.path}: config/ holds exactly one file, the config`);
        else entries.push({ ...base, category: "config", dest: target.configPath, root: path.dirname(target.configPath) });
      } else {
        const [, id, rest] = /^external\/(\d+)(?:\/(.*))?$/.exec(e.path)!;
        const root = extRoots.get(id!);
        if (!root) problems.push(`${e.path}: external ${id} is not in the manifest`);
        else entries.push({ ...base, dest: rest ? path.join(root, ...rest.split("/")) : root, root, external: id! });
      }
    }
    for (const p of expected.keys()) if (!seen.has(p)) problems.push(`${p}: in the manifest but missing from the archive`);
  } else if (ocManifests.length === 1) {
    layout = "openclaw";
    const parsed = parseOpenClawManifest(scan.texts.get(ocManifests[0]!.path) ?? "");
    problems.push(...parsed.problems);
    const m = parsed.manifest;
    if (m && ocManifests[0]!.path !== `${m.archiveRoot}/manifest.json`) problems.push(`${ocManifests[0]!.path}: the manifest is not under its archiveRoot ${m.archiveRoot}/`);
    if (m) {
      srcHome = openClawSourceHome(m);
      const placed = placeOpenClawEntries(m, scan.entries);
      problems.push(...placed.problems);
      for (const [i, a] of m.assets.entries()) {
        if (a.kind !== "workspace" && a.kind !== "agent") continue;
        const dest = srcHome ? rehome(path.posix.resolve(a.sourcePath), srcHome, target.home) : path.posix.resolve(a.sourcePath);
        extRoots.set(`${i + 1}`, dest);
        externals.push({ id: `${i + 1}`, kind: a.kind === "agent" ? "agentDir" : "workspace", source: a.sourcePath, dest, status: "needs-confirmation" });
      }
      // Our archives list every entry with its size, mode and checksum: check them all.
      const listed = m.ours ? new Map(m.ours.entries.map((x) => [x.path, x])) : undefined;
      for (const x of listed?.values() ?? []) if (isSnapshotNote(x.note)) snapshots.add(x.path);
      const seen = new Set<string>();
      for (const e of scan.entries) {
        if (!named(e)) continue;
        const p = placed.place(e);
        if ("problem" in p) problems.push(`${e.path}: ${p.problem}`);
        if (!("asset" in p)) continue;
        if (e.type === "file") checked++;
        const type = typeOf(e)!;
        const want = listed?.get(e.path);
        if (listed) {
          seen.add(e.path);
          if (!want) {
            problems.push(`${e.path}: not listed in the manifest`);
            continue;
          }
          if (want.type !== e.type) problems.push(`${e.path}: manifest says ${want.type}, archive has ${e.type}`);
          else if (e.type === "file" && e.size !== want.size) problems.push(`${e.path}: ${e.size} bytes, manifest says ${want.size}`);
          else if (e.type === "file" && e.sha256 !== want.sha256) problems.push(`${e.path}: checksum mismatch`);
        }
        const base = { entry: e.path, type, mode: typeof want?.mode === "number" ? want.mode : e.mode, size: e.size, ...(e.sha256 ? { sha256: e.sha256 } : {}), ...(type === "symlink" ? { linkname: e.linkname ?? "" } : {}) };
        const parts = p.rel ? p.rel.split("/") : [];
        if (p.asset.kind === "state") entries.push({ ...base, category: p.rel ? categorize(p.rel) : "state", dest: path.join(target.stateDir, ...parts), root: target.stateDir });
        else if (p.asset.kind === "credentials") entries.push({ ...base, category: "credentials", dest: path.join(target.stateDir, "credentials", ...parts), root: target.stateDir });
        else if (p.asset.kind === "config") {
          if (p.rel || type !== "file") problems.push(`${e.path}: a config asset is one file`);
          else entries.push({ ...base, category: "config", dest: target.configPath, root: path.dirname(target.configPath) });
        } else {
          const root = extRoots.get(`${p.index + 1}`)!;
          entries.push({ ...base, category: p.asset.kind === "agent" ? "agents" : "workspaces", dest: path.join(root, ...parts), root, external: `${p.index + 1}` });
        }
      }
      if (listed) for (const x of listed.keys()) if (!seen.has(x)) problems.push(`${x}: in the manifest but missing from the archive`);
      const sealedEntry = m.ours?.sealed ? scan.entries.find((e) => e.path === m.ours!.sealed!.path) : undefined;
      if (m.ours?.sealed && (!sealedEntry || sealedEntry.sha256 !== m.ours.sealed.sha256)) problems.push(`${m.ours.sealed.path}: ${sealedEntry ? "checksum mismatch" : "in the manifest but missing from the archive"}`);
      const ours = m.ours;
      manifest = {
        format: "openclaw-backup",
        version: ours?.version ?? 0,
        createdAt: m.createdAt,
        host: ours ? ours.host : `OpenClaw ${m.runtimeVersion} archive`,
        user: ours?.user ?? "",
        platform: m.platform,
        profile: ours?.profile ?? null,
        stateDir: m.paths.stateDir ?? "",
        home: srcHome ?? "",
        mode: ours?.mode ?? "full",
        externals: externals.map((x) => ({ id: x.id, kind: x.kind === "agentDir" ? "agentDir" : "workspace", originalPath: x.source, archivePath: m.assets[Number(x.id) - 1]!.archivePath })),
        excluded: (ours?.skipped ?? []).map((x) => ({ path: x.sourcePath, reason: x.reason })),
        entries: entries.map((e) => ({ path: e.entry, type: e.type, size: e.size, mode: e.mode, category: e.category, ...(e.sha256 ? { sha256: e.sha256 } : {}), ...(e.linkname !== undefined ? { linkname: e.linkname } : {}) })),
        ...(ours?.migration ? { migration: ours.migration } : {}),
        ...(ours?.sealed ? { sealed: ours.sealed } : {}),
      };
    }
  } else if (ocManifests.length > 1) {
    problems.push(`${ocManifests.length} manifests (${ocManifests.map((e) => e.path).join(", ")}); an archive has exactly one`);
  } else if (plain && "root" in plain) {
    layout = "plain";
    srcHome = plain.home;
    const source = plain.home ? `${plain.home}/${path.posix.basename(plain.root)}` : plain.root;
    notes.push(`a plain tar of ${source} (no manifest, so there are no checksums to check); restore writes what is under ${plain.root}/ into ${target.stateDir} with the same safety checks as any archive`);
    for (const e of scan.entries) {
      if (!named(e)) continue;
      const name = plainName(e.path);
      if (name !== plain.root && !name.startsWith(`${plain.root}/`)) continue; // its parent dirs
      if (e.type === "file") checked++;
      const type = typeOf(e)!;
      const rel = name.slice(plain.root.length + 1);
      entries.push({ entry: e.path, type, mode: e.mode, size: e.size, category: rel ? categorize(rel) : "state", dest: path.join(target.stateDir, ...rel.split("/").filter(Boolean)), root: target.stateDir, ...(e.sha256 ? { sha256: e.sha256 } : {}), ...(type === "symlink" ? { linkname: e.linkname ?? "" } : {}) });
    }
    manifest = {
      format: "openclaw-backup",
      version: 0,
      createdAt: "unknown",
      host: "a plain tar",
      user: "",
      platform: "unknown",
      profile: null,
      stateDir: source,
      home: srcHome ?? "",
      mode: "full",
      externals: [],
      excluded: [],
      entries: entries.map((e) => ({ path: e.entry, type: e.type, size: e.size, mode: e.mode, category: e.category, ...(e.sha256 ? { sha256: e.sha256 } : {}), ...(e.linkname !== undefined ? { linkname: e.linkname } : {}) })),
    };
  } else if (first) {
    problems.push(plain?.problem ?? `not an OpenClaw backup: no manifest.json, no <root>/manifest.json, and no .openclaw directory (the first entry is ${first.path})`);
  }
  if (scan.error) problems.push(scan.error);
  else checkSqliteEntries(scan.entries, snapshots, !!sqliteDir, problems, notes);
  if (!manifest && !problems.length) problems.push("no manifest.json");

  // Externals: only dirs the restored config names, never home, dot-dirs, state-dir ancestors or system dirs.
  const configEntry = entries.find((e) => e.type === "file" && e.dest === target.configPath);
  const configText = configEntry ? (scan.texts.get(configEntry.entry) ?? undefined) : undefined;
  const { named: namedSet, note } = namedDirs(configText, srcHome, target);
  const label = (x: ExternalPlan) => (layout === "openclaw" ? (manifest?.externals.find((m) => m.id === x.id)?.archivePath ?? x.id) : `external/${x.id}`);
  for (const x of externals) {
    const opts = { home: target.home, stateDir: target.stateDir, named: namedSet, ...(note ? { namedNote: note } : {}) };
    let reason = externalRefusal(x.dest, opts);
    const real = realOnDisk(x.dest);
    if (!reason && real !== x.dest) {
      const why = externalRefusal(real, { ...opts, named: new Set([...namedSet, real]) });
      if (why) reason = `leads on disk to ${real}: ${why}`;
    }
    const other = externals.find((y) => y !== x && (within(x.dest, y.dest) || within(y.dest, x.dest)));
    if (!reason && other) reason = `overlaps ${label(other)} (${other.dest})`;
    if (reason) {
      x.status = "refused";
      x.reason = reason;
      problems.push(`${label(x)} (${x.kind}) → ${x.dest}: ${reason}`);
    }
  }
  const refused = new Set(externals.filter((x) => x.status === "refused").map((x) => x.id));
  problems.push(...checkExtraction(entries.filter((e) => !e.external || !refused.has(e.external))));
  return { ok: problems.length === 0, archive, layout, ...(manifest ? { manifest } : {}), problems, notes, checked, entries, externals, target };
}
