/**
 * Interop of the credential store with OpenClaw's own CLI (skipped with a visible reason where it is
 * not installed): an `auth-profiles.json` written by our `models auth` commands is accepted by
 * OpenClaw (its doctor imports it into its newer store), and its `models status --json` sees the
 * same profiles, types and expiry states as ours.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { type CliRun, runBinary, runInProcess, tempHome } from "../helpers/cli.js";
import { REAL_CLI, runReal } from "./real-openclaw.js";

if (REAL_CLI.skip) console.log(`# skipping OpenClaw models interop: ${REAL_CLI.skip}`);

/** Spawns the built CLI with `input` on stdin. */
const pipeTo = (argv: string[], env: Record<string, string | undefined>, input: string): Promise<CliRun> => runBinary(argv, { env, input });

test("OpenClaw reads the auth profiles our CLI writes and agrees on their state", { timeout: 600_000, skip: REAL_CLI.skip }, async (t) => {
  const h = tempHome(t);
  const stateDir = path.join(h.home, ".openclaw");
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(path.join(stateDir, "openclaw.json"), JSON.stringify({ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-6", fallbacks: ["openai/gpt-5"] } } } }));
  const token = "sk-ant-oat01-INTEROPtoken000000000000000000000000";
  const key = "sk-proj-INTEROPkey1111111111111111111111111";
  assert.equal((await pipeTo(["models", "auth", "paste-token", "--provider", "anthropic", "--expires-in", "12h"], h.env, token)).code, 0);
  assert.equal((await pipeTo(["models", "auth", "add", "--provider", "openai"], h.env, key)).code, 0);
  const ours = JSON.parse((await runInProcess(["models", "status", "--json"], { env: h.env })).stdout);

  const doctor = await runReal(["doctor", "--fix", "--non-interactive"], { home: h.home, timeoutMs: 300_000 });
  assert.notEqual(doctor.code, -1, "OpenClaw's doctor finished");
  const theirs = await runReal(["models", "status", "--json"], { home: h.home, timeoutMs: 120_000 });
  assert.equal(theirs.code, 0, theirs.stderr.slice(-2000));
  const data = JSON.parse(theirs.stdout);
  const pick = (profiles: Array<{ profileId: string; type: string; status: string }>) => profiles.map((p) => [p.profileId, p.type, p.status]).sort();
  assert.deepEqual(pick(data.auth.oauth.profiles), [["anthropic:manual", "token", "expiring"], ["openai:default", "api_key", "static"]]);
  assert.deepEqual(pick(data.auth.oauth.profiles), pick(ours.auth.oauth.profiles));
  for (const out of [theirs.stdout, theirs.stderr]) for (const secret of [token, key]) assert.ok(!out.includes(secret));
});
