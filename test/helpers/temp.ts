/** Temp directories for tests: one root per test file, removed after the file's tests. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after } from "node:test";

/** Returns a function that makes a fresh empty directory under one temp root (never the real home). */
export function tempDirFactory(prefix: string): (name?: string) => string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `openclaw-${prefix}-`));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  let counter = 0;
  return (name = "home") => {
    counter++;
    const dir = path.join(root, `${name}-${counter}`);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };
}
