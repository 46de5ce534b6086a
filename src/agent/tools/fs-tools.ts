/**
 * The file tools: `read`, `write` and `edit` (exact old→new replacement). Paths resolve against the
 * workspace (see fs-paths.ts); every failure is a tool error result the model can act on, never a
 * thrown error that would fail the turn.
 */
import fs from "node:fs";
import path from "node:path";
import { resolveToolPath } from "./fs-paths.js";
import { capToolOutput } from "./output-cap.js";
import type { AgentTool, ToolContext, ToolResult } from "./types.js";

/** A file bigger than this is read only up to here (the cap would cut it anyway). */
const READ_MAX_BYTES = 8 * 1024 * 1024;

/** A tool error result. */
export function toolError(message: string, details?: Record<string, unknown>): ToolResult {
  return { content: message, isError: true, ...(details ? { details } : {}) };
}

/** Runs a tool body; anything thrown becomes an error result naming the tool. */
export async function guarded(name: string, body: () => Promise<ToolResult> | ToolResult): Promise<ToolResult> {
  try {
    return await body();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const text = e.code ? `${name}: ${e.code}: ${e.message}` : `${name}: ${e.message ?? String(error)}`;
    return toolError(text);
  }
}

function args(input: unknown): Record<string, unknown> {
  return input && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}

function statRegular(file: string, display: string): fs.Stats | ToolResult {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return toolError(`File not found: ${display}`);
    throw error;
  }
  if (st.isDirectory()) return toolError(`${display} is a directory, not a file`);
  if (!st.isFile()) return toolError(`${display} is not a regular file`);
  return st;
}

function readText(file: string, size: number): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const buf = Buffer.alloc(Math.min(size, READ_MAX_BYTES));
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}

/** `read`: a file's text, optionally a window of lines (`offset` is 1-based, `limit` lines). */
export const readTool: AgentTool = {
  name: "read",
  description:
    "Read the contents of a file. Relative paths resolve against the workspace. Use offset (1-based line number) and limit (number of lines) to read a slice of a large file. Output is truncated to 2000 lines or 64 KiB.",
  inputSchema: {
    type: "object",
    properties: {
      path: { type: "string", description: "Path to the file to read (relative to the workspace or absolute)" },
      offset: { type: "number", description: "Line number to start reading from (1-based)" },
      limit: { type: "number", description: "Maximum number of lines to read" },
    },
    required: ["path"],
  },
  run: (input, ctx) =>
    guarded("read", () => {
      const a = args(input);
      const file = resolveToolPath(a.path, ctx);
      const st = statRegular(file, String(a.path));
      if (!(st instanceof fs.Stats)) return st;
      let text = readText(file, st.size);
      const offset = typeof a.offset === "number" && a.offset > 1 ? Math.floor(a.offset) : 1;
      const limit = typeof a.limit === "number" && a.limit > 0 ? Math.floor(a.limit) : undefined;
      if (offset > 1 || limit !== undefined) {
        const lines = text.split("\n");
        if (offset > lines.length) return toolError(`offset ${offset} is beyond the end of ${String(a.path)} (${lines.length} lines)`);
        const slice = lines.slice(offset - 1, limit === undefined ? undefined : offset - 1 + limit);
        text = slice.join("\n");
        const rest = lines.length - (offset - 1) - slice.length;
        if (rest > 0) text += `\n\n[${rest} more lines; use offset=${offset + slice.length} to continue]`;
      }
      const capped = capToolOutput(text);
      return { content: capped.text, details: { path: file, bytes: st.size, truncated: capped.truncated || st.size > READ_MAX_BYTES } };
    }),
};

/** `write`: creates or overwrites a file (parent directories are created). */
export const writeTool: AgentTool = {
  name: "write",
  description: "Write content to a file, creating it (and its parent directories) if needed and overwriting it if it exists. Relative paths resolve against the workspace.",
  inputSchema: {
    type: "object",
    properties: {
      path: { type: "string", description: "Path to the file to write (relative to the workspace or absolute)" },
      content: { type: "string", description: "Content to write to the file" },
    },
    required: ["path", "content"],
  },
  run: (input, ctx) =>
    guarded("write", () => {
      const a = args(input);
      if (typeof a.content !== "string") return toolError("write: content is required (a string)");
      const file = resolveToolPath(a.path, ctx);
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) return toolError(`${String(a.path)} is a directory, not a file`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, a.content, "utf8");
      const bytes = Buffer.byteLength(a.content, "utf8");
      return { content: `Successfully wrote ${bytes} bytes to ${String(a.path)}`, details: { path: file, bytes } };
    }),
};

