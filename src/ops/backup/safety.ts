/**
 * The one set of refusal rules that `backup verify` and `backup restore` share. An extraction is
 * simulated over an in-memory tree laid on top of what already exists on disk at the destination:
 * every link is resolved through the links the archive creates before it AND the links already on
 * disk, so a chain of links that each look harmless (`x/l1 → ..`, `l2 → x/l1/..`) is seen for where
 * it really leads. Nothing may be written through a link the archive creates, nor through a link
 * on disk that leads out of the entry's root; a link whose target leaves its root is refused.
 */
import { lstatSync, readlinkSync } from "node:fs";
import path from "node:path";

/** An archive entry after layout mapping: where it would land and which root it must stay in. */
export interface MappedEntry {
  /** The entry's name in the archive (used in every problem line). */
  entry: string;
  type: "file" | "dir" | "symlink";
  linkname?: string;
  /** Absolute destination on this machine (lexical, before any link is followed). */
  dest: string;
  /** The directory the entry must stay inside (state dir, the config's dir, or an external dir). */
  root: string;
}

/** What the simulation needs from the disk: lstat types and link targets (replaceable in tests). */
export interface DiskView {
  kind(p: string): "dir" | "file" | "symlink" | "other" | undefined;
  readlink(p: string): string;
}

/** The real disk, never following the last component. */
export const realDisk: DiskView = {
  kind(p) {
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (!st) return undefined;
    return st.isSymbolicLink() ? "symlink" : st.isDirectory() ? "dir" : st.isFile() ? "file" : "other";
  },
  readlink: (p) => readlinkSync(p),
};

/** `child` is `parent` or below it (absolute, normalised paths). */
export function within(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Why an entry name is unsafe whatever the layout (undefined when it is fine). */
export function unsafeName(p: string): string | undefined {
  if (p.includes("\0")) return "NUL in path";
  if (p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("\\")) return "absolute path";
  if (p.split(/[\\/]/).includes("..")) return "`..` in path";
  return undefined;
}

/** Why a tar entry type is refused (hard links, devices, fifos, anything unknown). */
export function refusedType(flag: string): string {
  if (flag === "1") return "hard link not allowed";
  if (flag === "3" || flag === "4") return "device file not allowed";
  if (flag === "6") return "fifo not allowed";
  return `entry type ${JSON.stringify(flag)} not allowed`;
}

interface Node {
  type: MappedEntry["type"];
  linkname?: string;
  entry: string;
}

interface Resolved {
  path: string;
  /** Links followed on the way, in order. */
  via: Array<{ at: string; entry?: string }>;
  loop?: boolean;
}

/** The archive's tree over the disk. */
class VirtualTree {
  readonly nodes = new Map<string, Node>();
  constructor(private readonly disk: DiskView) {}

  private link(p: string): { target: string; entry?: string } | undefined {
    const node = this.nodes.get(p);
    if (node) return node.type === "symlink" ? { target: node.linkname ?? "", entry: node.entry } : undefined;
    return this.disk.kind(p) === "symlink" ? { target: this.disk.readlink(p) } : undefined;
  }

  kind(p: string): "dir" | "file" | "symlink" | "other" | undefined {
    return this.nodes.get(p)?.type ?? this.disk.kind(p);
  }

  fromArchive(p: string): Node | undefined {
    return this.nodes.get(p);
  }

  /** Follows every link (archive first, then disk), like realpath over the would-be tree. `p` is absolute and not normalised (`a/link/..` must follow `link` before `..`). */
  resolve(p: string): Resolved {
    const via: Resolved["via"] = [];
    const queue = p.split("/").filter(Boolean);
    let cur = "/";
    let hops = 0;
    while (queue.length) {
      const c = queue.shift()!;
      if (c === ".") continue;
      if (c === "..") {
        cur = path.dirname(cur);
        continue;
      }
      const next = path.join(cur, c);
      const l = this.link(next);
      if (!l) {
        cur = next;
        continue;
      }
      if (++hops > 40) return { path: next, via, loop: true };
      via.push({ at: next, ...(l.entry ? { entry: l.entry } : {}) });
      if (path.isAbsolute(l.target)) cur = "/";
      queue.unshift(...l.target.split("/").filter(Boolean));
    }
    return { path: cur, via };
  }
}

/**
 * Simulates extracting `entries` in order (links would be created last by restore; the rules
 * make the order irrelevant) and returns one problem line per refused entry. Roots must already
 * be vetted (external dirs by `externalRefusal`).
 */
export function checkExtraction(entries: MappedEntry[], disk: DiskView = realDisk): string[] {
  const problems: string[] = [];
  const tree = new VirtualTree(disk);
  const rootReal = new Map<string, string>();
  for (const e of entries) if (!rootReal.has(e.root)) rootReal.set(e.root, tree.resolve(e.root).path);
  /** Directories the archive writes into (a later link or file may not replace them). */
  const filled = new Set<string>();
  const seen = new Set<string>();
  const links: Array<{ e: MappedEntry; at: string }> = [];

  for (const e of entries) {
    const real = rootReal.get(e.root)!;
    if (seen.has(e.dest)) {
      problems.push(`${e.entry}: duplicate entry (a second entry for the same path)`);
      continue;
    }
    seen.add(e.dest);
    if (e.dest === e.root) {
      if (e.type !== "dir") problems.push(`${e.entry}: the top of ${e.root} must be a directory, the archive has a ${e.type}`);
      continue;
    }
    const parent = tree.resolve(path.dirname(e.dest));
    if (parent.loop) {
      problems.push(`${e.entry}: a loop of links on the way to ${path.dirname(e.dest)}`);
      continue;
    }
    const archiveLink = parent.via.find((v) => v.entry);
    if (archiveLink) {
      problems.push(`${e.entry}: written through the link ${archiveLink.entry} that this archive creates`);
      continue;
    }
    const at = path.join(parent.path, path.basename(e.dest));
    if (!within(at, real)) {
      const diskLink = parent.via[parent.via.length - 1];
      problems.push(diskLink ? `${e.entry}: ${diskLink.at} is a link on disk that leads outside ${e.root} (to ${parent.path})` : `${e.entry}: would be written outside ${e.root}`);
      continue;
    }
    const existing = tree.kind(at);
    const earlier = tree.fromArchive(at);
    if (earlier) {
      problems.push(`${e.entry}: duplicate entry (also written by ${earlier.entry})`);
      continue;
    }
    if (e.type !== "dir" && (existing === "dir" || filled.has(at))) {
      problems.push(`${e.entry}: would replace the directory ${at} with a ${e.type}`);
      continue;
    }
    if (e.type === "dir") {
      if (existing === "file" || existing === "other") {
        problems.push(`${e.entry}: would replace the file ${at} with a directory`);
        continue;
      }
      if (existing === "symlink") {
        const r = tree.resolve(at);
        if (r.loop || !within(r.path, real)) {
          problems.push(`${e.entry}: ${at} is a link on disk that leads outside ${e.root} (to ${r.path})`);
          continue;
        }
      }
    }
    if (e.type === "symlink") {
      const target = e.linkname ?? "";
      if (!target) {
        problems.push(`${e.entry}: a link with an empty target`);
        continue;
      }
      if (path.isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target)) {
        problems.push(`${e.entry}: link to ${target} escapes ${e.root} (an absolute target)`);
        continue;
      }
      links.push({ e, at });
    }
    if (e.type !== "dir" || existing !== "symlink") tree.nodes.set(at, { type: e.type, entry: e.entry, ...(e.linkname !== undefined ? { linkname: e.linkname } : {}) });
    for (let d = path.dirname(at); within(d, real) && d !== real; d = path.dirname(d)) filled.add(d);
  }
  // Links last, over the finished tree: where each really leads once everything is in place.
  for (const { e, at } of links) {
    const r = tree.resolve(`${path.dirname(at)}/${e.linkname ?? ""}`);
    if (r.loop) problems.push(`${e.entry}: link to ${e.linkname} is part of a loop of links`);
    else if (!within(r.path, rootReal.get(e.root)!)) problems.push(`${e.entry}: link to ${e.linkname} escapes ${e.root} (it leads to ${r.path})`);
  }
  return problems;
}

