/**
 * The gateway's memory summary (`health.memory`) as one line, shared by `status` and `health`:
 * per agent its state, files, chunks, whether it is keyword-only, when it was last indexed and the
 * last sync error. Reads the wire shape loosely (an older gateway may not send it); never opens
 * an index itself.
 */

type Loose = Record<string, unknown>;
const isObj = (v: unknown): v is Loose => v !== null && typeof v === "object" && !Array.isArray(v);

function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : s < 86400 ? `${Math.round(s / 3600)}h ago` : `${Math.round(s / 86400)}d ago`;
}

function renderAgent(a: Loose, now: number): string {
  const parts = [`${String(a.agentId ?? "?")} ${String(a.state ?? "unknown")}`];
  if (typeof a.files === "number") parts.push(`${a.files} file${a.files === 1 ? "" : "s"}`);
  if (typeof a.chunks === "number") parts.push(`${a.chunks} chunk${a.chunks === 1 ? "" : "s"}`);
  if (a.dirty === true && a.state !== "dirty") parts.push("dirty");
  if (a.state !== "disabled" && a.keywordOnly === true) parts.push("keyword only");
  if (typeof a.lastIndexedAt === "number") parts.push(`indexed ${ago(a.lastIndexedAt, now)}`);
  if (typeof a.lastError === "string" && a.lastError) parts.push(`last error: ${a.lastError}`);
  return parts.join(" · ");
}

/** `Memory: main ok · 11 files · 14 chunks · keyword only · indexed 2m ago`, or undefined when the gateway sent no summary. */
export function renderMemoryLine(memory: unknown, now: number, prefix = "Memory: "): string | undefined {
  if (!isObj(memory) || !Array.isArray(memory.agents)) return undefined;
  const agents = memory.agents.filter(isObj);
  const body = agents.length ? agents.map((a) => renderAgent(a, now)).join("; ") : "no agents";
  return `${prefix}${body}${memory.watching === false ? " (watcher off)" : ""}`;
}
