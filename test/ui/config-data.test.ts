/**
 * The config page's pure parts without a browser: the `config.get` snapshot, an edit's parse error
 * (line:col), changed paths and reload plan (the same table the gateway uses), and how `config.apply`
 * answers and refusals read. test/browser/config-page.test.ts drives the same code through a real page.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planReload } from "../../src/config/index.js";
import { analyzeEdit, classifySaveError, describePlan, describeSaveResult, parseConfigSnapshot } from "../../ui/src/config-data.js";

const ORIGINAL = `// my gateway
{
  gateway: { port: 18789, auth: { token: "__OPENCLAW_REDACTED__" } },
  logging: { level: "info" },
}
`;

describe("config snapshot", () => {
  test("reads path, hash, validity and issues; a missing file is an empty editor", () => {
    const s = parseConfigSnapshot({ path: "/h/.openclaw/openclaw.json", exists: true, raw: ORIGINAL, hash: "abc", valid: false, issues: [{ path: "gateway.port", message: "Expected number" }] });
    assert.deepEqual(s, { path: "/h/.openclaw/openclaw.json", exists: true, raw: ORIGINAL, hash: "abc", valid: false, issues: [{ path: "gateway.port", message: "Expected number" }] });
    const none = parseConfigSnapshot({ path: "/x", exists: false, raw: null, hash: null, valid: true, issues: [] });
    assert.equal(none.raw, "");
    assert.equal(none.hash, undefined);
    assert.equal(none.exists, false);
  });
});

describe("analyzeEdit", () => {
  test("no change: no paths, no plan", () => {
    assert.deepEqual(analyzeEdit(ORIGINAL, ORIGINAL), { parseError: undefined, changedPaths: [], plan: undefined });
    // Comments and layout are not changes.
    assert.deepEqual(analyzeEdit(ORIGINAL, ORIGINAL.replace("// my gateway", "// renamed")).changedPaths, []);
  });

  test("a hot key: its path and a hot plan", () => {
    const a = analyzeEdit(ORIGINAL, ORIGINAL.replace('level: "info"', 'level: "debug"'));
    assert.deepEqual(a.changedPaths, ["logging.level"]);
    assert.equal(a.plan?.kind, "hot");
    assert.deepEqual(a.plan, planReload(["logging.level"]), "the gateway's own table decides");
    assert.match(describePlan(a.plan!), /hot/i);
    assert.doesNotMatch(describePlan(a.plan!), /restart/i);
  });

  test("a core key restarts the gateway; a subsystem key restarts only that subsystem", () => {
    const port = analyzeEdit(ORIGINAL, ORIGINAL.replace("18789", "18790"));
    assert.deepEqual(port.changedPaths, ["gateway.port"]);
    assert.equal(port.plan?.restartGateway, true);
    assert.equal(describePlan(port.plan!), "Restarts the gateway: gateway.port.");
    const models = analyzeEdit(ORIGINAL, ORIGINAL.replace("logging:", 'models: { providers: { x: { baseUrl: "http://x" } } },\n  logging:'));
    assert.deepEqual(models.changedPaths, ["models.providers.x.baseUrl"]);
    assert.match(describePlan(models.plan!), /^Restarts the agents subsystem \(not the gateway\)/);
  });

  test("a syntax error has its line and column, and no changes", () => {
    const a = analyzeEdit(ORIGINAL, ORIGINAL.replace('level: "info"', 'level: "info" oops'));
    assert.equal(a.parseError?.line, 4);
    assert.equal(a.parseError?.column, 28);
    assert.match(a.parseError!.message, /expected "," or "}"/);
    assert.deepEqual(a.changedPaths, []);
    assert.equal(a.plan, undefined);
  });

  test("added and removed objects list their leaves; a blank editor removes everything", () => {
    assert.deepEqual(analyzeEdit("{}", '{ ui: { seamColor: "#fff" } }').changedPaths, ["ui.seamColor"]);
    assert.deepEqual(analyzeEdit(ORIGINAL, "").changedPaths, ["gateway.auth.token", "gateway.port", "logging.level"]);
  });
});

describe("save answers", () => {
  test("hot, restart, nothing changed, reload error", () => {
    assert.deepEqual(describeSaveResult({ ok: true, changed: true, reload: { kind: "hot" } }), { changed: true, restart: false, text: "Saved and applied hot (no gateway restart).", reloadError: undefined });
    const r = describeSaveResult({ ok: true, changed: true, reload: { kind: "restart" }, restart: { delayMs: 2000 } });
    assert.equal(r.restart, true);
    assert.match(r.text, /restarts/);
    assert.match(describeSaveResult({ ok: true, changed: false, reload: { kind: "none" } }).text, /nothing changed/);
    assert.match(describeSaveResult({ ok: true, changed: true, reload: { kind: "hot" }, reloadError: "boom" }).text, /error: boom/);
  });

  // As the client raises them: GatewayCallError's code, and the wire error under details.wire.
  const callError = (code: string, wire: Record<string, unknown>) => Object.assign(new Error(`config.apply: ${String(wire.message)}`), { code, details: { wire } });

  test("a stale baseHash: the keys changed on disk", () => {
    const e = callError("CONFIG_CONFLICT", { code: "INVALID_REQUEST", message: "config changed since it was read", details: { code: "CONFIG_CONFLICT", changedPaths: ["logging.level"], currentHash: "h2" } });
    assert.deepEqual(classifySaveError(e, () => false), { kind: "conflict", message: "config changed since it was read", changedPaths: ["logging.level"] });
  });

  test("an invalid config: each issue with its path", () => {
    const e = callError("CONFIG_INVALID", { code: "INVALID_REQUEST", message: "refusing to write", details: { code: "CONFIG_INVALID", issues: [{ path: "gateway.port", message: "Expected number", kind: "schema" }] } });
    const f = classifySaveError(e, () => false);
    assert.equal(f.kind, "invalid");
    assert.deepEqual(f.kind === "invalid" && f.issues, [{ path: "gateway.port", message: "Expected number" }]);
  });

  test("rate limited: when to try again; anything else: its message and whether the socket is gone", () => {
    const e = callError("RATE_LIMITED", { code: "UNAVAILABLE", message: "too many config writes", retryAfterMs: 41_200, details: { code: "RATE_LIMITED", retryAfterMs: 41_200 } });
    assert.deepEqual(classifySaveError(e, () => false), { kind: "rate-limited", message: "Too many config writes; try again in 42 s.", retryAfterMs: 41_200 });
    const gone = Object.assign(new Error("gateway connection closed"), { code: "UNREACHABLE" });
    assert.deepEqual(classifySaveError(gone, () => true), { kind: "other", message: "gateway connection closed", lost: true });
  });
});
