import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { localDay, RollingFileSink, resolveLogFiles } from "./file-sink.js";

const DAY_MS = 86_400_000;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-file-sink-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
function freshDir(): string {
  counter++;
  return path.join(root, `case-${counter}`);
}

/** A settable clock starting at local noon of the real current day (so file mtimes written now are "today"). */
function clock(): { now: () => Date; advanceDays(n: number): void; current(): Date } {
  const t = new Date();
  t.setHours(12, 0, 0, 0);
  return {
    now: () => new Date(t.getTime()),
    advanceDays: (n) => t.setDate(t.getDate() + n),
    current: () => new Date(t.getTime()),
  };
}

function read(file: string): string {
  return fs.readFileSync(file, "utf8");
}

function linesOf(file: string): string[] {
  return read(file).split("\n").filter(Boolean);
}

/** Writes `content` to `file` and sets its mtime. */
function writeAged(file: string, content: string, mtime: Date): void {
  fs.writeFileSync(file, content);
  fs.utimesSync(file, mtime, mtime);
}

describe("localDay", () => {
  test("formats the local calendar day", () => {
    assert.equal(localDay(new Date(2026, 0, 5, 23, 59)), "2026-01-05");
    assert.equal(localDay(new Date(2026, 10, 21, 0, 0)), "2026-11-21");
  });
});

describe("resolveLogFiles", () => {
  test("a plain file name keeps its name; archives insert the date before the extension", () => {
    const files = resolveLogFiles("/x/openclaw.log");
    assert.equal(files.current, "/x/openclaw.log");
    assert.equal(files.archive("2026-11-21", 0), "/x/openclaw-2026-11-21.log");
    assert.equal(files.archive("2026-11-21", 1), "/x/openclaw-2026-11-21.1.log");
    assert.equal(files.archive("2026-11-21", 2), "/x/openclaw-2026-11-21.2.log");
    for (const name of ["openclaw-2026-11-21.log", "openclaw-2026-11-21.1.log", "openclaw-2026-11-21.12.log"]) {
      assert.ok(files.archivePattern.test(name), name);
    }
    for (const name of ["openclaw.log", "openclaw-2026-11-21.log.bak", "other-2026-11-21.log", "openclawX2026-11-21.log", "openclaw-2026-11-21.x.log"]) {
      assert.ok(!files.archivePattern.test(name), name);
    }
  });

  test("a {date} template gets a stable current name without the date", () => {
    const files = resolveLogFiles("/x/openclaw-{date}.log");
    assert.equal(files.current, "/x/openclaw.log");
    assert.equal(files.archive("2026-02-26", 0), "/x/openclaw-2026-02-26.log");
    assert.equal(files.archive("2026-02-26", 3), "/x/openclaw-2026-02-26.3.log");
    assert.ok(files.archivePattern.test("openclaw-2026-02-26.log"));
    assert.ok(!files.archivePattern.test("openclaw.log"));
  });

  test("regex metacharacters in the name are escaped", () => {
    const files = resolveLogFiles("/x/app+(1).log");
    assert.equal(files.current, "/x/app+(1).log");
    assert.ok(files.archivePattern.test("app+(1)-2026-11-21.log"));
    assert.ok(!files.archivePattern.test("appp(1)-2026-11-21.log"));
  });
});

