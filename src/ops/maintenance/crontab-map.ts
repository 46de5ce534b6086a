/**
 * `migrate export`'s crontab inventory: each scheduled line from the source host, mapped to the
 * built-in that replaces it on the target (seed 004 Step 6). Session pruning (`find … sessions …
 * -mtime +N -delete`) becomes `session.maintenance`, `openclaw backup create` becomes `openclaw
 * backup schedule`, temp/media cleanup is built into the gateway; anything else stays
 * "recreate by hand". Pure.
 */

export interface ScheduledTask {
  line: string;
  /** What replaces it on the target; null: recreate it by hand. */
  replacement: { kind: "setting" | "command" | "builtin"; text: string } | null;
}

const FIELDS = /^\s*(@\w+|(\S+\s+){5})/;

/** Cron schedule fields → an interval for `--every` (daily/weekly/hourly shapes; else 24h). */
function everyOf(line: string): string {
  const m = FIELDS.exec(line);
  const spec = m?.[1]?.trim() ?? "";
  if (spec === "@hourly" || /^\d+\s+\*\s+\*\s+\*\s+\*$/.test(spec)) return "1h";
  if (spec === "@weekly" || /^\d+\s+\d+\s+\*\s+\*\s+\d+$/.test(spec)) return "7d";
  const hours = /^\d+\s+\*\/(\d+)\s+\*\s+\*\s+\*$/.exec(spec);
  if (hours) return `${hours[1]}h`;
  return "24h";
}

/** The `-mtime +N` / `-mmin +N` age of a find line, as a duration (`30d`). */
function ageOf(line: string): string | undefined {
  const d = /-mtime\s+\+?(\d+)/.exec(line);
  if (d) return `${d[1]}d`;
  const m = /-mmin\s+\+?(\d+)/.exec(line);
  return m ? `${m[1]}m` : undefined;
}

export function mapCrontabLine(line: string): ScheduledTask {
  const cmd = line.replace(FIELDS, "").trim();
  const age = ageOf(cmd);
  if (/\bfind\b/.test(cmd) && /sessions/.test(cmd) && /-delete|-exec\s+rm|\|\s*xargs\s+rm/.test(cmd)) {
    return { line, replacement: { kind: "setting", text: `session.maintenance: { mode: "enforce", pruneAfter: "${age ?? "30d"}" } (openclaw config set session.maintenance.mode enforce; openclaw config set session.maintenance.pruneAfter ${age ?? "30d"}); the gateway applies it hourly and archives transcripts instead of deleting them` } };
  }
  if (/\bopenclaw\s+backup\s+create\b/.test(cmd)) {
    const out = /--output(?:=|\s+)(\S+)/.exec(cmd)?.[1];
    const dir = out ? (out.endsWith(".tar.gz") ? out.replace(/\/[^/]*$/, "") : out) : undefined;
    return { line, replacement: { kind: "command", text: `openclaw backup schedule --every ${everyOf(line)} --keep 7${dir ? ` --output-dir ${dir}` : ""}` } };
  }
  if (/\bfind\b/.test(cmd) && /(\/tmp\/openclaw|openclaw[^ ]*\/(tmp|media)|image-gen)/.test(cmd) && /-delete|-exec\s+rm/.test(cmd)) {
    return { line, replacement: { kind: "builtin", text: "built in: the gateway removes files older than 7 days under <state>/tmp and <state>/media daily (no crontab needed)" } };
  }
  return { line, replacement: null };
}

/** The relevant lines of `crontab -l` output (OpenClaw's, not comments or env assignments), each mapped. */
export function mapCrontab(text: string): ScheduledTask[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#") && /openclaw|clawdbot|moltbot/i.test(l) && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(l))
    .map(mapCrontabLine);
}

/** One human line per task. */
export function renderScheduledTask(t: ScheduledTask): string {
  return t.replacement ? `${t.line}\n    → ${t.replacement.text}` : `${t.line}\n    → recreate by hand on the target (crontab -e)`;
}
