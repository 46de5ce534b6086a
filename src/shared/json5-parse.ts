/**
 * A JSON5 parser that keeps source positions. The config loader needs them to point at
 * `file:line:col` for syntax and schema errors, and the editor needs them to change one value in
 * place without losing the user's comments and layout.
 */

export type Json5Value = string | number | boolean | null | Json5Value[] | { [key: string]: Json5Value };

interface NodeBase {
  /** Offset of the first character of the node. */
  start: number;
  /** Offset just past the last character of the node. */
  end: number;
}

export interface Json5Member {
  key: string;
  keyStart: number;
  keyEnd: number;
  /** Whether the key was written with quotes. */
  quoted: boolean;
  value: Json5Node;
}

export interface Json5ObjectNode extends NodeBase {
  kind: "object";
  members: Json5Member[];
}

export interface Json5ArrayNode extends NodeBase {
  kind: "array";
  items: Json5Node[];
}

export interface Json5ScalarNode extends NodeBase {
  kind: "scalar";
  value: string | number | boolean | null;
}

export type Json5Node = Json5ObjectNode | Json5ArrayNode | Json5ScalarNode;

/** A syntax error with its position (1-based line and column). */
export class Json5SyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = "Json5SyntaxError";
  }
}

/** 1-based line and column of an offset. */
export function lineColumnAt(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || c === 0x2028 || c === 0x2029 || (c === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Objects and arrays may nest this deep; deeper input is a syntax error, not a stack overflow. */
export const MAX_JSON5_DEPTH = 256;

/**
 * `lineColumnAt` for many offsets of one text: line starts are indexed once, each lookup is a
 * binary search (locating thousands of issues in a large file stays linear).
 */
export function createLineIndex(source: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || c === 0x2028 || c === 0x2029 || (c === 13 && source.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    const at = Math.max(0, Math.min(offset, source.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

const ID_START = /[\p{ID_Start}$_]/u;
const ID_CONTINUE = /[\p{ID_Continue}$\u200C\u200D]/u;
const NUMBER = /(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[\t\n\v\f\r \u00A0\u2028\u2029\uFEFF\p{Zs}]/u;

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly src: string) {}

  fail(message: string, at = this.pos): never {
    const { line, column } = lineColumnAt(this.src, at);
    throw new Json5SyntaxError(message, at, line, column);
  }

  describeHere(): string {
    if (this.pos >= this.src.length) return "end of input";
    // JSON-quoted: a control character or line separator must not reach a one-line message raw.
    return JSON.stringify(String.fromCodePoint(this.src.codePointAt(this.pos)!));
  }

  skipTrivia(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const ch = s[this.pos]!;
      if (WHITESPACE.test(ch)) {
        this.pos++;
      } else if (ch === "/" && s[this.pos + 1] === "/") {
        this.pos += 2;
        while (this.pos < s.length && !/[\n\r\u2028\u2029]/.test(s[this.pos]!)) this.pos++;
      } else if (ch === "/" && s[this.pos + 1] === "*") {
        const close = s.indexOf("*/", this.pos + 2);
        if (close < 0) this.fail("unterminated block comment");
        this.pos = close + 2;
      } else {
        return;
      }
    }
  }

  parseDocument(): Json5Node {
    this.skipTrivia();
    if (this.pos >= this.src.length) this.fail("empty document: expected a value");
    const node = this.parseValue();
    this.skipTrivia();
    if (this.pos < this.src.length) this.fail(`unexpected ${this.describeHere()} after the end of the value`);
    return node;
  }

  parseValue(): Json5Node {
    this.skipTrivia();
    const ch = this.src[this.pos];
    if (ch === "{" || ch === "[") {
      if (this.depth >= MAX_JSON5_DEPTH) this.fail(`nesting deeper than ${MAX_JSON5_DEPTH} levels`);
      this.depth++;
      const node = ch === "{" ? this.parseObject() : this.parseArray();
      this.depth--;
      return node;
    }
    const start = this.pos;
    if (ch === '"' || ch === "'") {
      const value = this.parseString();
      return { kind: "scalar", value, start, end: this.pos };
    }
    if (ch !== undefined && /[-+.0-9IN]/.test(ch)) {
      const value = this.parseNumber();
      return { kind: "scalar", value, start, end: this.pos };
    }
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.src.startsWith(word, this.pos) && !ID_CONTINUE.test(this.src[this.pos + word.length] ?? "")) {
        this.pos += word.length;
        return { kind: "scalar", value, start, end: this.pos };
      }
    }
    this.fail(`unexpected ${this.describeHere()}: expected a value`);
  }

  parseObject(): Json5ObjectNode {
    const start = this.pos;
    this.pos++;
    const members: Json5Member[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.src[this.pos] === "}") {
        this.pos++;
        return { kind: "object", members, start, end: this.pos };
      }
      if (this.pos >= this.src.length) this.fail("unterminated object: expected \"}\"", start);
      const keyStart = this.pos;
      let key: string;
      let quoted = false;
      const ch = this.src[this.pos]!;
      if (ch === '"' || ch === "'") {
        key = this.parseString();
        quoted = true;
      } else {
        key = this.parseIdentifier();
      }
      const keyEnd = this.pos;
      this.skipTrivia();
      if (this.src[this.pos] !== ":") this.fail(`expected ":" after key ${JSON.stringify(key)}, found ${this.describeHere()}`);
      this.pos++;
      const value = this.parseValue();
      members.push({ key, keyStart, keyEnd, quoted, value });
      this.skipTrivia();
      const next = this.src[this.pos];
      if (next === ",") {
        this.pos++;
      } else if (next !== "}") {
        this.fail(`expected "," or "}" after the value of ${JSON.stringify(key)}, found ${this.describeHere()}`);
      }
    }
  }

  parseArray(): Json5ArrayNode {
    const start = this.pos;
    this.pos++;
    const items: Json5Node[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.src[this.pos] === "]") {
        this.pos++;
        return { kind: "array", items, start, end: this.pos };
      }
      if (this.pos >= this.src.length) this.fail('unterminated array: expected "]"', start);
      items.push(this.parseValue());
      this.skipTrivia();
      const next = this.src[this.pos];
      if (next === ",") this.pos++;
      else if (next !== "]") this.fail(`expected "," or "]" in array, found ${this.describeHere()}`);
    }
  }

  parseIdentifier(): string {
    let out = "";
    let first = true;
    for (;;) {
      let ch: string;
      if (this.src[this.pos] === "\\") {
        if (this.src[this.pos + 1] !== "u") this.fail('invalid identifier escape: expected "\\u"');
        ch = String.fromCharCode(this.readHex(this.pos + 2, 4));
        this.pos += 6;
      } else {
        const cp = this.src.codePointAt(this.pos);
        if (cp === undefined) break;
        ch = String.fromCodePoint(cp);
        if (!(first ? ID_START : ID_CONTINUE).test(ch)) break;
        this.pos += ch.length;
      }
      if (!(first ? ID_START : ID_CONTINUE).test(ch)) this.fail(`invalid character in identifier`);
      out += ch;
      first = false;
    }
    if (out.length === 0) this.fail(`unexpected ${this.describeHere()}: expected a key`);
    return out;
  }

  readHex(at: number, count: number): number {
    const digits = this.src.slice(at, at + count);
    if (digits.length !== count || !/^[0-9a-fA-F]+$/.test(digits)) this.fail("invalid hexadecimal escape", at);
    return Number.parseInt(digits, 16);
  }

  parseString(): string {
    const quote = this.src[this.pos]!;
    const start = this.pos;
    this.pos++;
    let out = "";
    for (;;) {
      if (this.pos >= this.src.length) this.fail("unterminated string", start);
      const ch = this.src[this.pos]!;
      if (ch === quote) {
        this.pos++;
        return out;
      }
      if (ch === "\n" || ch === "\r") this.fail("unterminated string: line break inside a string (escape it with \\)");
      if (ch !== "\\") {
        // Copy a run of plain characters at once (one slice, not one string node per character).
        const runStart = this.pos;
        let c = this.src.charCodeAt(this.pos);
        while (this.pos < this.src.length && c !== quote.charCodeAt(0) && c !== 92 && c !== 10 && c !== 13) c = this.src.charCodeAt(++this.pos);
        out += this.src.slice(runStart, this.pos);
        continue;
      }
      const esc = this.src[this.pos + 1];
      this.pos += 2;
      switch (esc) {
        case "b": out += "\b"; break;
        case "f": out += "\f"; break;
        case "n": out += "\n"; break;
        case "r": out += "\r"; break;
        case "t": out += "\t"; break;
        case "v": out += "\v"; break;
        case "0":
          if (/[0-9]/.test(this.src[this.pos] ?? "")) this.fail("octal escapes are not allowed", this.pos - 2);
          out += "\0";
          break;
        case "x": out += String.fromCharCode(this.readHex(this.pos, 2)); this.pos += 2; break;
        case "u": out += String.fromCharCode(this.readHex(this.pos, 4)); this.pos += 4; break;
        case "\n": case "\u2028": case "\u2029": break;
        case "\r": if (this.src[this.pos] === "\n") this.pos++; break;
        case undefined: this.fail("unterminated string", start); break;
        default:
          if (/[1-9]/.test(esc)) this.fail(`invalid escape "\\${esc}"`, this.pos - 2);
          out += esc;
      }
    }
  }

  parseNumber(): number {
    const s = this.src;
    const start = this.pos;
    let sign = 1;
    if (s[this.pos] === "+" || s[this.pos] === "-") {
      if (s[this.pos] === "-") sign = -1;
      this.pos++;
    }
    if (s.startsWith("Infinity", this.pos)) {
      this.pos += 8;
      return sign * Number.POSITIVE_INFINITY;
    }
    if (s.startsWith("NaN", this.pos)) {
      this.pos += 3;
      return Number.NaN;
    }
    if (s[this.pos] === "0" && (s[this.pos + 1] === "x" || s[this.pos + 1] === "X")) {
      this.pos += 2;
      const hexStart = this.pos;
      while (/[0-9a-fA-F]/.test(s[this.pos] ?? "")) this.pos++;
      if (this.pos === hexStart) this.fail("invalid hexadecimal number", start);
      return sign * Number.parseInt(s.slice(hexStart, this.pos), 16);
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(s);
    if (!m) this.fail(`invalid number`, start);
    this.pos += m[0].length;
    if (/[0-9]/.test(s[this.pos] ?? "")) this.fail("numbers may not have leading zeros", start);
    if (ID_START.test(s[this.pos] ?? "")) this.fail(`invalid character after number`, this.pos);
    return sign * Number(m[0]);
  }
}

/** Parses JSON5 text into a positioned syntax tree. Throws `Json5SyntaxError`. */
export function parseJson5Tree(source: string): Json5Node {
  return new Parser(source).parseDocument();
}

/** The plain value of a node. Duplicate keys: the last wins. `__proto__` becomes an own key. */
export function nodeToValue(node: Json5Node): Json5Value {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "array":
      return node.items.map(nodeToValue);
    case "object": {
      const out: Record<string, Json5Value> = {};
      for (const m of node.members) {
        Object.defineProperty(out, m.key, { value: nodeToValue(m.value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
}

/** Parses JSON5 text into a plain value. */
export function parseJson5(source: string): Json5Value {
  return nodeToValue(parseJson5Tree(source));
}

/** The member of an object node with this key (the last one, as in parsing). */
export function findMember(node: Json5ObjectNode, key: string): Json5Member | undefined {
  for (let i = node.members.length - 1; i >= 0; i--) if (node.members[i]!.key === key) return node.members[i];
  return undefined;
}
