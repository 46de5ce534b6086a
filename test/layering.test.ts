/**
 * The house's layering rules (test/helpers/layering.ts) hold on src/, and the checker fails on a
 * planted file cycle, a planted `client → infra` import and a planted `node:` import in the client core.
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { EVENTS, METHOD_NAMES } from "../src/protocol/index.js";
import { checkLayering, checkUiImports, collectEdges } from "./helpers/layering.js";

const SRC = path.resolve(import.meta.dirname, "../src");
const UI = path.resolve(import.meta.dirname, "../ui");

describe("layering of src/", () => {
  const report = checkLayering(SRC);
  for (const [rule, violations] of Object.entries(report)) {
    test(`rule ${rule} holds`, () => assert.deepEqual(violations, []));
  }

  test("the checker sees real edges, lazy ones and node: ones", () => {
    const all = collectEdges(SRC);
    assert.ok(all.some((e) => e.from.includes(`${path.sep}cli${path.sep}`) && e.to.includes(`${path.sep}config${path.sep}`)));
    assert.ok(all.some((e) => e.dynamic));
    assert.ok(all.some((e) => e.to.startsWith("node:")));
  });
});

describe("planted violations make it fail", () => {
  function plant(t: { after(fn: () => void): void }, files: Record<string, string>): Record<string, string[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-layering-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(SRC, dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
    return checkLayering(dir);
  }

  test("a file-level cycle", (t) => {
    const r = plant(t, {
      "gateway/planted-a.ts": 'import { b } from "./planted-b.js";\nexport const a = () => b;\n',
      "gateway/planted-b.ts": 'import { a } from "./planted-a.js";\nexport const b = () => a;\n',
    });
    assert.ok(r.fileCycles!.some((c) => c.includes("planted-a.ts") && c.includes("planted-b.ts")), JSON.stringify(r.fileCycles));
  });

  test("client → infra", (t) => {
    const r = plant(t, { "client/planted.ts": 'import { resolvePaths } from "../infra/index.js";\nexport const p = resolvePaths;\n' });
    assert.deepEqual(r.clientToInfra, ["client/planted.ts -> ../infra/index.js"]);
  });

  test("node: in the client core, and the core importing beyond protocol and shared", (t) => {
    const r = plant(t, { "client/core/planted.ts": 'import { createHash } from "node:crypto";\nimport { loadConfigRuntime } from "../../config/index.js";\nexport const x = [createHash, loadConfigRuntime];\n' });
    assert.deepEqual(r.clientCore, ["client/core/planted.ts -> node:crypto", "client/core/planted.ts -> ../../config/index.js"]);
    assert.deepEqual(r.browserNode, ["client/core/planted.ts -> node:crypto"]);
  });

  test("protocol importing beyond shared", (t) => {
    const r = plant(t, { "protocol/planted.ts": 'import { resolvePaths } from "../infra/index.js";\nexport const p = resolvePaths;\n' });
    assert.ok(r.protocolImports!.includes("protocol/planted.ts -> ../infra/index.js"));
  });
});

describe("the Control UI (ui/) imports only the browser-safe faces of src/", () => {
  test("ui/ holds to it", () => assert.deepEqual(checkUiImports(UI, SRC), []));

  test("every method the UI calls and event it listens for is in the protocol's tables (none invented)", () => {
    const dir = path.join(UI, "src");
    const text = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(path.join(dir, f), "utf8"))
      .join("\n");
    const methods = [...text.matchAll(/\.call\(\s*"([^"]+)"/g)].map((m) => m[1]!);
    const events = [...text.matchAll(/onEvents\([^,]+,\s*\[([^\]]*)\]/g)].flatMap((m) => [...m[1]!.matchAll(/"([^"]+)"/g)].map((e) => e[1]!));
    assert.ok(methods.length >= 8 && events.length >= 3, `found the UI's calls and subscriptions: ${methods} / ${events}`);
    assert.deepEqual(methods.filter((m) => !(METHOD_NAMES as readonly string[]).includes(m)), []);
    assert.deepEqual(events.filter((e) => !(EVENTS as readonly string[]).includes(e)), []);
  });

  test("planted node:, config and a core file past its index.ts make it fail; protocol's index passes", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "openclaw-ui-layering-"));
    try {
      cpSync(UI, path.join(root, "ui"), { recursive: true });
      writeFileSync(
        path.join(root, "ui", "src", "planted.ts"),
        'import { readFileSync } from "node:fs";\nimport { loadConfigRuntime } from "../../src/config/index.js";\nimport { ProtocolClient } from "../../src/client/core/protocol-client.js";\nimport { ALL_OPERATOR_SCOPES } from "../../src/protocol/index.js";\nimport { z } from "zod";\nexport const x = [readFileSync, loadConfigRuntime, ProtocolClient, ALL_OPERATOR_SCOPES, z];\n',
      );
      assert.deepEqual(checkUiImports(path.join(root, "ui"), path.join(root, "src")), [
        "src/planted.ts -> node:fs",
        "src/planted.ts -> ../../src/config/index.js",
        "src/planted.ts -> ../../src/client/core/protocol-client.js",
        "src/planted.ts -> zod",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