const SYSTEM_DIRS = ["/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/boot", "/dev", "/proc", "/sys", "/run", "/var", "/root", "/System", "/Library", "/Applications", "/private/etc", "/private/var"];

/**
 * Why restore must not write an external dir (undefined when it may, after confirmation). Only
 * dirs the restored config names as a workspace or agentDir; never the home, its ancestors or its
 * dot-directories (~/.ssh, ~/.config; OpenClaw's own ~/.openclaw* excepted), never the state dir's
 * ancestors or inside it, never system directories.
 */
export function externalRefusal(dir: string, o: { home: string; stateDir: string; named: ReadonlySet<string>; namedNote?: string }): string | undefined {
  if (!path.isAbsolute(dir)) return "not an absolute path";
  const home = path.resolve(o.home);
  if (dir === home) return "the home directory itself";
  if (within(home, dir)) return "an ancestor of the home directory";
  if (within(o.stateDir, dir)) return "an ancestor of the state dir";
  if (within(dir, o.stateDir)) return "inside the state dir (externals live outside it)";
  if (within(dir, home)) {
    const first = path.relative(home, dir).split(path.sep)[0]!;
    if (first.startsWith(".") && !/^\.openclaw(-[^/]+)?$/.test(first)) return `a dot-directory of the home (~/${first} holds settings and keys)`;
  } else if (dir.split("/").filter(Boolean).length <= 1 || SYSTEM_DIRS.some((s) => within(dir, s))) {
    return "a system directory";
  }
  if (!o.named.has(dir)) return `not named by the restored config as agents.defaults.workspace, agents.list[].workspace or agents.list[].agentDir${o.namedNote ? ` (${o.namedNote})` : ""}`;
  return undefined;
}
