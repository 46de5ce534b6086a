/**
 * The Docker sandbox end to end against a loopback Docker Engine API (test/helpers/fake-docker.ts):
 * a sandboxed session's `exec` (the model asks for it through a loopback Anthropic server) creates a
 * labelled container and runs there, a second exec reuses it; `sandbox list --json` shows it,
 * `sandbox recreate --all --force` removes it and the next exec creates a new one. With no Docker
 * socket the CLI fails with the one-line cause, a sandboxed session's exec is refused (nothing runs
 * on the host) and a non-sandboxed session's exec still runs on the host.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { runInProcess } from "../helpers/cli.js";
import { startFakeDocker } from "../helpers/fake-docker.js";
import { type FakeReply, type FakeRequest, lastToolResult, startFakeLlm } from "../helpers/fake-llm.js";
import { startTestGateway } from "../helpers/gateway.js";

type Obj = Record<string, unknown>;
const KEY = "sk-ant-api03-SANDBOXkey00000000000000000000000000000";

/** A model that runs `exec` with the command named in the user's message (after "run: "), then reports the result. */
function execModel(req: FakeRequest): FakeReply {
  const result = lastToolResult(req);
  if (result) return { text: `${result.isError ? "TOOL ERROR: " : "TOOL SAID: "}${result.text}` };
  const messages = req.body.messages as Array<{ role: string; content: unknown }>;
  const last = messages.filter((m) => m.role === "user").at(-1)!;
  const text = typeof last.content === "string" ? last.content : (last.content as Array<{ type: string; text?: string }>).map((p) => p.text ?? "").join("");
  return { text: "", toolCalls: [{ id: `toolu_${Date.now()}`, name: "exec", input: { command: text.slice(text.indexOf("run: ") + 5) } }] };
}

async function setup(t: Parameters<typeof startTestGateway>[0], sandbox: Obj, dockerHost: string) {
  const llm = await startFakeLlm(execModel);
  t.after(() => llm.close());
  const gw = await startTestGateway(t, {
    config: {
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" }, sandbox } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: KEY } } },
    },
    env: { DOCKER_HOST: dockerHost },
  });
  const c = await gw.connect();
  t.after(() => c.close());
  let n = 0;
  const run = async (command: string, sessionKey = "agent:main:main") => {
    const final = (await c.call("agent", { message: `run: ${command}`, agentId: "main", sessionKey, idempotencyKey: `k-${++n}-${Date.now()}` }, { expectFinal: true, timeoutMs: 30_000 })) as { status: string; result: { payloads: Array<{ text: string }> } };
    assert.equal(final.status, "ok");
    return final.result.payloads[0]!.text;
  };
  const cli = (...argv: string[]) => runInProcess(argv, { env: { ...gw.env } });
  return { gw, run, cli };
}

describe("sandboxed exec through the Docker Engine API", () => {
  test("mode all: exec creates one labelled container and runs there; the next exec reuses it; list shows it; recreate removes it; the next exec creates a new one", async (t) => {
    const docker = await startFakeDocker();
    t.after(() => docker.close());
    const { gw, run, cli } = await setup(t, { mode: "all", scope: "session" }, docker.dockerHost);

    const first = await run("echo from-sandbox-$((6*7)); pwd");
    assert.match(first, /^TOOL SAID: from-sandbox-42\n/);
    assert.equal(docker.count("POST", "/containers/create"), 1);
    const [container] = [...docker.containers.values()];
    assert.equal(container!.labels["openclaw.sandbox"], "1");
    assert.equal(container!.labels["openclaw.sessionKey"], "agent:main:main");
    assert.equal(container!.image, "openclaw-sandbox:bookworm-slim");
    // workspaceAccess none: /workspace is a per-scope sandbox dir, not the agent's workspace.
    const sandboxDir = first.split("\n")[1]!;
    assert.ok(realpathSync(sandboxDir).startsWith(realpathSync(path.join(gw.stateDir, "sandboxes"))), sandboxDir);
    assert.deepEqual(docker.execs.at(-1), ["/bin/sh", "-lc", "echo from-sandbox-$((6*7)); pwd"]);

    assert.match(await run("echo again"), /^TOOL SAID: again/);
    assert.equal(docker.count("POST", "/containers/create"), 1, "the second exec reused the container");
    assert.equal(docker.count("POST", "/exec/"), 2);

    const listed = await cli("sandbox", "list", "--json");
    assert.equal(listed.code, 0, listed.stderr);
    const data = JSON.parse(listed.stdout) as { containers: Obj[]; browsers: unknown[] };
    assert.equal(data.containers.length, 1);
    assert.equal(data.containers[0]!.containerName, container!.name);
    assert.equal(data.containers[0]!.sessionKey, "agent:main:main");
    assert.equal(data.containers[0]!.running, true);
    assert.equal(data.containers[0]!.imageMatch, true);

    const refused = await cli("sandbox", "recreate", "--all");
    assert.equal(refused.code, 2, "without --force and without a terminal it refuses");
    assert.match(refused.stderr, /--force/);
    assert.equal(docker.containers.size, 1);

    const recreated = await cli("sandbox", "recreate", "--all", "--force", "--json");
    assert.equal(recreated.code, 0, recreated.stderr);
    assert.deepEqual((JSON.parse(recreated.stdout) as Obj).removed, [container!.name]);
    assert.equal(docker.containers.size, 0);

    assert.match(await run("echo after-recreate"), /^TOOL SAID: after-recreate/);
    assert.equal(docker.count("POST", "/containers/create"), 2, "the next exec created a new container");
    assert.equal(docker.containers.size, 1);
  });

  test("no Docker socket: sandbox list fails with the one-line cause; a sandboxed session's exec is refused and nothing runs on the host; the main session (non-main mode) still runs on the host", async (t) => {
    const missing = path.join(path.dirname(new URL(import.meta.url).pathname), "no-such-dir", "docker.sock");
    const { gw, run, cli } = await setup(t, { mode: "non-main" }, `unix://${missing}`);

    const listed = await cli("sandbox", "list");
    assert.equal(listed.code, 4);
    assert.match(listed.stderr, new RegExp(`Docker is not reachable at ${missing.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: no such socket`));
    assert.match(listed.stderr, /DOCKER_HOST|sandbox\.mode off/);

    const workspace = path.join(gw.stateDir, "workspace");
    const refused = await run("touch sandboxed-marker", "agent:main:telegram:direct:42");
    assert.match(refused, /^TOOL ERROR: sandboxed session: Docker is not reachable at .*exec refused/);
    assert.equal(existsSync(path.join(workspace, "sandboxed-marker")), false, "nothing ran on the host");

    const direct = await run("echo direct > host-marker; echo ran-on-host");
    assert.match(direct, /^TOOL SAID: ran-on-host/);
    assert.equal(readFileSync(path.join(workspace, "host-marker"), "utf8"), "direct\n");
  });
});