describe("RollingFileSink", () => {
  test("creates a 0700 directory and a 0600 file and appends lines", () => {
    const dir = path.join(freshDir(), "nested", "logs");
    const sink = new RollingFileSink({ file: path.join(dir, "openclaw.log"), maxFileBytes: 1_000_000 });
    assert.equal(sink.currentPath, path.join(dir, "openclaw.log"));
    assert.equal(fs.existsSync(dir), false, "nothing is created before the first write");
    sink.write('{"1":"first"}');
    sink.write('{"1":"second"}');
    sink.close();
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(sink.currentPath).mode & 0o777, 0o600);
    assert.equal(read(sink.currentPath), '{"1":"first"}\n{"1":"second"}\n');
  });

  test("an existing world-readable current file is tightened to 0600 and appended to", () => {
    const dir = freshDir();
    fs.mkdirSync(dir);
    const file = path.join(dir, "openclaw.log");
    fs.writeFileSync(file, "old\n", { mode: 0o644 });
    const sink = new RollingFileSink({ file, maxFileBytes: 1_000_000 });
    sink.write("new");
    sink.close();
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(read(file), "old\nnew\n");
  });

  test("close() then write() reopens and appends", () => {
    const file = path.join(freshDir(), "openclaw.log");
    const sink = new RollingFileSink({ file, maxFileBytes: 1_000_000 });
    sink.write("a");
    sink.close();
    sink.write("b");
    sink.close();
    assert.equal(read(file), "a\nb\n");
  });

  test("rotates on a day change: day 1 goes to the dated archive, day 2 to the stable current file", () => {
    const dir = freshDir();
    const c = clock();
    const day1 = localDay(c.current());
    const sink = new RollingFileSink({ file: path.join(dir, "openclaw.log"), maxFileBytes: 1_000_000, now: c.now });
    sink.write("day1-a");
    sink.write("day1-b");
    c.advanceDays(1);
    const day2 = localDay(c.current());
    assert.notEqual(day1, day2);
    sink.write("day2-a");
    sink.close();
    assert.equal(read(path.join(dir, `openclaw-${day1}.log`)), "day1-a\nday1-b\n");
    assert.equal(read(path.join(dir, "openclaw.log")), "day2-a\n");
    assert.deepEqual(fs.readdirSync(dir).sort(), [`openclaw-${day1}.log`, "openclaw.log"]);
    assert.equal(fs.existsSync(path.join(dir, `openclaw-${day2}.log`)), false);
  });

  test("with a {date} template the archive uses the template and the current file drops the date", () => {
    const dir = freshDir();
    const c = clock();
    const day1 = localDay(c.current());
    const sink = new RollingFileSink({ file: path.join(dir, "openclaw-{date}.log"), maxFileBytes: 1_000_000, now: c.now });
    assert.equal(sink.currentPath, path.join(dir, "openclaw.log"));
    sink.write("one");
    c.advanceDays(1);
    sink.write("two");
    sink.close();
    assert.equal(read(path.join(dir, `openclaw-${day1}.log`)), "one\n");
    assert.equal(read(path.join(dir, "openclaw.log")), "two\n");
  });

  test("a current file left by a previous day is archived under that day on the first write", () => {
    const dir = freshDir();
    fs.mkdirSync(dir);
    const c = clock();
    const yesterday = new Date(c.current().getTime() - DAY_MS);
    const file = path.join(dir, "openclaw.log");
    writeAged(file, "from yesterday\n", yesterday);
    const sink = new RollingFileSink({ file, maxFileBytes: 1_000_000, now: c.now });
    sink.write("today");
    sink.close();
    assert.equal(read(path.join(dir, `openclaw-${localDay(yesterday)}.log`)), "from yesterday\n");
    assert.equal(read(file), "today\n");
  });

  test("size rotation produces numbered archives within one day", () => {
    const dir = freshDir();
    const c = clock();
    const day = localDay(c.current());
    const line = (n: number) => `line-${n}-${"x".repeat(31)}`; // 39 chars + newline = 40 bytes
    const sink = new RollingFileSink({ file: path.join(dir, "openclaw.log"), maxFileBytes: 100, now: c.now });
    for (let n = 1; n <= 7; n++) sink.write(line(n));
    sink.close();
    assert.deepEqual(fs.readdirSync(dir).sort(), [`openclaw-${day}.1.log`, `openclaw-${day}.2.log`, `openclaw-${day}.log`, "openclaw.log"]);
    assert.deepEqual(linesOf(path.join(dir, `openclaw-${day}.log`)), [line(1), line(2)]);
    assert.deepEqual(linesOf(path.join(dir, `openclaw-${day}.1.log`)), [line(3), line(4)]);
    assert.deepEqual(linesOf(path.join(dir, `openclaw-${day}.2.log`)), [line(5), line(6)]);
    assert.deepEqual(linesOf(path.join(dir, "openclaw.log")), [line(7)]);
    for (const name of fs.readdirSync(dir)) assert.ok(fs.statSync(path.join(dir, name)).size <= 100, name);
  });

  test("a single line longer than maxFileBytes is still written whole", () => {
    const file = path.join(freshDir(), "openclaw.log");
    const sink = new RollingFileSink({ file, maxFileBytes: 10 });
    sink.write("x".repeat(50));
    sink.close();
    assert.equal(read(file), `${"x".repeat(50)}\n`);
  });

  test("prunes archives older than retentionDays, leaving other files alone", () => {
    const dir = freshDir();
    fs.mkdirSync(dir);
    const c = clock();
    const now = c.current().getTime();
    const old = path.join(dir, "openclaw-2000-01-01.log");
    const oldNumbered = path.join(dir, "openclaw-2000-01-01.1.log");
    const recent = path.join(dir, "openclaw-2000-01-02.log");
    const unrelated = path.join(dir, "notes-2000-01-01.log");
    writeAged(old, "old\n", new Date(now - 10 * DAY_MS));
    writeAged(oldNumbered, "old1\n", new Date(now - 8 * DAY_MS));
    writeAged(recent, "recent\n", new Date(now - 2 * DAY_MS));
    writeAged(unrelated, "keep\n", new Date(now - 100 * DAY_MS));
    const sink = new RollingFileSink({ file: path.join(dir, "openclaw.log"), maxFileBytes: 1_000_000, retentionDays: 7, now: c.now });
    sink.write("hello");
    sink.close();
    assert.deepEqual(fs.readdirSync(dir).sort(), ["notes-2000-01-01.log", "openclaw-2000-01-02.log", "openclaw.log"]);
    // Advancing the clock past the retention of the remaining archive and pruning again removes it.
    c.advanceDays(6);
    sink.prune();
    assert.deepEqual(fs.readdirSync(dir).sort(), ["notes-2000-01-01.log", "openclaw.log"]);
  });

  test("prunes the oldest archives beyond maxTotalBytes", () => {
    const dir = freshDir();
    fs.mkdirSync(dir);
    const c = clock();
    const now = c.current().getTime();
    const body = `${"y".repeat(99)}\n`; // 100 bytes
    // Names deliberately do not sort in age order: mtime decides.
    writeAged(path.join(dir, "openclaw-2000-01-03.log"), body, new Date(now - 3 * 3_600_000)); // oldest
    writeAged(path.join(dir, "openclaw-2000-01-01.log"), body, new Date(now - 2 * 3_600_000));
    writeAged(path.join(dir, "openclaw-2000-01-02.log"), body, new Date(now - 1 * 3_600_000)); // newest
    const sink = new RollingFileSink({ file: path.join(dir, "openclaw.log"), maxFileBytes: 1_000_000, maxTotalBytes: 250, retentionDays: 30, now: c.now });
    sink.write("hello");
    sink.close();
    assert.deepEqual(fs.readdirSync(dir).sort(), ["openclaw-2000-01-01.log", "openclaw-2000-01-02.log", "openclaw.log"]);
    // The current file does not count against the archive cap and is never pruned.
    assert.equal(read(path.join(dir, "openclaw.log")), "hello\n");
  });

  test("the archive cap defaults to 5 × maxFileBytes", () => {
    const dir = freshDir();
    const c = clock();
    const sink = new RollingFileSink({ file: path.join(dir, "openclaw.log"), maxFileBytes: 20, now: c.now });
    // Each 19-char line fills a file; every write after the first rotates.
    for (let n = 0; n < 12; n++) sink.write(`${String(n).padStart(2, "0")}${"z".repeat(17)}`);
    sink.close();
    const archives = fs.readdirSync(dir).filter((name) => name !== "openclaw.log");
    const total = archives.reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
    assert.ok(total <= 100, `archives total ${total} bytes`);
    assert.ok(archives.length >= 1 && archives.length <= 5, archives.join(","));
    assert.ok(linesOf(path.join(dir, "openclaw.log"))[0]!.startsWith("11"));
  });

  test("a sink whose directory cannot be created disables itself and reports once", () => {
    const base = freshDir();
    fs.mkdirSync(base);
    const blocker = path.join(base, "not-a-dir");
    fs.writeFileSync(blocker, "regular file");
    const sink = new RollingFileSink({ file: path.join(blocker, "logs", "openclaw.log"), maxFileBytes: 1_000_000 });
    const errors: unknown[] = [];
    assert.doesNotThrow(() => {
      sink.write("one", (e) => errors.push(e));
      sink.write("two", (e) => errors.push(e));
      sink.write("three");
    });
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof Error);
    assert.match((errors[0] as NodeJS.ErrnoException).code ?? "", /ENOTDIR|EEXIST/);
    assert.equal(read(blocker), "regular file");
    assert.doesNotThrow(() => sink.close());
  });

  test("a current file removed by the user does not disable the sink at the next rotation", () => {
    const dir = freshDir();
    const c = clock();
    const file = path.join(dir, "openclaw.log");
    const sink = new RollingFileSink({ file, maxFileBytes: 1_000_000, now: c.now });
    const errors: unknown[] = [];
    sink.write("before", (e) => errors.push(e));
    fs.unlinkSync(file);
    c.advanceDays(1);
    sink.write("after", (e) => errors.push(e));
    sink.close();
    assert.deepEqual(errors, []);
    assert.equal(fs.existsSync(file) ? read(file) : "<missing>", "after\n");
  });
});
