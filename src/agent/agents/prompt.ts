/**
 * The system prompt's workspace part: the bootstrap files injected in a fixed order, each within
 * `bootstrapMaxChars` and all within `bootstrapTotalMaxChars` (docs/concepts/system-prompt.md).
 * A cut file keeps its head and tail with a marker between; when anything is cut, one notice tells
 * the model to read the files directly. Files on disk are never changed.
 */
import { lstatSync } from "node:fs";
import path from "node:path";
import type { ResolvedAgent } from "./resolve.js";
import { readWorkspaceText } from "./workspace.js";

/** Injected in this order; required ones get a missing-file marker, optional ones are left out. */
const PROMPT_FILES: ReadonlyArray<{ name: string; required: boolean }> = [
  { name: "AGENTS.md", required: true },
  { name: "SOUL.md", required: true },
  { name: "TOOLS.md", required: true },
  { name: "IDENTITY.md", required: true },
  { name: "USER.md", required: false },
  { name: "MEMORY.md", required: false },
];

/** Shown once when any file was cut or left out for the budget. */
export const TRUNCATION_NOTICE =
  "Note: some workspace files were shortened to fit the prompt budget. Read them from the workspace directly when you need their full text.";

/** How one file entered the prompt. */
export interface PromptFileReport {
  name: string;
  missing: boolean;
  rawChars: number;
  injectedChars: number;
  truncated: boolean;
}

export interface SystemPrompt {
  text: string;
  files: PromptFileReport[];
  truncated: boolean;
  totalInjectedChars: number;
}

/** Keeps head (about 70%) and tail (the rest) of `text` within `max` characters, marker included. */
export function truncateMiddle(text: string, max: number, name: string): string {
  if (text.length <= max) return text;
  const marker = `\n[… ${name} truncated: ${text.length - max} of ${text.length} characters omitted …]\n`;
  const room = Math.max(0, max - marker.length);
  if (room === 0) return marker.slice(0, max);
  const head = Math.ceil(room * 0.7);
  const tail = room - head;
  return text.slice(0, head) + marker + (tail > 0 ? text.slice(text.length - tail) : "");
}

/** Like `truncateMiddle` for a file read only at both ends: `rawChars` is an estimate from its size. */
function truncateHeadTail(head: string, tail: string, max: number, name: string, rawChars: number): string {
  const marker = `\n[… ${name} truncated: about ${Math.max(0, rawChars - max)} of ${rawChars} characters omitted …]\n`;
  const room = max - marker.length;
  if (room <= 0) return marker.slice(0, Math.max(0, max));
  const headPart = head.slice(0, Math.ceil(room * 0.7));
  const tailRoom = room - headPart.length;
  return headPart + marker + (tailRoom > 0 ? tail.slice(Math.max(0, tail.length - tailRoom)) : "");
}

/**
 * Assembles the workspace context for an agent's system prompt. Reads at most a bounded prefix of
 * each file (a huge MEMORY.md costs no more than its budget), so the result never exceeds
 * `bootstrapTotalMaxChars` plus headers and the notice.
 */
export function buildSystemPrompt(agent: Pick<ResolvedAgent, "id" | "workspace" | "bootstrapMaxChars" | "bootstrapTotalMaxChars">): SystemPrompt {
  // A turn rebuilds the prompt only when a workspace file changed (inode, size or mtime).
  const key = `${agent.id}\0${agent.workspace}\0${agent.bootstrapMaxChars}\0${agent.bootstrapTotalMaxChars}`;
  const signature = PROMPT_FILES.map(({ name }) => {
    try {
      const st = lstatSync(path.join(agent.workspace, name));
      return `${st.ino}:${st.size}:${st.mtimeMs}:${st.isSymbolicLink() ? "l" : ""}`;
    } catch {
      return "-";
    }
  }).join("|");
  const hit = promptCache.get(key);
  if (hit && hit.signature === signature) return hit.prompt;
  const prompt = assemblePrompt(agent);
  promptCache.set(key, { signature, prompt });
  if (promptCache.size > 64) promptCache.delete(promptCache.keys().next().value as string);
  return prompt;
}

const promptCache = new Map<string, { signature: string; prompt: SystemPrompt }>();

function assemblePrompt(agent: Pick<ResolvedAgent, "id" | "workspace" | "bootstrapMaxChars" | "bootstrapTotalMaxChars">): SystemPrompt {
  const files: PromptFileReport[] = [];
  const sections: string[] = [];
  let remaining = agent.bootstrapTotalMaxChars;
  let truncated = false;
  let total = 0;
  for (const { name, required } of PROMPT_FILES) {
    // Enough bytes for any UTF-8 text of bootstrapMaxChars characters, plus one to detect a cut.
    const read = readWorkspaceText(path.join(agent.workspace, name), agent.bootstrapMaxChars * 4 + 4, { tailBytes: agent.bootstrapMaxChars * 4 });
    if (!read) {
      if (required) {
        const marker = `[missing file: ${name}]`;
        sections.push(`## ${name}\n${marker}`);
        files.push({ name, missing: true, rawChars: 0, injectedChars: 0, truncated: false });
      }
      continue;
    }
    const raw = read.text;
    const rawChars = read.cut ? Math.max(raw.length + 1, read.size) : raw.length;
    const limit = Math.max(0, Math.min(agent.bootstrapMaxChars, remaining));
    const cut = read.cut || raw.length > limit;
    // A file read only in part keeps its head; a whole one keeps head and tail.
    const injected = !cut ? raw : read.cut ? truncateHeadTail(raw, read.tail ?? "", limit, name, rawChars) : truncateMiddle(raw, limit, name);
    if (cut) truncated = true;
    remaining -= injected.length;
    total += injected.length;
    files.push({ name, missing: false, rawChars, injectedChars: injected.length, truncated: cut });
    if (injected.length > 0) sections.push(`## ${name}\n${injected}`);
  }
  const header = `# Workspace context (agent ${agent.id})\nWorkspace: ${agent.workspace}`;
  const text = [header, ...sections, ...(truncated ? [TRUNCATION_NOTICE] : [])].join("\n\n");
  return { text, files, truncated, totalInjectedChars: total };
}