interface Replacement {
  oldText: string;
  newText: string;
}

function parseEdits(a: Record<string, unknown>): Replacement[] | string {
  const raw = Array.isArray(a.edits) ? a.edits : a.oldText !== undefined || a.newText !== undefined ? [{ oldText: a.oldText, newText: a.newText }] : [];
  if (raw.length === 0) return "edit: give edits: [{ oldText, newText }] (or oldText and newText)";
  const out: Replacement[] = [];
  for (const [i, e] of raw.entries()) {
    const r = args(e);
    const where = raw.length === 1 ? "" : `edits[${i}].`;
    if (typeof r.oldText !== "string" || typeof r.newText !== "string") return `edit: ${where}oldText and ${where}newText must be strings`;
    if (r.oldText === "") return `edit: ${where}oldText must not be empty`;
    out.push({ oldText: r.oldText, newText: r.newText });
  }
  return out;
}

function countOccurrences(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * `edit`: exact-text replacements in one file. Every `oldText` must occur exactly once in the
 * original content; the edits must not overlap; all of them apply or none does.
 */
export const editTool: AgentTool = {
  name: "edit",
  description:
    "Edit a file by replacing exact text. Each edits[].oldText must match exactly one place in the file (include enough surrounding context to make it unique); all edits are matched against the original content and applied together, or none is.",
  inputSchema: {
    type: "object",
    properties: {
      path: { type: "string", description: "Path to the file to edit (relative to the workspace or absolute)" },
      edits: {
        type: "array",
        description: "Replacements to apply",
        items: {
          type: "object",
          properties: {
            oldText: { type: "string", description: "Exact text to find (must be unique in the file)" },
            newText: { type: "string", description: "Text to replace it with" },
          },
          required: ["oldText", "newText"],
        },
      },
    },
    required: ["path", "edits"],
  },
  run: (input, ctx: ToolContext) =>
    guarded("edit", () => {
      const a = args(input);
      const edits = parseEdits(a);
      if (typeof edits === "string") return toolError(edits);
      const file = resolveToolPath(a.path, ctx);
      const display = String(a.path);
      const st = statRegular(file, display);
      if (!(st instanceof fs.Stats)) return st;
      if (st.size > READ_MAX_BYTES) return toolError(`${display} is too large to edit (${st.size} bytes; limit ${READ_MAX_BYTES})`);
      const original = fs.readFileSync(file, "utf8");
      const spans: Array<{ start: number; end: number; newText: string }> = [];
      for (const [i, e] of edits.entries()) {
        const label = edits.length === 1 ? "the text" : `edits[${i}].oldText`;
        const n = countOccurrences(original, e.oldText);
        if (n === 0) return toolError(`Could not find ${label} in ${display}. oldText must match the file exactly, including whitespace and indentation.`);
        if (n > 1) return toolError(`Found ${n} occurrences of ${label} in ${display}; oldText must be unique. Include more surrounding context.`);
        const start = original.indexOf(e.oldText);
        spans.push({ start, end: start + e.oldText.length, newText: e.newText });
      }
      spans.sort((x, y) => x.start - y.start);
      for (let i = 1; i < spans.length; i++) {
        if (spans[i]!.start < spans[i - 1]!.end) return toolError(`edit: two edits overlap in ${display}; merge them into one`);
      }
      let next = "";
      let at = 0;
      for (const s of spans) {
        next += original.slice(at, s.start) + s.newText;
        at = s.end;
      }
      next += original.slice(at);
      if (next === original) return { content: `No changes: the replacement text equals the original in ${display}`, details: { path: file, changed: false } };
      fs.writeFileSync(file, next, "utf8");
      return { content: `Successfully replaced ${spans.length} block${spans.length === 1 ? "" : "s"} in ${display}`, details: { path: file, changed: true, edits: spans.length } };
    }),
};
