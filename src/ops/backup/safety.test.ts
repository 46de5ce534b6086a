import assert from "node:assert/strict";
import { mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { tempDirFactory } from "../../../test/helpers/temp.js";
import { checkExtraction, externalRefusal, type MappedEntry } from "./safety.js";

const tempDir = tempDirFactory("safety");

/** Entries under a real temp state dir (the disk part of the simulation is the real disk). */
function inState(state: string, list: Array<[string, MappedEntry["type"], string?]>): MappedEntry[] {
  return list.map(([rel, type, linkname]) => ({ entry: `state/${rel}`, type, dest: path.join(state, rel), root: state, ...(linkname !== undefined ? { linkname } : {}) }));
}

describe("checkExtraction", () => {
  test("a chain of links that each look safe is followed to where it really leads", () => {
    const state = path.join(tempDir(), ".openclaw");
    const problems = checkExtraction(inState(state, [["x", "dir"], ["x/l1", "symlink", ".."], ["l2", "symlink", "x/l1/.."], ["l2/f", "file"]]));
    assert.ok(problems.some((p) => /^state\/l2: link to x\/l1\/\.\. escapes/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /^state\/l2\/f: written through the link state\/l2/.test(p)), problems.join("\n"));
    assert.ok(!problems.some((p) => p.startsWith("state/x/l1:")), "x/l1 → .. stays inside and is fine on its own");
  });

  test("a link whose meaning a later entry changes is judged on the finished tree", () => {
    const state = path.join(tempDir(), ".openclaw");
    // `a → b/c/../..` is `state` while b/c is missing; once b/c → .. exists it is the home.
    const problems = checkExtraction(inState(state, [["a", "symlink", "b/c/../.."], ["b", "dir"], ["b/c", "symlink", "../.."]]));
    assert.ok(problems.some((p) => /^state\/b\/c: link to \.\.\/\.\. escapes/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /^state\/a: link to b\/c\/\.\.\/\.\. escapes/.test(p)), problems.join("\n"));
  });

  test("links already on disk: inside the root they may be written through, outside they may not", () => {
    const home = tempDir();
    const state = path.join(home, ".openclaw");
    mkdirSync(path.join(state, "real"), { recursive: true });
    mkdirSync(path.join(home, "elsewhere"));
    symlinkSync("real", path.join(state, "inside"));
    symlinkSync(path.join(home, "elsewhere"), path.join(state, "outside"));
    assert.deepEqual(checkExtraction(inState(state, [["inside/a.txt", "file"], ["inside", "dir"]])), []);
    const problems = checkExtraction(inState(state, [["outside/a.txt", "file"], ["outside", "dir"]]));
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.ok(problems.every((p) => p.includes(`${path.join(state, "outside")} is a link on disk that leads outside`)), problems.join("\n"));
  });

  test("duplicates, a link over a directory the archive fills, a file over a directory on disk", () => {
    const state = path.join(tempDir(), ".openclaw");
    mkdirSync(path.join(state, "ondisk"), { recursive: true });
    const problems = checkExtraction(inState(state, [["d", "dir"], ["d/f", "file"], ["d", "symlink", "."], ["e/f", "file"], ["e", "symlink", "."], ["ondisk", "file"]]));
    assert.ok(problems.some((p) => p.startsWith("state/d: duplicate entry")), problems.join("\n"));
    assert.ok(problems.some((p) => p.startsWith("state/e: would replace the directory")), problems.join("\n"));
    assert.ok(problems.some((p) => p.startsWith("state/ondisk: would replace the directory")), problems.join("\n"));
  });

  test("a legitimate tree: relative links that stay inside, files next to them", () => {
    const state = path.join(tempDir(), ".openclaw");
    assert.deepEqual(checkExtraction(inState(state, [["a.txt", "file"], ["sub", "dir"], ["sub/b.txt", "file"], ["sub/up", "symlink", "../a.txt"], ["cur", "symlink", "."]])), []);
  });
});

describe("externalRefusal", () => {
  const home = "/home/bob";
  const stateDir = "/home/bob/.openclaw";
  const named = new Set(["/home/bob/work/ws", "/home/bob/.ssh", "/home/bob", "/etc", "/srv", "/data/ws", "/home/bob/.openclaw-dev/workspace", "/home/bob/.openclaw/ws"]);
  const cases: Array<[string, RegExp | undefined]> = [
    ["/home/bob/work/ws", undefined],
    ["/data/ws", undefined],
    ["/home/bob/.openclaw-dev/workspace", undefined],
    ["/home/bob", /home directory itself/],
    ["/home", /ancestor of the home/],
    ["/home/bob/.ssh", /dot-directory/],
    ["/home/bob/.config/x", /dot-directory/],
    ["/etc", /system directory/],
    ["/etc/cron.d", /system directory/],
    ["/srv", /system directory/],
    ["/home/bob/.openclaw/ws", /inside the state dir/],
    ["/home/bob/notes", /not named by the restored config/],
    ["relative/ws", /not an absolute path/],
  ];
  for (const [dir, want] of cases) {
    test(`${dir} → ${want ?? "allowed"}`, () => {
      const got = externalRefusal(dir, { home, stateDir, named });
      if (want) assert.match(got ?? "", want);
      else assert.equal(got, undefined);
    });
  }
  test("an ancestor of a custom state dir", () => {
    assert.match(externalRefusal("/home/bob/deploy", { home, stateDir: "/home/bob/deploy/state", named: new Set(["/home/bob/deploy"]) }) ?? "", /ancestor of the state dir/);
  });
});
