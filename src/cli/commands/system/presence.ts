/**
 * `openclaw system presence [--json]`: `system-presence` — this gateway and its connected clients as
 * a table (host, mode, version, ip, age), then the recent system events with their text.
 */
import { timeoutFor, withGateway } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";

type Loose = Record<string, unknown>;
const cell = (v: unknown) => (typeof v === "string" && v ? v : typeof v === "number" ? String(v) : "-");

function age(ts: unknown, now: number): string {
  if (typeof ts !== "number") return "-";
  const s = Math.max(0, Math.round((now - ts) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.round(s / 60)}m` : s < 86_400 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86_400)}d`;
}

/** Entries as a padded table plus `system-event` lines. */
export function renderPresence(entries: Loose[], now = Date.now()): string[] {
  const events = entries.filter((e) => e.reason === "system-event");
  const nodes = entries.filter((e) => e.reason !== "system-event");
  const rows = [["HOST", "MODE", "VERSION", "IP", "AGE"], ...nodes.map((e) => [cell(e.host ?? e.instanceId), cell(e.mode), cell(e.version), cell(e.ip), age(e.ts, now)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
  if (events.length > 0) {
    lines.push("", `System events (${events.length}):`);
    for (const e of events) lines.push(`  ${age(e.ts, now).padStart(4)} ago  ${cell(e.text)}${typeof e.source === "string" ? `  (${e.source})` : ""}`);
  }
  return lines;
}

export const run: CommandHandler = async (ctx) => {
  const result = (await withGateway(ctx, (client) => client.call("system-presence", {}, { timeoutMs: timeoutFor(ctx) }))) as Loose[];
  return { data: result, human: renderPresence(Array.isArray(result) ? result : []) };
};
