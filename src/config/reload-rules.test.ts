import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planReload, RELOAD_RULES, type ReloadKind, reloadKindOf } from "../shared/index.js";
import { ROOT_KEYS } from "./schema/index.js";

describe("reloadKindOf", () => {
  const CASES: Array<[string, ReloadKind]> = [
    ["gateway.port", "restart"],
    ["gateway.bind", "restart"],
    ["gateway.auth.token", "restart"],
    ["gateway.reload.mode", "hot"],
    ["gateway.reload", "hot"],
    ["gateway.remote.url", "none"],
    ["gateway.controlUi.allowedOrigins", "hot"],
    ["gateway.controlUi.allowedOrigins[0]", "hot"],
    ["gateway.controlUi.enabled", "hot"],
    ["gateway.controlUi.basePath", "restart"],
    ["gateway.controlUi.root", "restart"],
    ["agents.list[0].workspace", "restart"],
    ["agents.list[12].agentDir", "restart"],
    ["agents.list[0].tools.allow", "hot"],
    ["agents.list[0].tools.allow[3]", "hot"],
    ["agents.entries.main.workspace", "restart"],
    ["agents.defaults.workspace", "restart"],
    ["agents.defaults.sandbox.mode", "hot"],
    ["agents.defaults.memorySearch.provider", "restart"],
    ["channels.whatsapp.allowFrom", "hot"],
    ['channels["whatsapp"].allowFrom', "hot"],
    ["channels.telegram.botToken", "restart"],
    ["channels.telegram.accounts.alerts.botToken", "restart"],
    ["channels.slack.accounts.work.dmPolicy", "hot"],
    ["tools.allow", "hot"],
    ["logging.level", "hot"],
    ["models.providers.local.baseUrl", "restart"],
    ["plugins.entries.x.enabled", "restart"],
    ["meta.lastTouchedAt", "none"],
    ["wizard.lastRunAt", "none"],
    ["$schema", "none"],
    ["unknownsection.x", "restart"],
    ["unknownsection", "restart"],
  ];
  for (const [p, kind] of CASES) {
    test(`${p} → ${kind}`, () => {
      assert.equal(reloadKindOf(p), kind);
    });
  }

  test("the longest matching prefix wins regardless of table order", () => {
    // gateway → restart, gateway.reload → hot: a deeper key under gateway.reload is hot.
    assert.equal(reloadKindOf("gateway.reload.debounceMs"), "hot");
    // agents → hot, agents.list.*.workspace → restart.
    assert.equal(reloadKindOf("agents.list[0].name"), "hot");
  });
});

describe("RELOAD_RULES", () => {
  test("every root key in ROOT_KEYS (except $schema) has a rule", () => {
    const prefixes = new Set(RELOAD_RULES.map(([prefix]) => prefix));
    const missing = ROOT_KEYS.filter((key) => key !== "$schema" && key !== "bridge" && !prefixes.has(key));
    assert.deepEqual(missing, []);
  });

  test("no prefix appears twice", () => {
    const prefixes = RELOAD_RULES.map(([prefix]) => prefix);
    assert.deepEqual(
      prefixes.filter((p, i) => prefixes.indexOf(p) !== i),
      [],
    );
  });
});

describe("planReload", () => {
  test("restart beats hot beats none", () => {
    assert.deepEqual(planReload(["gateway.port", "tools.allow", "meta.lastTouchedAt"]), {
      kind: "restart",
      restartPaths: ["gateway.port"],
      hotPaths: ["tools.allow"],
      restartGateway: true,
      byOwner: { gateway: ["gateway.port"], agents: ["tools.allow"] },
    });
    assert.equal(planReload(["tools.allow", "meta.lastTouchedAt"]).kind, "hot");
    assert.equal(planReload(["meta.lastTouchedAt"]).kind, "none");
    assert.equal(planReload([]).kind, "none");
  });

  test("a channel credential restarts the channel, not the gateway; port, bind and auth restart the gateway", () => {
    const token = planReload(["channels.telegram.botToken"]);
    assert.equal(token.kind, "restart");
    assert.equal(token.restartGateway, false);
    assert.deepEqual(token.byOwner, { channels: ["channels.telegram.botToken"] });
    for (const p of ["gateway.port", "gateway.bind", "gateway.auth.token"]) assert.equal(planReload([p]).restartGateway, true, p);
    assert.equal(planReload(["logging.level", "channels.telegram.allowFrom"]).restartGateway, false);
  });

  test("the Control UI's enabled/basePath/root go to the controlUi subsystem (it re-mounts its routes), never a gateway restart", () => {
    const paths = ["gateway.controlUi.basePath", "gateway.controlUi.enabled", "gateway.controlUi.root"];
    const plan = planReload(paths);
    assert.equal(plan.restartGateway, false);
    assert.deepEqual(plan.byOwner, { controlUi: paths });
  });

  test("memory settings go to the memory subsystem (it reopens the agent's index), never a gateway restart", () => {
    const paths = ["memory.search.provider", "memory.citations", "agents.defaults.memorySearch.chunking.tokens", "agents.list[1].memorySearch.extraPaths", "agents.entries.work.memory.search.enabled", "agents.entries.work.memorySearch.model"];
    const plan = planReload(paths);
    assert.equal(plan.restartGateway, false);
    assert.deepEqual(plan.byOwner, { memory: paths });
    assert.equal(reloadKindOf("memory.citations"), "hot");
  });
});
