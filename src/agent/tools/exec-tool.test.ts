import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { pollUntil } from "../../infra/index.js";
import { execApprovalsPath, loadExecApprovals, saveExecApprovals } from "./approvals-file.js";
import { matchAllowlist, parseCommandSegments, resolveExecPolicy } from "./exec-policy.js";
import { exactArgsPattern, execTool } from "./exec-tool.js";
import { createTestToolContext, type TestToolContext } from "./test-context.js";
import type { ApprovalDecision, ApprovalRequest } from "./types.js";

const made: TestToolContext[] = [];
function ctx(options: Parameters<typeof createTestToolContext>[0] = {}): TestToolContext {
  const c = createTestToolContext(options);
  made.push(c);
  return c;
}
after(() => {
  for (const c of made) fs.rmSync(c.root, { recursive: true, force: true });
});
const exec = (config: Record<string, unknown>) => ({ tools: { exec: config } });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("exec: running commands", () => {
  test("runs /bin/sh in the workspace and captures stdout and stderr", async () => {
    const c = ctx();
    const r = await execTool.run({ command: "pwd; echo out; echo err 1>&2" }, c);
    assert.equal(r.isError, undefined, r.content);
    assert.equal(r.content, `${c.workspace}\nout\nerr\n`);
    assert.equal(r.details?.exitCode, 0);
  });

  test("a non-zero exit is an error result with the code; workdir resolves against the workspace", async () => {
    const c = ctx();
    fs.mkdirSync(path.join(c.workspace, "sub"));
    const r = await execTool.run({ command: "basename \"$PWD\"; exit 3", workdir: "sub" }, c);
    assert.equal(r.isError, true);
    assert.match(r.content, /^sub\n\nCommand exited with code 3$/);
    assert.match((await execTool.run({ command: "true", workdir: "nope" }, c)).content, /does not exist/);
    assert.match((await execTool.run({ command: "true", env: { PATH: "/tmp" } }, c)).content, /env\.PATH cannot be overridden/);
  });

  test("timeoutSeconds kills the whole process group", async () => {
    const c = ctx();
    const pidFile = path.join(c.workspace, "child.pid");
    const r = await execTool.run({ command: `sleep 30 & echo $! > ${pidFile}; wait`, timeoutSeconds: 0.5 }, c);
    assert.equal(r.isError, true);
    assert.match(r.content, /timed out after 0\.5 seconds/);
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    assert.ok(await pollUntil(() => !alive(pid), 5000), "the backgrounded sleep was killed with its group");
  });

  test("a huge timeoutSeconds is clamped, not an instant kill (setTimeout overflow)", async () => {
    const r = await execTool.run({ command: "sleep 0.2; echo survived", timeoutSeconds: 1e7 }, ctx());
    assert.equal(r.content, "survived\n");
  });

  test("aborting the turn's signal kills the command", async () => {
    const ac = new AbortController();
    const c = ctx({ signal: ac.signal });
    const pidFile = path.join(c.workspace, "sh.pid");
    const running = execTool.run({ command: `echo $$ > ${pidFile}; sleep 30` }, c);
    assert.ok(await pollUntil(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim() !== "", 5000));
    ac.abort();
    const r = await running;
    assert.equal(r.isError, true);
    assert.match(r.content, /Command aborted/);
    assert.equal(alive(Number(fs.readFileSync(pidFile, "utf8"))), false);
  });

  test("output is capped at 64 KiB with a [truncated …] marker", async () => {
    const c = ctx();
    const r = await execTool.run({ command: "head -c 200000 /dev/zero | tr '\\0' 'a'" }, c);
    assert.equal(r.isError, undefined);
    assert.ok(r.content.length < 70_000);
    assert.match(r.content, /\[truncated: 134464 more bytes of output\]/);
  });
});

