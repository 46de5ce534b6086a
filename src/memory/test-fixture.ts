/** Test fixture: a temp workspace with memory files and settings for it (keyword-only unless told). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type MemorySettings, resolveMemorySettings } from "./settings.js";

export interface MemoryFixture {
  dir: string;
  workspace: string;
  settings(block?: Record<string, unknown>, env?: Record<string, string>): MemorySettings;
  write(rel: string, text: string): string;
}

export function memoryFixture(t: { after(fn: () => void): void }): MemoryFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-memory-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const workspace = path.join(dir, "workspace");
  fs.mkdirSync(path.join(workspace, "memory"), { recursive: true });
  return {
    dir,
    workspace,
    settings: (block = {}, env = {}) =>
      resolveMemorySettings({ config: { memory: { search: block } } as never, agent: { id: "main", workspace }, memoryDir: path.join(dir, "state", "memory"), env }),
    write: (rel, text) => {
      const abs = path.join(workspace, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
      return abs;
    },
  };
}

/** `n` deterministic notes under memory/notes/, a few paragraphs each. */
export function writeNotes(f: MemoryFixture, n: number, words = 120): void {
  const vocab = ["river", "budget", "meeting", "garden", "invoice", "travel", "server", "recipe", "family", "report", "launch", "coffee"];
  for (let i = 0; i < n; i++) {
    const body = Array.from({ length: words }, (_, k) => vocab[(i * 7 + k * 3) % vocab.length]).join(" ");
    f.write(`memory/notes/n${String(i).padStart(4, "0")}.md`, `# Note ${i}\n\n${body}\n\n${body}\n`);
  }
}
