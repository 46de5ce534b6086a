/**
 * Redaction masks values, never words: the env-missing/empty messages keep "environment variable
 * NAME is empty|not set" through every CLI rendering (error line, warnings, --json), while the
 * secrets around them stay masked.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { runBinary, runInProcess, tempHome } from "../helpers/cli.js";

const CONFIG = `{
  gateway: { mode: "local", auth: { token: "\${OPENCLAW_GATEWAY_TOKEN}" } },
  tools: { web: { search: { apiKey: "\${BRAVE_API_KEY}" } } },
  channels: { telegram: { botToken: "\${TELEGRAM_BOT_TOKEN}" } },
}
`;

function setup(t: { after(fn: () => void): void }, extra: Record<string, string> = {}) {
  const { home, env } = tempHome(t);
  mkdirSync(path.join(home, ".openclaw"), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(home, ".openclaw", "openclaw.json"), CONFIG, { mode: 0o600 });
  return { home, env: { ...env, BRAVE_API_KEY: "", TELEGRAM_BOT_TOKEN: "", ...extra } };
}

/** Every mention of a variable in `text` reads "environment variable NAME is …", whole. */
function assertWordsKept(text: string, names: string[]): void {
  assert.doesNotMatch(text, /\*\*\* variable/, text);
  assert.doesNotMatch(text, /: \*\*\*/, `a label followed by a mask: ${text}`);
  for (const name of names) assert.match(text, new RegExp(`environment variable ${name} is (empty|not set)`), `${name} in:\n${text}`);
}

describe("env-missing/empty messages through the CLI's error rendering", () => {
  test("gateway run: the error line names the variable in full words", async (t) => {
    const { env } = setup(t);
    const r = await runBinary(["gateway", "run", "--port", "0"], { env, timeoutMs: 30_000 });
    assert.notEqual(r.code, 0);
    assertWordsKept(r.stderr, ["OPENCLAW_GATEWAY_TOKEN"]);
    assert.match(r.stderr, /gateway\.auth\.token/);
  });

  test("config set --json: the warnings in the JSON value and on stderr keep their words", async (t) => {
    const { env } = setup(t);
    const r = await runInProcess(["config", "set", "gateway.port", "19124", "--json"], { env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { warnings: string[] };
    assertWordsKept(out.warnings.join("\n"), ["OPENCLAW_GATEWAY_TOKEN", "BRAVE_API_KEY", "TELEGRAM_BOT_TOKEN"]);
    assertWordsKept(r.stderr, ["OPENCLAW_GATEWAY_TOKEN", "BRAVE_API_KEY", "TELEGRAM_BOT_TOKEN"]);
  });

  test("config set: every warning keeps its words (secret-named paths included)", async (t) => {
    const { env } = setup(t, { OPENCLAW_GATEWAY_TOKEN: "" });
    const r = await runInProcess(["config", "set", "gateway.port", "19123"], { env });
    assert.equal(r.code, 0, r.stderr);
    assertWordsKept(r.stderr, ["OPENCLAW_GATEWAY_TOKEN", "BRAVE_API_KEY", "TELEGRAM_BOT_TOKEN"]);
    for (const p of ["gateway.auth.token", "tools.web.search.apiKey", "channels.telegram.botToken"]) assert.ok(r.stderr.includes(p), `${p} in:\n${r.stderr}`);
  });

  test("config validate (human and --json) keeps the words", async (t) => {
    const { env } = setup(t);
    const human = await runInProcess(["config", "validate"], { env });
    assert.equal(human.code, 3);
    assertWordsKept(human.stdout + human.stderr, ["OPENCLAW_GATEWAY_TOKEN", "BRAVE_API_KEY", "TELEGRAM_BOT_TOKEN"]);
    const json = await runInProcess(["config", "validate", "--json"], { env });
    assertWordsKept(json.stdout, ["OPENCLAW_GATEWAY_TOKEN", "BRAVE_API_KEY", "TELEGRAM_BOT_TOKEN"]);
  });

  test("a real secret next to such a label is still masked", async (t) => {
    const { home, env } = setup(t);
    writeFileSync(path.join(home, ".openclaw", "openclaw.json"), '{ gateway: { mode: "local", auth: { token: 42 } }, tools: { web: { search: { apiKey: "${BRAVE_API_KEY}" } } } }\n', { mode: 0o600 });
    const r = await runInProcess(["config", "set", "tools.web.search.apiKey", "hunter2-not-shown"], { env });
    assert.ok(!`${r.stdout}${r.stderr}`.includes("hunter2-not-shown"), `${r.stdout}${r.stderr}`);
  });
});
