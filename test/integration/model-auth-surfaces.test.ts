/**
 * Model auth on the operator surfaces: an expired OAuth profile and a cooling-down key show in the
 * gateway's `health` and `status`, in `openclaw health`, `openclaw status` (human and --json) and
 * in doctor, each with the fix — and no planted secret appears anywhere.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { saveAuthStore } from "../../src/agent/index.js";
import { checkAgentModelAuth } from "../../src/ops/doctor/agent-model-auth.js";
import { runInProcess } from "../helpers/cli.js";
import { startTestGateway } from "../helpers/gateway.js";

const ACCESS = "sk-ant-oat01-PLANTEDsurfaceACCESS00000000000000";
const OPENAI_KEY = "sk-proj-PLANTEDsurfaceOPENAI0000000000000000000";
const HOUR = 3_600_000;

describe("model auth surfaces", () => {
  test("expired OAuth and cooldown in health, status and doctor, with fixes and without secrets", async (t) => {
    const gw = await startTestGateway(t, { config: { agents: { defaults: { model: { primary: "anthropic/claude-opus-4-6", fallbacks: ["openai/gpt-5"] } } } } });
    const expires = Date.now() - HOUR;
    const storeFile = path.join(gw.stateDir, "agents", "main", "agent", "auth-profiles.json");
    saveAuthStore(storeFile, {
      version: 1,
      profiles: {
        "anthropic:claude": { type: "oauth", provider: "anthropic", access: ACCESS, expires },
        "openai:default": { type: "api_key", provider: "openai", key: OPENAI_KEY },
      },
      usageStats: { "openai:default": { cooldownUntil: Date.now() + 30 * 60_000, disabledReason: "auth", errorCount: 1 } },
    });
    const c = await gw.connect();
    t.after(() => c.close());
    const health = (await c.call("health", {})) as { agents: Array<{ agentId: string; modelAuth: { status: string; providers: Array<{ provider: string; status: string }>; problems: string[] } }> };
    const main = health.agents.find((a) => a.agentId === "main")!;
    assert.equal(main.modelAuth.status, "expired");
    assert.deepEqual(main.modelAuth.providers.map((p) => [p.provider, p.status]), [["anthropic", "expired"], ["openai", "cooldown"]]);
    assert.ok(main.modelAuth.problems.some((p) => p.includes("openclaw models auth setup-token --provider anthropic")));
    const status = (await c.call("status", {})) as { modelAuth: Array<{ agentId: string; status: string; cooldowns: Array<{ profileId: string }> }> };
    assert.deepEqual(status.modelAuth.map((m) => [m.agentId, m.status, m.cooldowns.map((x) => x.profileId)]), [["main", "expired", ["openai:default"]]]);
    assert.ok(!JSON.stringify({ health, status }).includes(ACCESS) && !JSON.stringify({ health, status }).includes(OPENAI_KEY));

    const target = ["--url", gw.url, "--token", gw.token, "--timeout", "5000"];
    const h = await runInProcess(["health", ...target], { env: gw.env });
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /^ {2}Model auth \(main\): anthropic\/claude-opus-4-6 · anthropic expired · openai cooldown \(profiles:openai:default\)$/m);
    assert.match(h.stdout, /^ {4}openai:default cooldown \(auth\) until /m);
    assert.match(h.stdout, /^ {4}anthropic:claude oauth expired — expired /m);
    assert.match(h.stdout, /^ {4}problem: anthropic:claude expired at .* — run `openclaw models auth setup-token --provider anthropic`$/m);

    const s = await runInProcess(["status", "--all"], { env: gw.env });
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /^Model auth: anthropic:claude expired /m);
    assert.match(s.stdout, /^ {2}Model auth \(main\): anthropic\/claude-opus-4-6 · anthropic expired · openai cooldown/m);
    const sj = await runInProcess(["status", "--json"], { env: gw.env });
    const report = JSON.parse(sj.stdout) as { modelAuth: Array<{ agentId: string; status: string; expiring: Array<{ profileId: string; status: string }> }>; next: string };
    assert.deepEqual(report.modelAuth.map((m) => [m.agentId, m.status, m.expiring.map((e) => `${e.profileId}:${e.status}`)]), [["main", "expired", ["anthropic:claude:expired"]]]);
    for (const out of [h.stdout, s.stdout, sj.stdout]) assert.ok(!out.includes(ACCESS) && !out.includes(OPENAI_KEY));

    const d = await runInProcess(["doctor", "--json"], { env: gw.env });
    const doctor = JSON.parse(d.stdout) as { findings: Array<{ checkId: string; severity: string; title: string; fix?: string }> };
    const auth = doctor.findings.filter((f) => f.checkId.startsWith("model.auth") || f.checkId.startsWith("auth."));
    assert.deepEqual(
      auth.map((f) => [f.checkId, f.severity, f.fix]),
      [
        ["auth.expired", "warn", "openclaw models auth setup-token --provider anthropic"],
        ["model.auth_expired", "warn", "openclaw models auth setup-token --provider anthropic"],
        ["model.auth_cooldown", "info", "It clears by itself; `openclaw models status --probe` tests it now."],
      ],
    );
    assert.ok(!d.stdout.includes(ACCESS));
  });

  test("doctor's agent check leaves a configured ref without any credential to the model-credentials check", () => {
    const snap = { input: { agents: { defaults: { model: "openai/gpt-5" } } } } as unknown as Parameters<typeof checkAgentModelAuth>[0]["snap"];
    const m = { agentId: "main", defaultModel: "openai/gpt-5", fallbacks: [], status: "missing" as const, providers: [{ provider: "openai", status: "missing" as const, source: "none" }], expiring: [], cooldowns: [], problems: [], checkExitCode: 1 as const };
    const facts = { profileProviders: new Set<string>(), envKeys: new Set<string>(), customProviders: new Map(), aliases: new Map(), envFile: ".env" };
    assert.deepEqual(checkAgentModelAuth({ snap, agentModelAuth: [m], modelAuth: facts }), []);
    const builtin = { input: {} } as unknown as typeof snap;
    assert.deepEqual(
      checkAgentModelAuth({ snap: builtin, agentModelAuth: [{ ...m, defaultModel: "anthropic/claude-opus-4-6", providers: [{ provider: "anthropic", status: "missing", source: "none" }] }], modelAuth: facts }).map((f) => f.fix),
      ["openclaw models auth setup-token --provider anthropic"],
    );
  });
});
