/**
 * In-place edits of JSON5 text: set or remove one value while keeping every comment, key order and
 * the file's indentation. Used by `config set` / `config unset`, so a hand-written config with
 * comments survives a CLI edit.
 */
import {
  AppError,
  findMember,
  formatConfigPath,
  type Json5ArrayNode,
  type Json5Member,
  type Json5Node,
  type Json5ObjectNode,
  type PathSegment,
  parseJson5Tree,
} from "../../shared/index.js";

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(source: string, edits: Edit[]): string {
  const eol = source.includes("\r\n") ? "\r\n" : "\n";
  let out = source;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text.replace(/\r?\n/g, eol) + out.slice(e.end);
  return out;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function lineStart(src: string, offset: number): number {
  const i = src.lastIndexOf("\n", offset - 1);
  return i + 1;
}

/** Offset of the line break ending the line at `offset` (before a CR of CRLF). */
function lineEnd(src: string, offset: number): number {
  const i = src.indexOf("\n", offset);
  if (i < 0) return src.length;
  return i > 0 && src[i - 1] === "\r" ? i - 1 : i;
}

/** Offset of the first character of the next line. */
function nextLineStart(src: string, offset: number): number {
  const i = src.indexOf("\n", offset);
  return i < 0 ? src.length : i + 1;
}

function indentOf(src: string, offset: number): string {
  const start = lineStart(src, offset);
  return /^[ \t]*/.exec(src.slice(start))![0];
}

function startsLine(src: string, offset: number): boolean {
  return /^[ \t]*$/.test(src.slice(lineStart(src, offset), offset));
}

/** Position just after a comma that follows `offset` (skipping spaces and comments), or -1. */
function commaAfter(src: string, offset: number): number {
  let i = offset;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === "," ) return i + 1;
    if (/\s/.test(ch)) i++;
    else if (src.startsWith("//", i)) i = lineEnd(src, i);
    else if (src.startsWith("/*", i)) i = src.indexOf("*/", i) + 2;
    else return -1;
  }
  return -1;
}

/** True when only spaces and a line comment follow `offset` up to the end of its line. */
function restOfLineIsTrivia(src: string, offset: number): boolean {
  const rest = src.slice(offset, lineEnd(src, offset)).replace(/\/\*.*?\*\//g, "");
  return /^[ \t]*(\/\/.*)?\r?$/.test(rest);
}

/** The indentation unit of the file (two spaces unless the file says otherwise). */
function detectIndentUnit(src: string, root: Json5Node): string {
  if (root.kind === "object" && root.members.length > 0) {
    const first = root.members[0]!;
    if (startsLine(src, first.keyStart)) {
      const inner = indentOf(src, first.keyStart);
      const outer = indentOf(src, root.start);
      if (inner.length > outer.length) return inner.slice(outer.length);
    }
  }
  return "  ";
}

/** JSON text for a value, indented to sit at `indent`; object keys unquoted when the file does that. */
function formatValue(value: unknown, indent: string, unit: string, quotedStyle = true): string {
  const render = (v: unknown, pad: string): string => {
    if (v === undefined || typeof v === "function" || typeof v === "symbol") {
      throw new AppError("CONFIG_VALUE", "value cannot be written as JSON");
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return `[\n${v.map((item) => `${pad}${unit}${render(item, pad + unit)}`).join(",\n")}\n${pad}]`;
    }
    if (v !== null && typeof v === "object") {
      const entries = Object.entries(v);
      if (entries.length === 0) return "{}";
      return `{\n${entries.map(([k, item]) => `${pad}${unit}${keyText(k, quotedStyle)}: ${render(item, pad + unit)}`).join(",\n")}\n${pad}}`;
    }
    return JSON.stringify(v) ?? "null";
  };
  return render(value, indent);
}

function keyText(key: string, quotedStyle: boolean): string {
  return !quotedStyle && IDENT.test(key) ? key : JSON.stringify(key);
}

/** Wraps `value` in objects (or one-element arrays) for the path segments that do not exist yet. */
function nest(segments: readonly PathSegment[], value: unknown, where: string): unknown {
  let out = value;
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i]!;
    if (typeof seg === "number") {
      if (seg !== 0) throw new AppError("CONFIG_PATH", `cannot create ${where}: index ${seg} of a missing array`, { hint: "Create the array first or use index 0." });
      out = [out];
    } else {
      out = { [seg]: out };
    }
  }
  return out;
}

function kindName(node: Json5Node): string {
  if (node.kind === "object") return "an object";
  if (node.kind === "array") return "an array";
  return node.value === null ? "null" : `a ${typeof node.value}`;
}

