import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { type ConfigIssue, formatIssue } from "./issues.js";
import { loadConfigSnapshot } from "./load.js";
import { readConfigInput } from "./load-input.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-load-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** Writes `text` as openclaw.json in a fresh directory and returns its path. */
function configFile(text: string | null): string {
  counter++;
  const dir = path.join(root, `case-${counter}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "openclaw.json");
  if (text !== null) fs.writeFileSync(file, text);
  return file;
}

function load(text: string | null, env: Record<string, string> = {}, lenientEnv = false) {
  const file = configFile(text);
  return { file, snap: loadConfigSnapshot({ configPath: file, env, lenientEnv }) };
}

function issueAt(list: readonly ConfigIssue[], p: string): ConfigIssue {
  const hit = list.find((i) => i.path === p);
  assert.ok(hit, `no issue at ${p}; got ${JSON.stringify(list)}`);
  return hit;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

describe("loadConfigSnapshot: missing file", () => {
  test("a missing file is valid and yields the defaults", () => {
    const { snap } = load(null);
    assert.equal(snap.exists, false);
    assert.equal(snap.valid, true);
    assert.deepEqual(snap.issues, []);
    assert.deepEqual(snap.input, {});
    assert.equal(snap.raw, null);
    assert.equal(snap.hash, null);
    assert.equal(snap.config?.gateway.port, 18789);
    assert.equal(snap.config?.gateway.bind, "loopback");
    assert.equal(snap.config?.logging.level, "info");
    assert.equal(snap.config?.logging.consoleLevel, "info");
  });

  for (const [name, text] of [["empty", ""], ["whitespace-only", "  \n\t\n"], ["BOM-only", "\ufeff\n"]] as const) {
    test(`an ${name} file is an error at file:1:1 ("config file is empty"), not the defaults`, () => {
      const { file, snap } = load(text);
      assert.equal(snap.exists, true);
      assert.equal(snap.valid, false);
      assert.equal(snap.config, undefined);
      const issue = snap.issues[0]!;
      assert.equal(snap.issues.length, 1);
      assert.equal(issue.kind, "parse");
      assert.match(issue.message, /config file is empty/);
      assert.deepEqual([issue.file, issue.line, issue.column], [file, 1, 1]);
      assert.equal(formatIssue(issue), `${file}:1:1: config file is empty (write {} for all defaults, or restore openclaw.json.bak)`);
    });
  }
});

describe("loadConfigSnapshot: JSON5 syntax", () => {
  test("comments, unquoted keys, single quotes and trailing commas load", () => {
    const { snap } = load(
      ["// top comment", "{", "  /* block */", "  gateway: {", "    port: 19001, // inline", "    bind: 'lan',", "  },", "  logging: { level: 'debug', },", "}", ""].join("\n"),
    );
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.deepEqual(snap.input, { gateway: { port: 19001, bind: "lan" }, logging: { level: "debug" } });
    assert.equal(snap.config?.gateway.port, 19001);
    assert.equal(snap.config?.gateway.bind, "lan");
    assert.equal(snap.config?.logging.level, "debug");
  });

  test("a syntax error is a parse issue citing file:line:col", () => {
    const { file, snap } = load("{\n  gateway: {\n    port: 12 34\n  }\n}\n");
    assert.equal(snap.valid, false);
    assert.equal(snap.config, undefined);
    assert.equal(snap.issues.length, 1);
    const issue = snap.issues[0]!;
    assert.equal(issue.kind, "parse");
    assert.equal(issue.file, file);
    assert.equal(issue.line, 3);
    assert.equal(issue.column, 14);
    assert.ok(issue.message.includes(`${file}:3:14`), issue.message);
    if (issue.excerpt !== undefined) assert.ok(issue.excerpt.includes("port: 12 34") && issue.excerpt.includes("^"), issue.excerpt);
  });

  test("an unterminated object reports the end of input position", () => {
    const { file, snap } = load('{\n  logging: { level: "info" }\n');
    const issue = snap.issues[0]!;
    assert.equal(issue.kind, "parse");
    assert.equal(issue.line, 3);
    assert.equal(issue.column, 1);
    assert.ok(issue.message.startsWith(`${file}:3:1:`), issue.message);
  });

  // Regression: an unparseable file on disk used to report raw: null and hash: null. config.get needs
  // the raw text and its hash so the broken file can be shown and replaced with a baseHash.
  test("a file that does not parse still reports its raw text and hash", () => {
    const text = "{\n  gateway: {\n    port: 12 34\n  }\n}\n";
    const file = configFile(text);
    const input = readConfigInput({ configPath: file, env: {} });
    assert.equal(input.exists, true);
    assert.equal(input.readable, false);
    assert.equal(input.raw, text);
    assert.equal(input.hash, sha256(text));
  });
});

describe("loadConfigSnapshot: unknown keys", () => {
  test("an unknown root key is an error with a suggestion and its location", () => {
    const { file, snap } = load("{\n  gatewy: { port: 1 }\n}\n");
    assert.equal(snap.valid, false);
    const issue = issueAt(snap.issues, "gatewy");
    assert.equal(issue.kind, "schema");
    assert.match(issue.message, /did you mean "gateway"/);
    assert.equal(issue.file, file);
    assert.equal(issue.line, 2);
    assert.equal(issue.column, 3);
  });

  test("an unknown key inside gateway (owned, strict) is an error with a suggestion", () => {
    const { file, snap } = load("{\n  gateway: {\n    prt: 19001\n  }\n}\n");
    assert.equal(snap.valid, false);
    assert.equal(snap.config, undefined);
    const issue = issueAt(snap.issues, "gateway.prt");
    assert.match(issue.message, /did you mean "port"/);
    assert.equal(issue.file, file);
    assert.equal(issue.line, 3);
    assert.match(formatIssue(issue), new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:5: gateway\\.prt: `));
  });

  test("unknown keys inside loose sections are accepted and kept in input and config", () => {
    const { snap } = load(
      JSON.stringify({
        channels: { whatsapp: { foo: 1, allowFrom: ["+15550001"] } },
        agents: { defaults: { something: { deep: true } } },
        wizard: { anything: "goes" },
        mcp: { servers: { local: { command: "x" } } },
      }),
    );
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.deepEqual(snap.warnings, []);
    assert.deepEqual(snap.input.channels, { whatsapp: { foo: 1, allowFrom: ["+15550001"] } });
    assert.deepEqual(snap.input.wizard, { anything: "goes" });
    const cfg = snap.config as unknown as Record<string, Record<string, unknown>>;
    assert.deepEqual(cfg.channels, { whatsapp: { foo: 1, allowFrom: ["+15550001"] } });
    assert.deepEqual(cfg.agents, { defaults: { something: { deep: true } } });
    assert.deepEqual(cfg.wizard, { anything: "goes" });
    assert.deepEqual(cfg.mcp, { servers: { local: { command: "x" } } });
  });

  test("a likely typo inside a loose section is a warning, not an error", () => {
    const { file, snap } = load('{\n  channels: {\n    whatsapp: {\n      allowfrom: ["+15550001"]\n    }\n  }\n}\n');
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.deepEqual(snap.issues, []);
    const warning = issueAt(snap.warnings, "channels.whatsapp.allowfrom");
    assert.match(warning.message, /did you mean "allowFrom"/);
    assert.equal(warning.file, file);
    assert.equal(warning.line, 4);
    // The key is kept as written.
    const cfg = snap.config as unknown as { channels: { whatsapp: Record<string, unknown> } };
    assert.deepEqual(cfg.channels.whatsapp.allowfrom, ["+15550001"]);
  });
});

