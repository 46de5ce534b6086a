/**
 * `openclaw dashboard` (the built CLI, spawned) against a real gateway: the printed URL, the opened
 * URL with `#token=` (a fake xdg-open on PATH records it), --no-open, the SSH hint without a display,
 * --json, the base path, and exit 4 when the gateway is not running. The token appears only in the
 * opened URL and in --json.
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { runBinary } from "../helpers/cli.js";
import { freePort, startTestGateway, type TestGateway, waitUntil } from "../helpers/gateway.js";

function fakeBrowser(t: { after(fn: () => void): void }): { bin: string; record: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-fake-open-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  const record = path.join(dir, "opened.txt");
  const script = path.join(bin, "xdg-open");
  writeFileSync(script, `#!/bin/sh\nprintf '%s' "$1" > "${record}.tmp" && mv "${record}.tmp" "${record}"\n`);
  chmodSync(script, 0o755);
  return { bin, record };
}

function cliEnv(gw: TestGateway, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { HOME: gw.home, OPENCLAW_STATE_DIR: gw.stateDir, PATH: process.env.PATH, NO_COLOR: "1", OPENCLAW_GATEWAY_PORT: String(gw.rt.port), USER: "alice", ...extra };
}

function uiRoot(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-ui-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>dash</title>");
  return dir;
}

function assertNoToken(gw: TestGateway, run: { stdout: string; stderr: string }): void {
  assert.ok(!run.stdout.includes(gw.token), `token in stdout:\n${run.stdout}`);
  assert.ok(!run.stderr.includes(gw.token), `token in stderr:\n${run.stderr}`);
  assert.ok(!run.stdout.includes(encodeURIComponent(gw.token)));
}

describe("openclaw dashboard", () => {
  test("opens <url>#token=<token> with xdg-open; prints only the clean URL; the URL serves the UI", async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { controlUi: { root: uiRoot(t) } } } });
    const fake = fakeBrowser(t);
    const run = await runBinary(["dashboard"], { env: cliEnv(gw, { PATH: `${fake.bin}${path.delimiter}${process.env.PATH}`, DISPLAY: ":99" }) });
    assert.equal(run.code, 0, run.stderr);
    const httpUrl = `http://127.0.0.1:${gw.rt.port}/`;
    assert.match(run.stdout, new RegExp(`^Dashboard URL: ${httpUrl.replace(/[.]/g, "\\.")}$`, "m"));
    assert.match(run.stdout, /Opened in your browser/);
    assertNoToken(gw, run);
    await waitUntil(() => existsSync(fake.record), 10_000, "the fake xdg-open to record its argument");
    assert.equal(readFileSync(fake.record, "utf8"), `${httpUrl}#token=${encodeURIComponent(gw.token)}`);
    const page = await fetch(httpUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>dash<\/title>/);
  });

  test("--no-open says so; without a display it prints the SSH tunnel hint; neither prints the token", async (t) => {
    const gw = await startTestGateway(t);
    const fake = fakeBrowser(t);
    const noOpen = await runBinary(["dashboard", "--no-open"], { env: cliEnv(gw, { PATH: `${fake.bin}${path.delimiter}${process.env.PATH}`, DISPLAY: ":99" }) });
    assert.equal(noOpen.code, 0, noOpen.stderr);
    assert.match(noOpen.stdout, /Browser launch disabled \(--no-open\)/);
    assert.match(noOpen.stdout, /#token=<token>/, "says how to add the token without printing it");
    assertNoToken(gw, noOpen);
    const headless = await runBinary(["dashboard"], { env: cliEnv(gw, { PATH: `${fake.bin}${path.delimiter}${process.env.PATH}` }) });
    assert.equal(headless.code, 0, headless.stderr);
    const port = gw.rt.port;
    assert.ok(headless.stdout.includes(`ssh -N -L ${port}:127.0.0.1:${port} alice@${os.hostname()}`), headless.stdout);
    assert.match(headless.stdout, new RegExp(`Then open http://localhost:${port}/ there`));
    assertNoToken(gw, headless);
    assert.equal(existsSync(fake.record), false, "no browser was launched in either run");
  });

  test("--json carries url (with #token=), httpUrl, wsUrl, port, tokenIncluded; the base path is used", async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { controlUi: { basePath: "ctl/" } } } });
    const run = await runBinary(["dashboard", "--json", "--no-open"], { env: cliEnv(gw) });
    assert.equal(run.code, 0, run.stderr);
    const port = gw.rt.port;
    assert.deepEqual(JSON.parse(run.stdout), {
      ok: true,
      url: `http://127.0.0.1:${port}/ctl/#token=${encodeURIComponent(gw.token)}`,
      httpUrl: `http://127.0.0.1:${port}/ctl/`,
      wsUrl: `ws://127.0.0.1:${port}`,
      port,
      tokenIncluded: true,
    });
    assert.ok(!run.stderr.includes(gw.token));
    const human = await runBinary(["dashboard", "--no-open"], { env: cliEnv(gw) });
    assert.match(human.stdout, new RegExp(`^Dashboard URL: http://127\\.0\\.0\\.1:${port}/ctl/$`, "m"));
  });

  test("a gateway that is not running is exit 4 with the start hint", async (t) => {
    const gw = await startTestGateway(t);
    const port = await freePort();
    const run = await runBinary(["dashboard", "--no-open", "--timeout", "3000"], { env: cliEnv(gw, { OPENCLAW_GATEWAY_PORT: String(port) }) });
    assert.equal(run.code, 4, run.stdout + run.stderr);
    assert.match(run.stderr, /openclaw gateway/);
    assert.doesNotMatch(run.stdout, /Dashboard URL/);
    assertNoToken(gw, run);
  });
});
