import assert from "node:assert/strict";
import { test } from "node:test";
import { buildMappedAction, findMapping, normalizeBasePath, parseAgentPayload, parseWakePayload, renderTemplate, resolveHooks, type TemplateContext } from "./mappings.js";

const ctx = (payload: Record<string, unknown>, path = "github"): TemplateContext => ({ payload, headers: { "x-github-event": "push" }, url: new URL("http://h/hooks/github?kind=ci"), path });

test("templates read the payload, arrays, headers, query and path; missing values are empty, objects JSON; prototype keys are blocked", () => {
  const c = ctx({ a: { b: "x" }, list: [{ id: 7 }], obj: { k: 1 }, flag: true });
  assert.equal(renderTemplate("{{a.b}}/{{payload.a.b}}/{{list[0].id}}/{{headers.X-GitHub-Event}}/{{query.kind}}/{{path}}/{{flag}}", c), "x/x/7/push/ci/github/true");
  assert.equal(renderTemplate("[{{missing.deep}}] {{obj}}", c), '[] {"k":1}');
  assert.equal(renderTemplate("{{a.__proto__}}{{constructor.name}}", c), "");
  assert.match(renderTemplate("{{now}}", c), /^\d{4}-\d{2}-\d{2}T/);
});

test("resolveHooks: disabled or tokenless is off; path normalised; '*' in allowedAgentIds means any", () => {
  assert.equal(resolveHooks({ hooks: { enabled: false, token: "t" } } as never), undefined);
  assert.equal(resolveHooks({ hooks: { enabled: true } } as never), undefined);
  assert.equal(normalizeBasePath("ingress/"), "/ingress");
  const r = resolveHooks({ hooks: { enabled: true, token: "t", allowedAgentIds: ["*"], mappings: [{ match: { path: "/github/" } }] } } as never)!;
  assert.equal(r.basePath, "/hooks");
  assert.equal(r.maxBodyBytes, 262_144);
  assert.equal(r.allowedAgentIds, undefined);
  assert.equal(r.mappings[0]!.matchPath, "github");
});

test("mappings: first match wins on path and source; an empty rendered message is an error", () => {
  const r = resolveHooks({ hooks: { enabled: true, token: "t", mappings: [{ match: { path: "github", source: "gh" }, messageTemplate: "A" }, { match: { path: "github" }, messageTemplate: "{{nothing}}" }] } } as never)!;
  assert.equal(findMapping(r.mappings, ctx({ source: "gh" }))?.id, "mapping-1");
  const second = findMapping(r.mappings, ctx({ source: "other" }))!;
  assert.equal(second.id, "mapping-2");
  assert.match(String(buildMappedAction(second, ctx({}))), /empty message/);
  assert.equal(findMapping(r.mappings, ctx({}, "gitlab")), undefined);
});

test("direct payloads: /agent needs a message and a whole destination; /wake needs text", () => {
  assert.equal(parseAgentPayload({}), "message required");
  assert.match(String(parseAgentPayload({ message: "m", channel: "telegram" })), /together/);
  const ok = parseAgentPayload({ message: " m ", deliver: false, channel: "telegram", timeoutSeconds: 12.7 });
  assert.equal(typeof ok === "object" && ok.kind === "agent" && ok.timeoutSeconds, 12);
  assert.equal(parseWakePayload({ text: "" }), "text required");
  assert.equal(parseWakePayload({ text: "x", mode: "next-heartbeat", sessionKey: "k" }), "sessionKey requires mode=now");
});
