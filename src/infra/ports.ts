/**
 * Who listens on a TCP port, from /proc (Linux): the socket inode in /proc/net/tcp{,6}, then the
 * process whose fd points at it. Elsewhere (or without permission) the answer is "unknown".
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface PortHolder {
  pid: number;
  command: string;
}

function decodeV4(hex: string): string {
  const b = hex.match(/../g)!.map((x) => Number.parseInt(x, 16));
  return `${b[3]}.${b[2]}.${b[1]}.${b[0]}`;
}

function decodeV6(hex: string): string {
  // Four little-endian 32-bit words.
  const words = hex.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(""));
  const full = words.join("").toLowerCase();
  if (/^0{32}$/.test(full)) return "::";
  if (full === `${"0".repeat(31)}1`) return "::1";
  if (full.startsWith(`${"0".repeat(20)}ffff`)) return `::ffff:${decodeV4(words[3]!.match(/../g)!.reverse().join(""))}`;
  return full.match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, "")).join(":");
}

/** Listening TCP sockets on `port` from /proc/net/tcp{,6}: local address and socket inode. */
function listeningSockets(port: number): Array<{ address: string; inode: string }> {
  const out: Array<{ address: string; inode: string }> = [];
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const [file, decode] of [["/proc/net/tcp", decodeV4], ["/proc/net/tcp6", decodeV6]] as const) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is col 1 ("0100007F:4965"), st col 3 ("0A" = LISTEN), inode col 9.
      if (cols.length > 9 && cols[1]!.endsWith(`:${hexPort}`) && cols[3] === "0A") out.push({ address: decode(cols[1]!.split(":")[0]!), inode: cols[9]! });
    }
  }
  return out;
}

/** Local addresses with a listening socket on `port` (Linux /proc; empty when unknown). */
export function listeningAddresses(port: number): string[] {
  return [...new Set(listeningSockets(port).map((s) => s.address))];
}

/** Processes listening on `port` (best effort; empty when unknown). */
export function findPortHolders(port: number): PortHolder[] {
  const inodes = new Set(listeningSockets(port).map((s) => s.inode));
  if (inodes.size === 0) return [];
  const out: PortHolder[] = [];
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1]!)) {
        let command = "";
        try {
          command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
        } catch {
          // process gone
        }
        out.push({ pid: Number(pid), command });
        break;
      }
    }
  }
  return out;
}

/** True when a process with this pid exists (signal 0). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A zombie (exited, not yet reaped by its parent) answers signal 0 but is gone.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** The command line of a process ("" when unknown). */
export function processCommand(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}