function parseRoot(source: string): Json5ObjectNode {
  const root = source.trim().length === 0 ? ({ kind: "object", members: [], start: 0, end: 0 } as Json5ObjectNode) : parseJson5Tree(source);
  if (root.kind !== "object") throw new AppError("CONFIG_INVALID", "the config root must be an object", { hint: "Wrap the config in { … }." });
  return root;
}

function insertMember(src: string, obj: Json5ObjectNode, key: string, value: unknown, unit: string, quotedStyle: boolean): Edit[] {
  const objIndent = indentOf(src, obj.start);
  if (obj.members.length === 0) {
    const memberIndent = objIndent + unit;
    const member = `${keyText(key, quotedStyle)}: ${formatValue(value, memberIndent, unit, quotedStyle)}`;
    const inner = src.slice(obj.start + 1, obj.end - 1);
    if (/^\s*$/.test(inner)) return [{ start: obj.start + 1, end: obj.end - 1, text: `\n${memberIndent}${member}\n${objIndent}` }];
    return [{ start: obj.start + 1, end: obj.start + 1, text: `\n${memberIndent}${member},` }];
  }
  const last = obj.members[obj.members.length - 1]!;
  const comma = commaAfter(src, last.value.end);
  const closeOnSameLine = lineStart(src, obj.end - 1) === lineStart(src, last.value.end);
  if (closeOnSameLine) {
    const member = `${keyText(key, quotedStyle)}: ${formatValue(value, objIndent, unit, quotedStyle)}`;
    return comma >= 0 ? [{ start: comma, end: comma, text: ` ${member},` }] : [{ start: last.value.end, end: last.value.end, text: `, ${member}` }];
  }
  const memberIndent = startsLine(src, last.keyStart) ? indentOf(src, last.keyStart) : objIndent + unit;
  const member = `${keyText(key, quotedStyle)}: ${formatValue(value, memberIndent, unit, quotedStyle)}`;
  const after = comma >= 0 ? comma : last.value.end;
  const insertAt = restOfLineIsTrivia(src, after) ? lineEnd(src, after) : after;
  const edits: Edit[] = [{ start: insertAt, end: insertAt, text: `\n${memberIndent}${member}${comma >= 0 ? "," : ""}` }];
  if (comma < 0) edits.push({ start: last.value.end, end: last.value.end, text: "," });
  return edits;
}

function appendItem(src: string, arr: Json5ArrayNode, value: unknown, unit: string, quotedStyle: boolean): Edit[] {
  const arrIndent = indentOf(src, arr.start);
  if (arr.items.length === 0) {
    const inner = src.slice(arr.start + 1, arr.end - 1);
    if (/^\s*$/.test(inner)) return [{ start: arr.start, end: arr.end, text: formatValue([value], arrIndent, unit, quotedStyle) }];
    return [{ start: arr.start + 1, end: arr.start + 1, text: `\n${arrIndent}${unit}${formatValue(value, arrIndent + unit, unit, quotedStyle)},` }];
  }
  const last = arr.items[arr.items.length - 1]!;
  const comma = commaAfter(src, last.end);
  const multiline = lineStart(src, arr.end - 1) !== lineStart(src, last.end);
  if (!multiline) {
    const text = formatValue(value, arrIndent, unit, quotedStyle);
    return comma >= 0 ? [{ start: comma, end: comma, text: ` ${text},` }] : [{ start: last.end, end: last.end, text: `, ${text}` }];
  }
  const itemIndent = startsLine(src, last.start) ? indentOf(src, last.start) : arrIndent + unit;
  const after = comma >= 0 ? comma : last.end;
  const insertAt = restOfLineIsTrivia(src, after) ? lineEnd(src, after) : after;
  const edits: Edit[] = [{ start: insertAt, end: insertAt, text: `\n${itemIndent}${formatValue(value, itemIndent, unit, quotedStyle)}${comma >= 0 ? "," : ""}` }];
  if (comma < 0) edits.push({ start: last.end, end: last.end, text: "," });
  return edits;
}

/**
 * Returns `source` with the value at `segments` set to `value`, creating missing objects on the way.
 * Throws `CONFIG_PATH` when the path runs through a value that is not an object or array.
 */
