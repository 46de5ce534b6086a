/** The sandbox manager and Docker client against the loopback Docker Engine API (test/helpers/fake-docker.ts). */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { startFakeDocker } from "../../test/helpers/fake-docker.js";
import type { AppError } from "../shared/index.js";
import { listSandboxContainers, selectSandboxContainers } from "./containers.js";
import { DockerClient, resolveDockerTarget } from "./docker.js";
import { SandboxManager } from "./manager.js";
import { CONFIG_HASH_LABEL, SANDBOX_LABEL, SESSION_KEY_LABEL } from "./settings.js";

function temp(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sbx-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("sandbox manager over the Docker Engine API", () => {
  test("ensure creates one labelled container per scope, exec output is demultiplexed, a second exec reuses it", async (t) => {
    const docker = await startFakeDocker();
    t.after(() => docker.close());
    const state = temp(t);
    const workspace = path.join(state, "workspace");
    fs.mkdirSync(workspace);
    let config: Record<string, unknown> = { agents: { defaults: { sandbox: { mode: "all", scope: "session", workspaceAccess: "rw" } } } };
    const m = new SandboxManager({ env: { DOCKER_HOST: docker.dockerHost }, stateDir: state, config: () => config });
    const r = await m.exec({ agentId: "main", sessionKey: "agent:main:main", workspace, command: "echo out; echo err >&2; pwd; exit 3", timeoutMs: 10_000, maxBytes: 65536 });
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, `out\n${fs.realpathSync(workspace)}\n`, "stdout alone, run in the workspace mounted at /workspace");
    assert.equal(r.stderr, "err\n");
    assert.equal(docker.count("POST", "/containers/create"), 1);
    const c = [...docker.containers.values()][0]!;
    assert.equal(c.name, r.container);
    assert.ok(c.name.startsWith("openclaw-sbx-agent-main-main-"), c.name);
    assert.equal(c.labels[SANDBOX_LABEL], "1");
    assert.equal(c.labels[SESSION_KEY_LABEL], "agent:main:main");
    assert.ok(c.labels[CONFIG_HASH_LABEL]);
    assert.deepEqual(c.binds, [`${workspace}:/workspace:rw`]);
    const hc = c.createBody.HostConfig as Record<string, unknown>;
    assert.equal(hc.NetworkMode, "none");
    // rw: the workspace is the container's /workspace.
    await m.exec({ agentId: "main", sessionKey: "agent:main:main", workspace, command: "echo hi > made-inside", timeoutMs: 10_000, maxBytes: 65536 });
    assert.equal(fs.readFileSync(path.join(workspace, "made-inside"), "utf8"), "hi\n");
    assert.equal(docker.count("POST", "/containers/create"), 1, "the second exec reused the container");

    const list = await listSandboxContainers(m.docker, config);
    assert.equal(list.length, 1);
    assert.equal(list[0]!.sessionKey, "agent:main:main");
    assert.equal(list[0]!.imageMatch, true);
    assert.equal(selectSandboxContainers(list, { agent: "main" }).length, 1);
    assert.equal(selectSandboxContainers(list, { agent: "work" }).length, 0);
    assert.equal(selectSandboxContainers(list, { session: "agent:main:main" }).length, 1);

    // A settings change (network) is drift: the next use recreates the container.
    config = { agents: { defaults: { sandbox: { mode: "all", scope: "session", workspaceAccess: "rw", docker: { network: "bridge" } } } } };
    await m.exec({ agentId: "main", sessionKey: "agent:main:main", workspace, command: "true", timeoutMs: 10_000, maxBytes: 65536 });
    assert.equal(docker.count("POST", "/containers/create"), 2);
    assert.equal(docker.count("DELETE", "/containers/"), 1);
    assert.equal(docker.containers.size, 1);
  });

  test("scope agent shares one container across sessions; a missing image is a one-line error with the fix", async (t) => {
    const docker = await startFakeDocker();
    t.after(() => docker.close());
    const state = temp(t);
    const m = new SandboxManager({ env: { DOCKER_HOST: docker.dockerHost }, stateDir: state, config: () => ({ agents: { defaults: { sandbox: { mode: "all" } } } }) });
    const a = await m.ensure("main", "agent:main:telegram:direct:1", state);
    const b = await m.ensure("main", "agent:main:telegram:direct:2", state);
    assert.equal(a.name, b.name);
    assert.equal(a.scopeKey, "agent:main");
    assert.equal(docker.count("POST", "/containers/create"), 1);
    const missing = new SandboxManager({ env: { DOCKER_HOST: docker.dockerHost }, stateDir: state, config: () => ({ agents: { defaults: { sandbox: { mode: "all", docker: { image: "nope:latest" } } } } }) });
    await assert.rejects(missing.ensure("main", "agent:main:main", state), (e: AppError) => e.code === "SANDBOX_DOCKER_FAILED" && /nope:latest/.test(e.message) && /docker pull nope:latest/.test(e.hint ?? ""));
  });

  test("prune removes containers idle past prune.idleHours or older than prune.maxAgeDays, and keeps fresh ones", async (t) => {
    const docker = await startFakeDocker();
    t.after(() => docker.close());
    const state = temp(t);
    const m = new SandboxManager({ env: { DOCKER_HOST: docker.dockerHost }, stateDir: state, config: () => ({ agents: { defaults: { sandbox: { mode: "all", scope: "session", prune: { idleHours: 2, maxAgeDays: 1 } } } } }) });
    await m.exec({ agentId: "main", sessionKey: "agent:main:a", workspace: state, command: "true", timeoutMs: 10_000, maxBytes: 100 });
    const now = Date.now();
    assert.deepEqual(await m.prune(now + 60_000), [], "a container used a minute ago stays");
    assert.equal(docker.containers.size, 1);
    const removed = await m.prune(now + 3 * 3_600_000);
    assert.equal(removed.length, 1);
    assert.equal(docker.containers.size, 0);
    assert.equal(docker.count("DELETE", "/containers/"), 1);
  });

  test("exec timeout ends the call and says so", async (t) => {
    const docker = await startFakeDocker();
    t.after(() => docker.close());
    const state = temp(t);
    const m = new SandboxManager({ env: { DOCKER_HOST: docker.dockerHost }, stateDir: state, config: () => ({ agents: { defaults: { sandbox: { mode: "all" } } } }) });
    const r = await m.exec({ agentId: "main", sessionKey: "s", workspace: state, command: "echo started; sleep 5", timeoutMs: 300, maxBytes: 1000 });
    assert.equal(r.timedOut, true);
    assert.equal(r.stdout, "started\n");
  });

  test("no socket: every call fails with 'Docker is not reachable at <socket>' and the fix", async (t) => {
    const dir = temp(t);
    const sock = path.join(dir, "missing.sock");
    const client = new DockerClient(resolveDockerTarget({ DOCKER_HOST: `unix://${sock}` }));
    await assert.rejects(client.ping(), (e: AppError) => {
      assert.equal(e.code, "SANDBOX_DOCKER_UNREACHABLE");
      assert.equal(e.message, `Docker is not reachable at ${sock}: no such socket`);
      assert.match(e.hint ?? "", /start Docker.*DOCKER_HOST.*sandbox\.mode off/);
      return true;
    });
    assert.deepEqual(resolveDockerTarget({}), { socketPath: "/var/run/docker.sock", display: "/var/run/docker.sock" });
    assert.equal(resolveDockerTarget({ DOCKER_HOST: "tcp://10.0.0.5:2375" }).port, 2375);
  });
});
