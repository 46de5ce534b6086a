/**
 * Dotted/bracketed config paths (`agents.list[0].id`, `channels.whatsapp.groups["*"]`) parsed into
 * segments, and formatted back. Prototype-polluting segments are refused here, once, for every user.
 */
import { AppError } from "./errors.js";

export type PathSegment = string | number;

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/** Parses a config path; throws `CONFIG_PATH` naming the problem. */
export function parseConfigPath(input: string): PathSegment[] {
  const path = input.trim();
  if (path.length === 0) throw new AppError("CONFIG_PATH", "config path is empty", { hint: "Use a dotted path such as gateway.port." });
  const out: PathSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new AppError("CONFIG_PATH", `invalid config path "${input}": ${why}`, {
      hint: 'Use dots and brackets, e.g. agents.list[0].id or channels.whatsapp.groups["*"].',
    });
  };
  while (i < path.length) {
    const ch = path[i]!;
    if (ch === "[") {
      const close = path.indexOf("]", i);
      if (close < 0) fail(`unclosed "[" at ${i + 1}`);
      const inner = path.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (/^(["']).*\1$/.test(inner)) out.push(inner.slice(1, -1));
      else fail(`bracket segment "${inner}" must be an index or a quoted key`);
      i = close + 1;
      if (path[i] === ".") i++;
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
    const seg = path.slice(i, j);
    if (seg.length === 0) fail(`empty segment at ${i + 1}`);
    out.push(seg);
    i = j;
    if (path[i] === ".") {
      i++;
      if (i === path.length) fail("trailing dot");
    }
  }
  for (const seg of out) {
    if (typeof seg === "string" && FORBIDDEN.has(seg)) {
      throw new AppError("CONFIG_PATH", `refusing config path "${input}": segment "${seg}" is not allowed`, {
        hint: "Config keys named __proto__, constructor or prototype are never valid.",
      });
    }
  }
  return out;
}

/** Formats segments as a dotted path (`a.b[0]["x y"]`). */
export function formatConfigPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const seg of segments) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out.length === 0 ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Reads the value at `segments`, or undefined when any step is missing. */
export function getAtPath(root: unknown, segments: readonly PathSegment[]): unknown {
  let cur: unknown = root;
  for (const seg of segments) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (!Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** One line for a config problem: `file:line:col: path: message`. */
export function formatIssueLine(issue: { path: string; message: string; file?: string; line?: number; column?: number }): string {
  const where = issue.file ? `${issue.file}${issue.line ? `:${issue.line}:${issue.column ?? 1}` : ""}: ` : "";
  return `${where}${issue.path ? `${issue.path}: ` : ""}${issue.message}`;
}