describe("exec: security and approvals", () => {
  test("security deny comes back as a tool error and runs nothing", async () => {
    const c = ctx({ config: exec({ security: "deny" }) });
    const marker = path.join(c.workspace, "ran");
    const r = await execTool.run({ command: `touch ${marker}` }, c);
    assert.equal(r.isError, true);
    assert.match(r.content, /exec denied: .*tools\.exec\.security=deny/);
    assert.equal(fs.existsSync(marker), false);
    const typo = await execTool.run({ command: "true" }, ctx({ config: exec({ mode: "yolo" }) }));
    assert.match(typo.content, /exec denied: the exec policy is invalid \(tools\.exec\.mode is "yolo"; use one of deny, allowlist, ask, auto, full\)/);
    // mode: "deny" is the same.
    assert.equal((await execTool.run({ command: "true" }, ctx({ config: exec({ mode: "deny" }) }))).isError, true);
  });

  test("allowlist: a matching binary runs, a miss is refused (ask off)", async () => {
    const c = ctx({ config: exec({ security: "allowlist" }) });
    saveExecApprovals(execApprovalsPath(c.stateDir), { version: 1, agents: { main: { allowlist: [{ pattern: "echo" }, { pattern: "/usr/bin/printf" }] } } });
    assert.equal((await execTool.run({ command: "echo hi" }, c)).content, "hi\n");
    const miss = await execTool.run({ command: "echo hi && touch x" }, c);
    assert.match(miss.content, /not on the exec allowlist/);
    assert.equal(fs.existsSync(path.join(c.workspace, "x")), false);
    assert.match((await execTool.run({ command: "echo $(touch x)" }, c)).content, /not on the exec allowlist/);
    assert.equal(c.approvals.length, 0);
  });

  test("ask on-miss: the operator is asked; deny and timeout are tool errors, allow-once runs", async () => {
    const answers: ApprovalDecision[] = ["deny", "timeout", "allow-once"];
    const c = ctx({ config: exec({ security: "allowlist", ask: "on-miss" }), decide: () => answers.shift()! });
    const marker = path.join(c.workspace, "ran");
    assert.match((await execTool.run({ command: `touch ${marker}` }, c)).content, /operator denied/);
    assert.match((await execTool.run({ command: `touch ${marker}` }, c)).content, /approval timed out \(askFallback=deny\)/);
    assert.equal(fs.existsSync(marker), false);
    const ok = await execTool.run({ command: `touch ${marker} && echo done` }, c);
    assert.equal(ok.content, "done\n");
    assert.equal(c.approvals.length, 3);
    const req = c.approvals[0] as ApprovalRequest;
    assert.deepEqual({ command: req.command, cwd: req.cwd, agentId: req.agentId, sessionKey: req.sessionKey }, { command: `touch ${marker}`, cwd: c.workspace, agentId: "main", sessionKey: "agent:main:main" });
    assert.match(req.reason, /not on the exec allowlist/);
  });

  test("allow-always adds the binaries to the allowlist file (0600, unknown keys kept); the next run is not asked", async () => {
    const c = ctx({ config: exec({ mode: "ask" }), decide: () => "allow-always" });
    const file = execApprovalsPath(c.stateDir);
    saveExecApprovals(file, { version: 1, socket: { path: "/x.sock", token: "keep-me" }, defaults: { askFallback: "deny", custom: 1 }, agents: { main: { allowlist: [{ pattern: "ls", note: "mine" }] }, other: { x: true } } });
    assert.equal((await execTool.run({ command: "echo a | tr a b" }, c)).content, "b\n");
    assert.equal(c.approvals.length, 1);
    const doc = loadExecApprovals(file);
    assert.equal((fs.statSync(file).mode & 0o777).toString(8), "600");
    assert.deepEqual(doc.socket, { path: "/x.sock", token: "keep-me" });
    assert.deepEqual(doc.defaults, { askFallback: "deny", custom: 1 });
    assert.deepEqual(doc.agents?.other, { x: true });
    const list = doc.agents?.main?.allowlist ?? [];
    assert.deepEqual(list[0], { pattern: "ls", note: "mine" });
    assert.deepEqual(
      list.slice(1).map((e) => [e.pattern, e.argPattern, e.source, typeof e.id]),
      [
        ["echo", "^a$", "allow-always", "string"],
        ["tr", "^a b$", "allow-always", "string"],
      ],
    );
    assert.equal((await execTool.run({ command: "echo a | tr a b" }, c)).content, "b\n");
    assert.equal(c.approvals.length, 1, "allowlisted now: the same command is not asked again");
    assert.equal((await execTool.run({ command: "echo other" }, c)).content, "other\n");
    assert.equal(c.approvals.length, 2, "other arguments are asked again (the grant is bound to its arguments)");
  });

  test("ask always asks even for allowlisted commands; askFallback full runs on timeout", async () => {
    const c = ctx({ config: exec({ security: "full", ask: "always" }) });
    saveExecApprovals(execApprovalsPath(c.stateDir), { version: 1, defaults: { askFallback: "full" }, agents: { main: { allowlist: [{ pattern: "echo" }] } } });
    assert.equal((await execTool.run({ command: "echo fb" }, c)).content, "fb\n");
    assert.equal(c.approvals.length, 1);
    assert.match(c.approvals[0]!.reason, /ask=always/);
  });

  test("the host approvals file can only tighten the config policy", () => {
    const cfg = { tools: { exec: { security: "full", ask: "off" } }, agents: { entries: { ops: { tools: { exec: { mode: "allowlist" } } } } } };
    const tight = resolveExecPolicy({ config: cfg, agentId: "main", approvals: { defaults: { security: "allowlist", ask: "always" } } });
    assert.deepEqual([tight.security, tight.ask], ["allowlist", "always"]);
    const loose = resolveExecPolicy({ config: { tools: { exec: { security: "deny" } } }, agentId: "main", approvals: { defaults: { security: "full" } } });
    assert.equal(loose.security, "deny");
    const agent = resolveExecPolicy({ config: cfg, agentId: "ops", approvals: {} });
    assert.deepEqual([agent.security, agent.ask, agent.requested.source], ["allowlist", "off", "agent ops tools.exec"]);
    const typo = resolveExecPolicy({ config: { tools: { exec: { security: "denny" } } }, agentId: "main", approvals: {} });
    assert.equal(typo.security, "deny", "an unknown value fails closed");
    assert.deepEqual(typo.problems, ['tools.exec.security is "denny"; use one of deny, allowlist, full']);
    const dflt = resolveExecPolicy({ config: {}, agentId: "main", approvals: {} });
    assert.deepEqual([dflt.security, dflt.ask, dflt.askFallback, dflt.timeoutSeconds], ["full", "off", "deny", 1800]);
  });

  test("allowlist matching: bare names only via PATH, path globs against the resolved binary, argPattern", () => {
    const env = { PATH: process.env.PATH, HOME: "/home/u" };
    const opts = { cwd: "/", env };
    const sh = matchAllowlist("sh -c true", [{ pattern: "sh" }], opts);
    assert.equal(sh.matched, true);
    assert.equal(matchAllowlist("/bin/sh -c true", [{ pattern: "sh" }], opts).matched, false, "a bare name does not match a path invocation");
    const real = fs.realpathSync("/bin/sh");
    assert.equal(matchAllowlist("/bin/sh -c true", [{ pattern: `${path.dirname(real)}/*` }], opts).matched, true);
    assert.equal(matchAllowlist("FOO=1 sh x.sh", [{ pattern: "sh", argPattern: "^x\\.sh$" }], opts).matched, true);
    assert.equal(matchAllowlist("sh y.sh", [{ pattern: "sh", argPattern: "^x\\.sh$" }], opts).matched, false);
    assert.equal(matchAllowlist("no-such-binary-xyz", [{ pattern: "*" }], opts).matched, false);
    const exact = { pattern: "sh", argPattern: exactArgsPattern(["-c", "echo a.b (x)"]) };
    assert.equal(matchAllowlist("sh -c 'echo a.b (x)'", [exact], opts).matched, true);
    assert.equal(matchAllowlist("sh -c 'echo aXb (x)'", [exact], opts).matched, false, "regex characters in the arguments are literal");
    assert.equal(resolveExecPolicy({ config: {}, agentId: "main", approvals: { agents: { default: { security: "deny" } } } }).security, "deny", "legacy agents.default is main");
    assert.deepEqual(parseCommandSegments("a 'b c' \"d\\\"e\" && f|g; h", opts)?.map((s) => [s.bin, ...s.args]), [["a", "b c", 'd"e'], ["f"], ["g"], ["h"]]);
    assert.equal(parseCommandSegments("echo `id`", opts), undefined);
    assert.equal(parseCommandSegments("(cd /; ls)", opts), undefined);
  });
});