describe("loadConfigSnapshot: types", () => {
  test("a wrong type names the path and points at the line of the key", () => {
    const { file, snap } = load('{\n  gateway: {\n    bind: "loopback",\n    port: "abc"\n  }\n}\n');
    assert.equal(snap.valid, false);
    const issue = issueAt(snap.issues, "gateway.port");
    assert.equal(issue.kind, "schema");
    assert.equal(issue.file, file);
    assert.equal(issue.line, 4);
    assert.equal(issue.column, 5);
  });

  test("an invalid enum value is an error", () => {
    const { snap } = load('{ gateway: { bind: "everywhere" } }');
    assert.equal(snap.valid, false);
    issueAt(snap.issues, "gateway.bind");
  });

  test("the removed bridge section is rejected", () => {
    const { file, snap } = load("{\n  bridge: { enabled: true }\n}\n");
    assert.equal(snap.valid, false);
    const issue = issueAt(snap.issues, "bridge");
    assert.match(issue.message, /bridge/);
    assert.equal(issue.file, file);
    assert.equal(issue.line, 2);
  });
});

describe("loadConfigSnapshot: ${VAR} substitution", () => {
  test("variables are substituted inline", () => {
    const { snap } = load('{ models: { providers: { local: { baseUrl: "${BASE}/v1", api: "${A}-${B}" } } } }', {
      BASE: "http://127.0.0.1:8080",
      A: "openai",
      B: "completions",
    });
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    const provider = (snap.input.models as { providers: { local: Record<string, unknown> } }).providers.local;
    assert.equal(provider.baseUrl, "http://127.0.0.1:8080/v1");
    assert.equal(provider.api, "openai-completions");
  });

  test("$${X} escapes to a literal ${X} and is not an env reference", () => {
    const { snap } = load('{ wizard: { note: "$${X} and ${Y}" } }', { Y: "y" });
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.deepEqual(snap.input.wizard, { note: "${X} and y" });
    assert.deepEqual(snap.envRefs, [{ name: "Y", path: "wizard.note" }]);
  });

  test("lower-case names are not variables", () => {
    const { snap } = load('{ wizard: { note: "${lower}" } }');
    assert.equal(snap.valid, true);
    assert.deepEqual(snap.input.wizard, { note: "${lower}" });
  });

  const TOKEN_CONFIG = '{\n  gateway: {\n    auth: {\n      token: "${TOKEN}"\n    }\n  }\n}\n';

  test("a missing variable is an error naming the variable, the config path and file:line", () => {
    const { file, snap } = load(TOKEN_CONFIG);
    assert.equal(snap.valid, false);
    const issue = issueAt(snap.issues, "gateway.auth.token");
    assert.equal(issue.kind, "env");
    assert.match(issue.message, /TOKEN/);
    assert.match(issue.message, /gateway\.auth\.token/);
    assert.match(issue.message, /not set/);
    assert.equal(issue.file, file);
    assert.equal(issue.line, 4);
  });

  test("an empty variable is an error too", () => {
    const { file, snap } = load(TOKEN_CONFIG, { TOKEN: "" });
    assert.equal(snap.valid, false);
    const issue = issueAt(snap.issues, "gateway.auth.token");
    assert.equal(issue.kind, "env");
    assert.match(issue.message, /TOKEN/);
    assert.match(issue.message, /empty/);
    assert.match(issue.message, /gateway\.auth\.token/);
    assert.equal(issue.file, file);
    assert.equal(issue.line, 4);
  });

  test("lenientEnv turns missing variables into warnings", () => {
    const { snap } = load(TOKEN_CONFIG, {}, true);
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.deepEqual(snap.issues, []);
    const warning = issueAt(snap.warnings, "gateway.auth.token");
    assert.equal(warning.kind, "env");
    assert.match(warning.message, /TOKEN/);
  });

  test("the config env block fills unset variables but never overrides the real env", () => {
    const env = { REAL: "from-process" };
    const { snap } = load(
      JSON.stringify({
        env: { FOO: "foo-from-config", REAL: "from-config", vars: { BAR: "bar-from-config" } },
        wizard: { a: "${FOO}", b: "${BAR}", c: "${REAL}" },
      }),
      env,
    );
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.deepEqual(snap.input.wizard, { a: "foo-from-config", b: "bar-from-config", c: "from-process" });
    // The caller's env object is not modified.
    assert.deepEqual(env, { REAL: "from-process" });
  });

  test("envRefs lists every referenced variable with its path", () => {
    const { snap } = load('{ gateway: { auth: { token: "${TOKEN}" } }, agents: { list: [{ id: "a", workspace: "${HOME_DIR}/ws" }] } }', {
      TOKEN: "t",
      HOME_DIR: "/h",
    });
    assert.deepEqual(
      [...snap.envRefs].sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: "HOME_DIR", path: "agents.list.0.workspace" },
        { name: "TOKEN", path: "gateway.auth.token" },
      ],
    );
  });
});

