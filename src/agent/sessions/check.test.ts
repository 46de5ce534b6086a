/** Transcript check/fix: poisoned and corrupt files quarantined, torn tails repaired with their bytes saved, busy files left. */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { tempDirFactory } from "../../../test/helpers/temp.js";
import { sessionLockFile } from "../../storage/index.js";
import { checkSessionTranscripts, fixTranscriptFinding, poisonReason } from "./index.js";

const tmp = tempDirFactory("sessions-check");
const ERR = '{"type":"message","message":{"role":"toolResult","isError":true,"content":[{"type":"text","text":"boom"}]}}\n';

test("poison detection: three identical tool errors, or a stray media_type", () => {
  assert.equal(poisonReason(ERR + ERR), undefined);
  assert.equal(poisonReason(ERR + ERR + ERR), "the same tool error 3 times in a row");
  assert.equal(poisonReason('{"content":[{"type":"text","media_type":"image/png"}]}'), "stray media_type in a text block");
  assert.equal(poisonReason('{"source":{"type":"base64","media_type":"image/png"}}'), undefined);
});

test("check finds each kind; fix quarantines or repairs, never deletes, and skips a locked file", () => {
  const dir = tmp();
  const write = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
  write("ok.jsonl", '{"type":"session"}\n');
  write("poisoned.jsonl", `{"type":"session"}\n${ERR}${ERR}${ERR}`);
  write("corrupt.jsonl", '{"type":"session"}\nnot json\n{"a":1}\n');
  write("torn.jsonl", '{"type":"session"}\n{"a":1}\n{"a":');
  write("busy.jsonl", `${ERR}${ERR}${ERR}`);
  write("archive.jsonl.deleted.2026", "garbage");
  writeFileSync(sessionLockFile(path.join(dir, "busy.jsonl")), JSON.stringify({ pid: process.pid, createdAt: new Date().toISOString() }));
  const { scanned, findings } = checkSessionTranscripts([dir]);
  assert.equal(scanned, 5);
  assert.deepEqual(findings.map((f) => `${path.basename(f.file)}:${f.kind}`).sort(), ["busy.jsonl:poisoned", "corrupt.jsonl:corrupt", "poisoned.jsonl:poisoned", "torn.jsonl:torn"]);
  assert.equal(readFileSync(path.join(dir, "torn.jsonl"), "utf8"), '{"type":"session"}\n{"a":1}\n{"a":', "check alone changes nothing");
  const results = Object.fromEntries(findings.map((f) => [path.basename(f.file), fixTranscriptFinding(f)]));
  assert.equal(results["poisoned.jsonl"]!.action, "quarantined");
  assert.equal(results["corrupt.jsonl"]!.action, "quarantined");
  assert.equal(results["torn.jsonl"]!.action, "repaired");
  assert.equal(results["busy.jsonl"]!.action, "skipped");
  assert.match(results["busy.jsonl"]!.why!, /holds its lock/);
  const q = path.join(dir, "quarantine");
  assert.equal(readFileSync(path.join(q, "poisoned.jsonl"), "utf8"), `{"type":"session"}\n${ERR}${ERR}${ERR}`);
  assert.ok(existsSync(path.join(q, "corrupt.jsonl")));
  assert.equal(readFileSync(path.join(dir, "torn.jsonl"), "utf8"), '{"type":"session"}\n{"a":1}\n');
  const saved = readdirSync(q).find((n) => n.startsWith("torn.jsonl.torn-"))!;
  assert.equal(readFileSync(path.join(q, saved), "utf8"), '{"a":', "the torn bytes are kept");
  assert.ok(existsSync(path.join(dir, "busy.jsonl")));
  assert.deepEqual(
    checkSessionTranscripts([dir]).findings.map((f) => path.basename(f.file)),
    ["busy.jsonl"],
  );
  // A second poisoned file of the same name never overwrites the first quarantined copy.
  write("poisoned.jsonl", `${ERR}${ERR}${ERR}`);
  const again = fixTranscriptFinding(checkSessionTranscripts([dir]).findings.find((f) => f.file.endsWith("poisoned.jsonl"))!);
  assert.equal(again.movedTo, path.join(q, "poisoned.jsonl.1"));
});
