import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { editTool, readTool, writeTool } from "./fs-tools.js";
import { capToolOutput, TOOL_OUTPUT_MAX_BYTES } from "./output-cap.js";
import { createTestToolContext, type TestToolContext } from "./test-context.js";

const made: TestToolContext[] = [];
function ctx(config: Record<string, unknown> = {}): TestToolContext {
  const c = createTestToolContext({ config });
  made.push(c);
  return c;
}
after(() => {
  for (const c of made) fs.rmSync(c.root, { recursive: true, force: true });
});
const ONLY = { tools: { fs: { workspaceOnly: true } } };

describe("read / write / edit", () => {
  test("write creates parents, read returns the text, relative to the workspace", async () => {
    const c = ctx();
    const w = await writeTool.run({ path: "notes/a.txt", content: "one\ntwo\nthree\n" }, c);
    assert.equal(w.isError, undefined, w.content);
    assert.equal(fs.readFileSync(path.join(c.workspace, "notes/a.txt"), "utf8"), "one\ntwo\nthree\n");
    const r = await readTool.run({ path: "notes/a.txt" }, c);
    assert.equal(r.content, "one\ntwo\nthree\n");
    const slice = await readTool.run({ path: "notes/a.txt", offset: 2, limit: 1 }, c);
    assert.match(slice.content, /^two\n/);
    assert.match(slice.content, /use offset=3 to continue/);
  });

  test("read of a missing file, a directory, or without a path is a tool error", async () => {
    const c = ctx();
    assert.match((await readTool.run({ path: "nope.txt" }, c)).content, /File not found: nope\.txt/);
    assert.equal((await readTool.run({ path: "." }, c)).isError, true);
    assert.match((await readTool.run({}, c)).content, /path is required/);
  });

  test("read output is capped with a [truncated …] marker", async () => {
    const c = ctx();
    fs.writeFileSync(path.join(c.workspace, "big.txt"), "x".repeat(TOOL_OUTPUT_MAX_BYTES * 2));
    const r = await readTool.run({ path: "big.txt" }, c);
    assert.ok(Buffer.byteLength(r.content) < TOOL_OUTPUT_MAX_BYTES + 200);
    assert.match(r.content, /\[truncated: 65536 more bytes/);
    const lines = capToolOutput(Array.from({ length: 5000 }, (_, i) => `l${i}`).join("\n"));
    assert.equal(lines.truncated, true);
    assert.match(lines.text, /\[truncated: .* 3000 more lines/);
    assert.equal(capToolOutput("short").truncated, false);
    // A multi-byte character is never cut in half.
    const emoji = capToolOutput("é".repeat(10), { maxBytes: 5 });
    assert.ok(emoji.text.startsWith("éé\n[truncated"));
  });

  test("edit replaces exact unique text; not found and ambiguous fail clearly and change nothing", async () => {
    const c = ctx();
    const file = path.join(c.workspace, "a.ts");
    fs.writeFileSync(file, "const a = 1;\nconst b = 1;\n");
    const ok = await editTool.run({ path: "a.ts", edits: [{ oldText: "a = 1", newText: "a = 2" }] }, c);
    assert.equal(ok.isError, undefined, ok.content);
    assert.equal(fs.readFileSync(file, "utf8"), "const a = 2;\nconst b = 1;\n");
    const missing = await editTool.run({ path: "a.ts", oldText: "zzz", newText: "y" }, c);
    assert.equal(missing.isError, true);
    assert.match(missing.content, /Could not find the text in a\.ts/);
    const ambiguous = await editTool.run({ path: "a.ts", edits: [{ oldText: " = ", newText: "=" }] }, c);
    assert.match(ambiguous.content, /Found 2 occurrences/);
    const partial = await editTool.run({ path: "a.ts", edits: [{ oldText: "b = 1", newText: "b = 3" }, { oldText: "nope", newText: "" }] }, c);
    assert.match(partial.content, /edits\[1\]\.oldText/);
    const overlap = await editTool.run({ path: "a.ts", edits: [{ oldText: "const a", newText: "let a" }, { oldText: "a = 2", newText: "a = 3" }] }, c);
    assert.match(overlap.content, /overlap/);
    assert.equal(fs.readFileSync(file, "utf8"), "const a = 2;\nconst b = 1;\n");
    const two = await editTool.run({ path: "a.ts", edits: [{ oldText: "a = 2", newText: "a = 5" }, { oldText: "b = 1", newText: "b = 6" }] }, c);
    assert.match(two.content, /replaced 2 blocks/);
    assert.equal(fs.readFileSync(file, "utf8"), "const a = 5;\nconst b = 6;\n");
    assert.match((await editTool.run({ path: "a.ts", edits: [{ oldText: "", newText: "x" }] }, c)).content, /must not be empty/);
  });
});

describe("tools.fs.workspaceOnly", () => {
  test("off by default: absolute paths outside the workspace are readable", async () => {
    const c = ctx();
    fs.writeFileSync(path.join(c.root, "outside.txt"), "secret-ish");
    assert.equal((await readTool.run({ path: path.join(c.root, "outside.txt") }, c)).content, "secret-ish");
  });

  test("on: ../ and absolute escapes are refused for read, write and edit", async () => {
    const c = ctx(ONLY);
    fs.writeFileSync(path.join(c.root, "outside.txt"), "x");
    for (const p of ["../outside.txt", path.join(c.root, "outside.txt")]) {
      const r = await readTool.run({ path: p }, c);
      assert.equal(r.isError, true);
      assert.match(r.content, /outside the workspace/);
    }
    assert.match((await writeTool.run({ path: "../new.txt", content: "x" }, c)).content, /outside the workspace/);
    assert.equal(fs.existsSync(path.join(c.root, "new.txt")), false);
    assert.match((await editTool.run({ path: "../outside.txt", oldText: "x", newText: "y" }, c)).content, /outside the workspace/);
    assert.equal(fs.readFileSync(path.join(c.root, "outside.txt"), "utf8"), "x");
    assert.equal((await writeTool.run({ path: "inside/ok.txt", content: "fine" }, c)).isError, undefined);
  });

  test("on: symlink escapes (file, directory, dangling link) are refused", async () => {
    const c = ctx(ONLY);
    const outDir = path.join(c.root, "out");
    fs.mkdirSync(outDir);
    fs.writeFileSync(path.join(outDir, "f.txt"), "outside");
    fs.symlinkSync(path.join(outDir, "f.txt"), path.join(c.workspace, "link.txt"));
    fs.symlinkSync(outDir, path.join(c.workspace, "dirlink"));
    fs.symlinkSync(path.join(outDir, "created-by-link.txt"), path.join(c.workspace, "dangling.txt"));
    assert.match((await readTool.run({ path: "link.txt" }, c)).content, /outside the workspace .*resolves to/);
    assert.match((await readTool.run({ path: "dirlink/f.txt" }, c)).content, /outside the workspace/);
    assert.match((await writeTool.run({ path: "dirlink/new.txt", content: "x" }, c)).content, /outside the workspace/);
    assert.match((await writeTool.run({ path: "dangling.txt", content: "x" }, c)).content, /outside the workspace/);
    assert.deepEqual(fs.readdirSync(outDir), ["f.txt"]);
    // A link that stays inside the workspace is fine.
    fs.writeFileSync(path.join(c.workspace, "real.txt"), "inside");
    fs.symlinkSync(path.join(c.workspace, "real.txt"), path.join(c.workspace, "ok-link.txt"));
    assert.equal((await readTool.run({ path: "ok-link.txt" }, c)).content, "inside");
  });

  test("a per-agent tools.fs.workspaceOnly overrides the global one", async () => {
    const c = ctx({ tools: { fs: { workspaceOnly: true } }, agents: { list: [{ id: "main", tools: { fs: { workspaceOnly: false } } }] } });
    fs.writeFileSync(path.join(c.root, "outside.txt"), "x");
    assert.equal((await readTool.run({ path: "../outside.txt" }, c)).content, "x");
  });
});