describe("readConfigInput: raw text and hash", () => {
  test("hash is the sha256 hex of the raw file when there are no includes", () => {
    const text = '// café ☕\n{ gateway: { port: 19001 }, wizard: { motto: "naïve 🦞" } }\n';
    const file = configFile(text);
    const snap = loadConfigSnapshot({ configPath: file, env: {} });
    assert.equal(snap.raw, text);
    assert.equal(snap.hash, sha256(fs.readFileSync(file)));
    assert.deepEqual(snap.files, [file]);
  });

  test("the raw option is used instead of the file on disk", () => {
    const file = configFile("{ gateway: { port: 1 } }");
    const raw = "{ gateway: { port: 2 } }";
    const input = readConfigInput({ configPath: file, env: {}, raw });
    assert.equal(input.raw, raw);
    assert.equal(input.hash, sha256(raw));
    assert.deepEqual(input.input, { gateway: { port: 2 } });
  });

  test("a non-object root is a schema issue", () => {
    const { snap } = load("[1, 2]");
    assert.equal(snap.valid, false);
    assert.equal(snap.issues[0]?.kind, "schema");
  });
});

describe("loadConfigSnapshot: tools.exec and tools.fs", () => {
  test("a mistyped exec security (global or per agent) is an issue at its file:line, not a silent full policy", () => {
    const { file, snap } = load('{\n  tools: {\n    exec: { security: "denny" },\n  },\n  agents: { list: [{ id: "main", tools: { exec: { mode: "yolo" }, fs: { workspaceOnly: "yes" } } }] },\n}\n');
    assert.equal(snap.valid, false);
    const sec = issueAt(snap.issues, "tools.exec.security");
    assert.equal(sec.line, 3);
    assert.match(formatIssue(sec), new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:`));
    issueAt(snap.issues, "agents.list[0].tools.exec.mode");
    issueAt(snap.issues, "agents.list[0].tools.fs.workspaceOnly");
    const ok = load('{ tools: { profile: "coding", alsoAllow: ["x"], exec: { mode: "ask", timeoutSeconds: 0, custom: 1 }, fs: { workspaceOnly: true } } }').snap;
    assert.deepEqual(ok.issues, []);
  });
});

describe("loadConfigSnapshot: OpenClaw 2026.9 keys we do not serve yet", () => {
  test("gateway.controlUi's newer keys (environment, embedSandbox, …) validate and are kept", () => {
    const { snap } = load(
      JSON.stringify({
        gateway: { mode: "local", controlUi: { enabled: true, environment: { label: "prod", color: "#f00" }, embedSandbox: "strict", allowExternalEmbedUrls: false, github: { token: "x" } } },
      }),
    );
    assert.deepEqual(snap.issues, []);
    assert.equal(snap.valid, true);
    const ui = (snap.config!.gateway as { controlUi?: Record<string, unknown> }).controlUi!;
    assert.deepEqual(ui.environment, { label: "prod", color: "#f00" });
    assert.equal(ui.embedSandbox, "strict");
  });
});
