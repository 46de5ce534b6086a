/** Doctor's "Sandbox images" check: facts gathered from the loopback Docker Engine API, findings from them. */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { startFakeDocker } from "../../../test/helpers/fake-docker.js";
import { DOCTOR_CHECKS, type DoctorInputs } from "./checks.js";
import { collectSandboxFacts, type SandboxFacts } from "./sandbox.js";

const check = DOCTOR_CHECKS.find((c) => c.title === "Sandbox images")!;
const run = (sandbox: SandboxFacts | undefined) => check.run({ ...(sandbox ? { sandbox } : {}) } as DoctorInputs);

describe('doctor "Sandbox images"', () => {
  test("sandbox off: Docker is never contacted and nothing is reported", async (t) => {
    const docker = await startFakeDocker();
    t.after(() => docker.close());
    const facts = await collectSandboxFacts({ config: {}, agentIds: ["main"], env: { DOCKER_HOST: docker.dockerHost } });
    assert.equal(facts, undefined);
    assert.equal(docker.requests.length, 0);
    assert.deepEqual(run(facts), []);
  });

  test("image present: clean; image missing: sandbox.image_missing with the docker pull fix", async (t) => {
    const docker = await startFakeDocker({ images: ["openclaw-sandbox:bookworm-slim"] });
    t.after(() => docker.close());
    const env = { DOCKER_HOST: docker.dockerHost };
    const ok = await collectSandboxFacts({ config: { agents: { defaults: { sandbox: { mode: "non-main" } } } }, agentIds: ["main"], env });
    assert.deepEqual(ok?.docker, { reachable: true, images: [{ image: "openclaw-sandbox:bookworm-slim", present: true }] });
    assert.deepEqual(run(ok), []);
    assert.ok(docker.requests.some((r) => r.path === "/_ping"));
    assert.ok(docker.requests.some((r) => r.path === "/images/openclaw-sandbox:bookworm-slim/json"));

    const config = { agents: { defaults: { sandbox: { mode: "all" } }, list: [{ id: "main" }, { id: "work", sandbox: { docker: { image: "custom:2" } } }] } };
    const missing = await collectSandboxFacts({ config, agentIds: ["main", "work"], env });
    const findings = run(missing);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.checkId, "sandbox.image_missing");
    assert.match(findings[0]!.title, /custom:2 is missing \(used by work\)/);
    assert.match(findings[0]!.fix ?? "", /^docker pull custom:2/);
  });

  test("Docker unreachable: one warning with the socket, the cause and the fix", async () => {
    const sock = path.join("/nonexistent-dir-for-test", "docker.sock");
    const facts = await collectSandboxFacts({ config: { agents: { defaults: { sandbox: { mode: "all" } } } }, agentIds: ["main"], env: { DOCKER_HOST: `unix://${sock}` } });
    const findings = run(facts);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.checkId, "sandbox.docker_unreachable");
    assert.match(findings[0]!.title, new RegExp(`Docker is not reachable at ${sock.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: no such socket`));
    assert.match(findings[0]!.fix ?? "", /start Docker/);
  });
});