export function setJson5Value(source: string, segments: readonly PathSegment[], value: unknown): string {
  if (segments.length === 0) throw new AppError("CONFIG_PATH", "config path is empty");
  const root = parseRoot(source);
  if (source.trim().length === 0) return `${formatValue(nest(segments, value, formatConfigPath(segments)), "", "  ")}\n`;
  const unit = detectIndentUnit(source, root);
  const quotedStyle = root.members[0]?.quoted ?? true;
  let node: Json5Node = root;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const here = formatConfigPath(segments.slice(0, i));
    const isLast = i === segments.length - 1;
    if (node.kind === "object") {
      if (typeof seg === "number") throw new AppError("CONFIG_PATH", `${here} is an object; address its keys by name, not [${seg}]`);
      const member: Json5Member | undefined = findMember(node, seg);
      if (!member) {
        return applyEdits(source, insertMember(source, node, seg, nest(segments.slice(i + 1), value, formatConfigPath(segments)), unit, quotedStyle));
      }
      if (isLast) {
        const indent = indentOf(source, member.keyStart);
        return applyEdits(source, [{ start: member.value.start, end: member.value.end, text: formatValue(value, indent, unit, quotedStyle) }]);
      }
      node = member.value;
    } else if (node.kind === "array") {
      if (typeof seg !== "number") throw new AppError("CONFIG_PATH", `${here} is an array; address it with [index], not .${seg}`);
      if (seg < node.items.length) {
        const item: Json5Node = node.items[seg]!;
        if (isLast) return applyEdits(source, [{ start: item.start, end: item.end, text: formatValue(value, indentOf(source, item.start), unit, quotedStyle) }]);
        node = item;
      } else if (seg === node.items.length) {
        return applyEdits(source, appendItem(source, node, nest(segments.slice(i + 1), value, formatConfigPath(segments)), unit, quotedStyle));
      } else {
        throw new AppError("CONFIG_PATH", `${formatConfigPath(segments.slice(0, i + 1))} is out of range: ${here} has ${node.items.length} items`, {
          hint: `Use [${node.items.length}] to append.`,
        });
      }
    } else {
      throw new AppError("CONFIG_PATH", `cannot set ${formatConfigPath(segments)}: ${here} is ${kindName(node)}, not an object`, {
        hint: `Unset ${here} first if you mean to replace it with an object.`,
      });
    }
  }
  return source;
}

function removalRange(src: string, start: number, end: number, prevEnd: number | undefined, isLast: boolean): Edit[] {
  const comma = commaAfter(src, end);
  const after = comma >= 0 ? comma : end;
  if (startsLine(src, start) && restOfLineIsTrivia(src, after)) {
    const from = lineStart(src, start);
    const to = nextLineStart(src, after);
    const edits: Edit[] = [{ start: from, end: to, text: "" }];
    if (isLast && comma < 0 && prevEnd !== undefined) {
      const prevComma = commaAfter(src, prevEnd);
      if (prevComma >= 0) edits.push({ start: prevComma - 1, end: prevComma, text: "" });
    }
    return edits;
  }
  if (comma >= 0) {
    const trailing = /^[ \t]*/.exec(src.slice(comma))![0].length;
    return [{ start, end: comma + trailing, text: "" }];
  }
  if (prevEnd !== undefined) {
    const prevComma = commaAfter(src, prevEnd);
    return [{ start: prevComma >= 0 ? prevComma - 1 : prevEnd, end, text: "" }];
  }
  return [{ start, end, text: "" }];
}

/**
 * Returns `source` without the value at `segments` (every duplicate of the key, so an earlier
 * duplicate cannot resurface); `found` is false when there was nothing to remove.
 */
export function unsetJson5Value(source: string, segments: readonly PathSegment[]): { source: string; found: boolean } {
  let current = unsetOnce(source, segments);
  if (!current.found || typeof segments[segments.length - 1] === "number") return current;
  for (let guard = 0; guard < 1000; guard++) {
    const next = unsetOnce(current.source, segments);
    if (!next.found) break;
    current = next;
  }
  return current;
}

function unsetOnce(source: string, segments: readonly PathSegment[]): { source: string; found: boolean } {
  if (segments.length === 0) throw new AppError("CONFIG_PATH", "config path is empty");
  if (source.trim().length === 0) return { source, found: false };
  let node: Json5Node = parseRoot(source);
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const isLast = i === segments.length - 1;
    if (node.kind === "object" && typeof seg === "string") {
      const idx = node.members.findLastIndex((m) => m.key === seg);
      if (idx < 0) return { source, found: false };
      const member: Json5Member = node.members[idx]!;
      if (isLast) {
        const prev = idx > 0 ? node.members[idx - 1]!.value.end : undefined;
        return { source: applyEdits(source, removalRange(source, member.keyStart, member.value.end, prev, idx === node.members.length - 1)), found: true };
      }
      node = member.value;
    } else if (node.kind === "array" && typeof seg === "number") {
      const item: Json5Node | undefined = node.items[seg];
      if (!item) return { source, found: false };
      if (isLast) {
        const prev = seg > 0 ? node.items[seg - 1]!.end : undefined;
        return { source: applyEdits(source, removalRange(source, item.start, item.end, prev, seg === node.items.length - 1)), found: true };
      }
      node = item;
    } else {
      return { source, found: false };
    }
  }
  return { source, found: false };
}
