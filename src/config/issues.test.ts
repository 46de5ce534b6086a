import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CODE_FRAME_WIDTH, maskSourceLine, renderCodeFrame } from "./issues.js";
import { loadConfigSnapshot } from "./load.js";

const TOKEN = "7c3e9a1f5b2d8e4a6c0f9b3d7e1a5c8f2b6d0e4a9c3f7b1d";
const BOT = "7712345678:AAF3xKq9Lm2Np7Rs4Tv8Wx1Yz5Bc6De0FgH";
const WORDY_KEY = "orchid-velvet-lantern-2931-ember";
const URL_PASSWORD = "correct-horse-battery-staple-42";

/** The frame's source line and the character its caret points at. */
function caretTarget(frame: string): { shown: string; at: string } {
  const [first, second] = frame.split("\n") as [string, string];
  const shown = first.slice(first.indexOf("| ") + 2);
  return { shown, at: shown[second.indexOf("^") - 7] ?? "" };
}

describe("renderCodeFrame", () => {
  const broken: Array<[string, string, string, string]> = [
    ["unterminated token", `{\n  gateway: { auth: { token: "${TOKEN}\n} } }`, TOKEN, ""],
    ["junk after a bot token", `{\n  botToken: "${BOT}" oops,\n}`, BOT, "o"],
    ["env key with a word-made value", `{\n  env: { BRAVE_API_KEY: "${WORDY_KEY}" "x" }\n}`, WORDY_KEY, '"'],
    ["URL password under a harmless key", `{\n  env: { DATABASE_URL: "postgres://app:${URL_PASSWORD}@db:5432/app" ] }\n}`, URL_PASSWORD, "]"],
  ];
  for (const [what, raw, secret, expected] of broken) {
    test(`masks the secret on the error's line (${what}) and keeps the caret on the error`, () => {
      const snap = loadConfigSnapshot({ configPath: "/x/openclaw.json", env: {}, raw, lenientEnv: true });
      const issue = snap.issues.find((i) => i.kind === "parse");
      assert.ok(issue?.excerpt, `a parse issue with an excerpt for ${what}`);
      assert.ok(!issue.excerpt.includes(secret), `secret leaked in ${issue.excerpt}`);
      assert.ok(!JSON.stringify(snap.issues).includes(secret));
      assert.match(issue.excerpt, /^ {3}2 \| /);
      if (expected) assert.equal(caretTarget(issue.excerpt).at, expected, issue.excerpt);
    });
  }

  test("a long line shows a bounded window around the column, with … on the cut sides", () => {
    const filler = "x".repeat(5_000_000);
    const source = `{"a": "${filler}" ! "${filler}"}`;
    const column = source.indexOf("!") + 1;
    const frame = renderCodeFrame(source, 1, column);
    const { shown, at } = caretTarget(frame);
    assert.ok(shown.length <= CODE_FRAME_WIDTH + 2, `shown ${shown.length} characters`);
    assert.ok(shown.startsWith("…") && shown.endsWith("…"), shown);
    assert.equal(at, "!");
    assert.ok(frame.length < 400);
  });

  test("a short line is shown whole, the caret under the column", () => {
    const frame = renderCodeFrame('{\n  port: 18789 x\n}', 2, 15);
    assert.equal(frame, "   2 |   port: 18789 x\n     |               ^");
  });

  test("ordinary lines are kept as they are (values, never words)", () => {
    for (const line of ["  gateway: { port: 18789, bind: \"loopback\" },", "  maxTokens: 8192,", '  apiKey: "${OPENAI_API_KEY}",', "  // environment variable BRAVE_API_KEY is empty"]) {
      assert.equal(maskSourceLine(line), line);
    }
  });
});
