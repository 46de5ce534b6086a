/** Crontab lines → built-in replacements (pure). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { mapCrontab, mapCrontabLine } from "./crontab-map.js";

test("session pruning lines carry their age; -mmin and xargs rm forms are recognised", () => {
  assert.match(mapCrontabLine('0 3 * * * find ~/.openclaw/agents/*/sessions -name "*.jsonl" -mtime +14 -delete').replacement!.text, /pruneAfter: "14d"/);
  assert.match(mapCrontabLine("@daily find /home/o/.openclaw/agents/main/sessions -mmin +600 | xargs rm").replacement!.text, /pruneAfter: "600m"/);
});

test("backup create lines keep their cadence and output dir", () => {
  assert.equal(mapCrontabLine("0 * * * * openclaw backup create").replacement!.text, "openclaw backup schedule --every 1h --keep 7");
  assert.equal(mapCrontabLine("0 1 * * 0 openclaw backup create --output /srv/b/claw.tar.gz").replacement!.text, "openclaw backup schedule --every 7d --keep 7 --output-dir /srv/b");
  assert.equal(mapCrontabLine("0 */6 * * * openclaw backup create").replacement!.text, "openclaw backup schedule --every 6h --keep 7");
});

test("only OpenClaw lines are listed; comments and env assignments are not", () => {
  const tasks = mapCrontab("# openclaw\nOPENCLAW_HOME=/x\n0 0 * * * /usr/bin/true\n5 5 * * * openclaw doctor --non-interactive\n");
  assert.deepEqual(tasks, [{ line: "5 5 * * * openclaw doctor --non-interactive", replacement: null }]);
});
