/**
 * `migrate export` inventories the source host's crontab (a fake `crontab` on PATH prints the
 * seed's lines) and maps known lines to built-ins: session pruning → `session.maintenance`, a
 * `backup create` line → `backup schedule`, temp cleanup → built in; the rest stays "by hand".
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runInProcess, tempHome } from "../helpers/cli.js";
import { show, stdoutJson } from "../helpers/inspect.js";

const CRONTAB = [
  "# m h dom mon dow command",
  "MAILTO=ops@example.com",
  '0 3 * * * find /Users/openclaw/.openclaw/agents/*/sessions -name "*.jsonl" -mtime +30 -delete',
  "0 4 * * * find /tmp/openclaw-image-gen -type f -mtime +7 -delete 2>/dev/null",
  "30 2 * * * openclaw backup create --output /mnt/backup/openclaw",
  '0 0 * * * cd /Users/openclaw/.openclaw/workspaces/main && git add -A && git commit -m "auto-backup" && git push 2>/dev/null',
  "15 * * * * /usr/bin/uptime > /tmp/uptime.txt",
].join("\n");

test("migrate export maps the old crontab's OpenClaw lines to built-in settings; unknown lines stay to recreate by hand", async (t) => {
  const { home, env } = tempHome(t);
  const state = path.join(home, ".openclaw");
  mkdirSync(state, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(state, "openclaw.json"), `${JSON.stringify({ gateway: { mode: "local" } })}\n`, { mode: 0o600 });
  const bin = path.join(home, "bin");
  mkdirSync(bin);
  writeFileSync(path.join(bin, "crontab"), `#!/bin/sh\n[ "$1" = "-l" ] || exit 1\ncat <<'CRON'\n${CRONTAB}\nCRON\n`);
  chmodSync(path.join(bin, "crontab"), 0o755);
  const runEnv = { ...env, PATH: `${bin}:${env.PATH}` };

  const r = await runInProcess(["migrate", "export", "--output", path.join(home, "out.tar.gz"), "--no-stop", "--json"], { env: runEnv });
  assert.equal(r.code, 0, show(r));
  const tasks = stdoutJson<{ scheduledTasks: Array<{ line: string; replacement: { kind: string; text: string } | null }> }>(r).scheduledTasks;
  assert.equal(tasks.length, 4, JSON.stringify(tasks, null, 2));
  const of = (needle: string) => tasks.find((x) => x.line.includes(needle))?.replacement;
  assert.equal(of("sessions")?.kind, "setting");
  assert.match(of("sessions")!.text, /session\.maintenance.*"enforce".*pruneAfter: "30d"/);
  assert.equal(of("image-gen")?.kind, "builtin");
  assert.equal(of("backup create")?.kind, "command");
  assert.equal(of("backup create")!.text, "openclaw backup schedule --every 24h --keep 7 --output-dir /mnt/backup/openclaw");
  assert.equal(of("git push"), null);
  assert.ok(!tasks.some((x) => x.line.includes("uptime") || x.line.startsWith("MAILTO")));

  const human = await runInProcess(["migrate", "export", "--output", path.join(home, "out2.tar.gz"), "--no-stop"], { env: runEnv });
  assert.equal(human.code, 0, show(human));
  assert.match(human.stdout, /-mtime \+30 -delete\n\s+→ session\.maintenance/);
  assert.match(human.stdout, /backup create --output \/mnt\/backup\/openclaw\n\s+→ openclaw backup schedule --every 24h --keep 7/);
  assert.match(human.stdout, /git push 2>\/dev\/null\n\s+→ recreate by hand/);
  assert.match(human.stdout, /host crontab lines: 3 replaced by built-ins.*1 to recreate by hand/);
});
