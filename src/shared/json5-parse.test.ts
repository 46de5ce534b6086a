import assert from "node:assert/strict";
import { describe, test } from "node:test";
import JSON5 from "json5";
import {
  findMember,
  type Json5Node,
  type Json5ObjectNode,
  Json5SyntaxError,
  lineColumnAt,
  nodeToValue,
  parseJson5,
  parseJson5Tree,
} from "./json5-parse.js";

/**
 * Valid JSON5 documents. Each one is parsed by both parseJson5 and the reference `json5` package and
 * the results must be deep-equal. assert.deepStrictEqual compares primitives with Object.is, so NaN
 * equals NaN and -0 is told apart from 0.
 */
const VALID: readonly string[] = [
  "{}",
  "[]",
  "{ // only a comment\n}",
  "[ /* only a block comment */ ]",
  "// leading line comment\n{a: 1}\n// trailing line comment",
  "/* block */ {a: /* inside */ 1 /* after */}",
  "/* a * b / c **/ 1",
  "// comment ending with CR\r42",
  "{a: 1, b: 2,}",
  "[1, 2, 3,]",
  "[[1,], {a: [],},]",
  "{unquoted: 'single', \"double\": \"x\"}",
  "{$dollar: 1, _under: 2, a$_1: 3, $: 4, _: 5, A9: 6}",
  "{ключ: 1, 日本語: 2, café: 3, ünïcödé_$: 4}",
  "{\\u0061b: 1, \\u0024: 2, a\\u005fb: 3}",
  "{null: 1, true: 2, false: 3, Infinity: 4, NaN: 5, if: 6}",
  "{'single key': 1, \"double key\": 2, '': 3, 'a-b': 4}",
  "'it\\'s'",
  '"say \\"hi\\""',
  "['with \"double\" inside', \"with 'single' inside\"]",
  "'\\x41\\x7a\\x00\\xFF'",
  "'\\u00e9\\u4E2D\\uD83D\\uDE00'",
  "'\\0'",
  "'a\\0b'",
  "'line1\\\nline2'",
  "'crlf\\\r\ncontinuation'",
  "'cr\\\rcontinuation'",
  "'ls\\\u2028ps\\\u2029end'",
  "'\\b\\f\\n\\r\\t\\v\\\\\\/'",
  "'\\q\\a\\ \\$'",
  "'\\u2028\\u2029'",
  "{a: '// not a comment', b: \"/* nor this */\"}",
  "0x1F",
  "[0xff, 0XAB, -0x10, +0x0, 0xdeadBEEF]",
  "[Infinity, -Infinity, +Infinity]",
  "NaN",
  "[NaN, -NaN, +NaN]",
  "[.5, 5., -.5, +5., 1.e3, .5e-1]",
  "[+1, -1, +0, -0, 0]",
  "[1e10, 1E-5, 2.5e+3, 0.0, 0e0, 123.456]",
  "[9007199254740993, 1e308, 1e309, 5e-324, -1e-400]",
  "{a: {b: {c: [1, [2, [3, {d: null}]]]}}}",
  "[[[[[]]]]]",
  "{a: 1, b: 2, a: 3}",
  "{a: {x: 1}, a: {y: 2}}",
  "{a: [1], b: {c: 1, c: [2]}}",
  "\u00A0{\u00A0a\u00A0:\u00A01\u00A0}\u00A0",
  "\uFEFF{a: 1}",
  "\u2003[1,\u20092,\u30003]\u205F",
  "\v\f[\t1\v,\f2]",
  "[1,\u20282,\u20293]",
  "true",
  "false",
  "null",
  "'just a string'",
  "[true, false, null]",
  "{a:1,b:[2,{c:'3'}],d:{}}",
  "{a /* c */ : /* d */ 1 /* e */ , /* f */ b // g\n : 2}",
  "{__proto__: 1, constructor: 2, toString: 3, hasOwnProperty: 4}",
  "{\r\n  a: 1, // c\r\n  b: [\r\n    2,\r\n  ],\r\n}\r\n",
  `// OpenClaw config
{
  /* gateway settings */
  gateway: {
    port: 18789, // default port
    bind: 'loopback',
    auth: {mode: "token", token: null,},
  },
  agents: {
    list: [
      {id: 'main', model: "anthropic/claude", maxTokens: 0x1000},
      {id: "helper", temperature: .7, tools: ['read', 'write',]},
    ],
  },
  'quoted-key': [+1, -2, Infinity, NaN],
  emptyObj: {}, emptyArr: [],
}
`,
];

describe("parseJson5 matches the json5 package", () => {
  test("the corpus has at least 40 documents", () => {
    assert.ok(VALID.length >= 40, `only ${VALID.length} documents`);
  });
  for (const [i, doc] of VALID.entries()) {
    test(`document #${i}: ${JSON.stringify(doc).slice(0, 60)}`, () => {
      assert.deepStrictEqual(parseJson5(doc), JSON5.parse(doc));
    });
  }
  test("NaN, -0 and Infinity survive exactly", () => {
    const v = parseJson5("[NaN, -0, -Infinity, +Infinity]") as number[];
    assert.ok(Number.isNaN(v[0]));
    assert.ok(Object.is(v[1], -0));
    assert.equal(v[2], Number.NEGATIVE_INFINITY);
    assert.equal(v[3], Number.POSITIVE_INFINITY);
  });
  test("duplicate keys: the last one wins", () => {
    assert.deepStrictEqual(parseJson5("{a: 1, b: 2, a: 3}"), { a: 3, b: 2 });
  });

  test("number literals longer than 400 characters are accepted", () => {
    const doc = `0.${"1".repeat(450)}`;
    assert.deepStrictEqual(parseJson5(doc), JSON5.parse(doc));
  });
});

/** Asserts parseJson5 throws a Json5SyntaxError (and json5 rejects the document too). */
function syntaxError(doc: string): Json5SyntaxError {
  assert.throws(() => JSON5.parse(doc), SyntaxError, `json5 should reject ${JSON.stringify(doc)}`);
  try {
    parseJson5(doc);
  } catch (err) {
    assert.ok(err instanceof Json5SyntaxError, `expected Json5SyntaxError, got ${String(err)}`);
    assert.equal(err.name, "Json5SyntaxError");
    assert.deepStrictEqual(lineColumnAt(doc, err.offset), { line: err.line, column: err.column });
    return err;
  }
  assert.fail(`parseJson5 accepted ${JSON.stringify(doc)}`);
}

describe("invalid documents", () => {
  // [document, line, column, message fragment]. Positions were worked out by hand: unterminated
  // strings, objects, arrays and comments point at their opening character.
  const cases: readonly [string, number, number, string][] = [
    ["'abc", 1, 1, "unterminated string"],
    ['{a: "abc', 1, 5, "unterminated string"],
    ['"abc\ndef"', 1, 5, "line break inside a string"],
    ["[\n  1,\n  'abc\n]", 3, 7, "line break inside a string"],
    ["{a: 1,", 1, 1, "unterminated object"],
    ["{\n  a: 1,\n", 1, 1, "unterminated object"],
    ["{a: 1", 1, 6, 'expected "," or "}"'],
    ["[1,", 1, 1, "unterminated array"],
    ["[1, 2", 1, 6, 'expected "," or "]"'],
    ["/* never closed", 1, 1, "unterminated block comment"],
    ["{a: 1} /* x", 1, 8, "unterminated block comment"],
    ["{\n  a: 1,\n  /* open\n}", 3, 3, "unterminated block comment"],
    ["01", 1, 1, "leading zeros"],
    ["-01", 1, 1, "leading zeros"],
    ["{\n  a: 01\n}", 2, 6, "leading zeros"],
    ["[00]", 1, 2, "leading zeros"],
    ["'\\01'", 1, 2, "octal"],
    ["{\n  a: '\\01'\n}", 2, 7, "octal"],
    ["'\\1'", 1, 2, "invalid escape"],
    ["'\\8'", 1, 2, "invalid escape"],
    ["{a 1}", 1, 4, 'expected ":"'],
    ['{"a" 1}', 1, 6, 'expected ":"'],
    ["{a: 1 b: 2}", 1, 7, 'expected "," or "}"'],
    ["{\n  a: 1\n  b: 2\n}", 3, 3, 'expected "," or "}"'],
    ["{\r\n  a: 1\r\n  b: 2\r\n}", 3, 3, 'expected "," or "}"'],
    ["[1 2]", 1, 4, 'expected "," or "]"'],
    ["{a: 1} x", 1, 8, "after the end of the value"],
    ["{a: 1}}", 1, 7, "after the end of the value"],
    ["1 2", 1, 3, "after the end of the value"],
    ["0x1g", 1, 4, "after the end of the value"],
    ["", 1, 1, "empty document"],
    ["  \n  ", 2, 3, "empty document"],
    ["// c", 1, 5, "empty document"],
    ["{1: 2}", 1, 2, "expected a key"],
    ["{,}", 1, 2, "expected a key"],
    ["{a-b: 1}", 1, 3, 'expected ":"'],
    ["{\\u0031: 1}", 1, 8, "invalid character in identifier"],
    ["{\\x61: 1}", 1, 2, "invalid identifier escape"],
    ["[1,,2]", 1, 4, "expected a value"],
    ["[,]", 1, 2, "expected a value"],
    ["undefined", 1, 1, "expected a value"],
    ["tru", 1, 1, "expected a value"],
    ["0x", 1, 1, "invalid hexadecimal number"],
    ["1e", 1, 2, "invalid character after number"],
    ["1a", 1, 2, "invalid character after number"],
    [".", 1, 1, "invalid number"],
    ["+", 1, 1, "invalid number"],
    ["-", 1, 1, "invalid number"],
    ["'\\x4'", 1, 4, "invalid hexadecimal escape"],
    ["'\\u12'", 1, 4, "invalid hexadecimal escape"],
    ["'abc\\", 1, 1, "unterminated string"],
  ];
  for (const [doc, line, column, fragment] of cases) {
    test(`rejects ${JSON.stringify(doc)} at ${line}:${column}`, () => {
      const err = syntaxError(doc);
      assert.deepStrictEqual({ line: err.line, column: err.column }, { line, column });
      assert.ok(err.message.includes(fragment), `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(fragment)}`);
    });
  }
  test("offset is the 0-based position of the error", () => {
    const err = syntaxError("{\n  a: 1\n  b: 2\n}");
    assert.equal(err.offset, 11);
    assert.ok(err instanceof Error);
  });
});

describe("__proto__", () => {
  test("unquoted __proto__ key becomes an own property", () => {
    const v = parseJson5("{__proto__: {polluted: true}}") as Record<string, unknown>;
    assert.ok(Object.hasOwn(v, "__proto__"));
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(v, "__proto__")?.value, { polluted: true });
    assert.deepStrictEqual(Object.keys(v), ["__proto__"]);
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
    assert.equal((v as { polluted?: unknown }).polluted, undefined);
  });
  test("quoted and nested __proto__ keys do not pollute Object.prototype", () => {
    const v = parseJson5(`{"__proto__": {"x": 1}, a: {'__proto__': {y: 2}, __proto__: {z: 3}}}`) as Record<string, Record<string, unknown>>;
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(v, "__proto__")?.value, { x: 1 });
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(v["a"], "__proto__")?.value, { z: 3 });
    assert.equal(Object.getPrototypeOf(v["a"]), Object.prototype);
    for (const k of ["x", "y", "z"]) assert.equal(({} as Record<string, unknown>)[k], undefined);
    assert.deepStrictEqual(v, JSON5.parse(`{"__proto__": {"x": 1}, a: {'__proto__': {y: 2}, __proto__: {z: 3}}}`));
  });
  test("a __proto__ scalar does not change the prototype", () => {
    const v = parseJson5("{__proto__: null, a: 1}") as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.ok(Object.hasOwn(v, "__proto__"));
    assert.equal(v["a"], 1);
  });
});

describe("parseJson5Tree positions", () => {
  const src = `{ a: 1, "b": [true, 'x'], c: {d: -2} }`;
  const tree = parseJson5Tree(src) as Json5ObjectNode;
  const slice = (n: { start: number; end: number }) => src.slice(n.start, n.end);

  test("root object spans the whole document", () => {
    assert.equal(tree.kind, "object");
    assert.deepStrictEqual([tree.start, tree.end], [0, src.length]);
    assert.deepStrictEqual(
      tree.members.map((m) => [m.key, m.keyStart, m.keyEnd, m.quoted]),
      [
        ["a", 2, 3, false],
        ["b", 8, 11, true],
        ["c", 26, 27, false],
      ],
    );
  });
  test("values have exact start/end offsets", () => {
    const [a, b, c] = tree.members;
    assert.deepStrictEqual([a!.value.start, a!.value.end], [5, 6]);
    assert.equal(slice(b!.value), "[true, 'x']");
    assert.equal(slice(c!.value), "{d: -2}");
    assert.equal(b!.value.kind, "array");
    if (b!.value.kind !== "array") return;
    assert.deepStrictEqual(b!.value.items.map(slice), ["true", "'x'"]);
    if (c!.value.kind !== "object") assert.fail("c should be an object");
    const d = c!.value.members[0]!;
    assert.equal(src.slice(d.keyStart, d.keyEnd), "d");
    assert.deepStrictEqual([d.value.start, d.value.end, slice(d.value)], [33, 35, "-2"]);
  });
  test("comments and whitespace are outside node ranges", () => {
    const s = "/* h */ {\n  // c\n  'k' /* x */ : /* y */ 0x1F /* z */,\n} // t\n";
    const root = parseJson5Tree(s) as Json5ObjectNode;
    assert.equal(s.slice(root.start, root.end), "{\n  // c\n  'k' /* x */ : /* y */ 0x1F /* z */,\n}");
    const k = root.members[0]!;
    assert.equal(s.slice(k.keyStart, k.keyEnd), "'k'");
    assert.equal(k.quoted, true);
    assert.equal(s.slice(k.value.start, k.value.end), "0x1F");
    assert.deepStrictEqual(k.value, { kind: "scalar", value: 31, start: k.value.start, end: k.value.end });
  });
  test("scalar kinds and escaped keys", () => {
    const s = "[\"s\", +Infinity, NaN, null, false, {\\u0061: 1}]";
    const arr = parseJson5Tree(s);
    if (arr.kind !== "array") assert.fail("expected an array");
    assert.deepStrictEqual(
      arr.items.map((n) => s.slice(n.start, n.end)),
      ['"s"', "+Infinity", "NaN", "null", "false", "{\\u0061: 1}"],
    );
    const obj = arr.items[5] as Json5ObjectNode;
    assert.equal(obj.members[0]!.key, "a");
    assert.equal(s.slice(obj.members[0]!.keyStart, obj.members[0]!.keyEnd), "\\u0061");
  });
  test("nodeToValue and findMember (last duplicate wins)", () => {
    const root = parseJson5Tree("{a: 1, b: [2], a: {c: 3}}") as Json5ObjectNode;
    const a = findMember(root, "a");
    assert.ok(a);
    assert.equal(a.keyStart, 15);
    assert.deepStrictEqual(nodeToValue(a.value), { c: 3 });
    assert.equal(findMember(root, "zz"), undefined);
    assert.deepStrictEqual(nodeToValue(root as Json5Node), { a: { c: 3 }, b: [2] });
  });
  test("a scalar document is a scalar node", () => {
    assert.deepStrictEqual(parseJson5Tree("  'x'  "), { kind: "scalar", value: "x", start: 2, end: 5 });
  });
});

describe("lineColumnAt", () => {
  test("LF", () => {
    const s = "ab\ncd\n\nef";
    assert.deepStrictEqual(lineColumnAt(s, 0), { line: 1, column: 1 });
    assert.deepStrictEqual(lineColumnAt(s, 2), { line: 1, column: 3 });
    assert.deepStrictEqual(lineColumnAt(s, 3), { line: 2, column: 1 });
    assert.deepStrictEqual(lineColumnAt(s, 6), { line: 3, column: 1 });
    assert.deepStrictEqual(lineColumnAt(s, 8), { line: 4, column: 2 });
  });
  test("CRLF counts as one line break", () => {
    const s = "ab\r\ncd\r\nef";
    assert.deepStrictEqual(lineColumnAt(s, 2), { line: 1, column: 3 });
    assert.deepStrictEqual(lineColumnAt(s, 3), { line: 1, column: 4 });
    assert.deepStrictEqual(lineColumnAt(s, 4), { line: 2, column: 1 });
    assert.deepStrictEqual(lineColumnAt(s, 5), { line: 2, column: 2 });
    assert.deepStrictEqual(lineColumnAt(s, 9), { line: 3, column: 2 });
  });
  test("lone CR, U+2028 and U+2029 are line breaks", () => {
    assert.deepStrictEqual(lineColumnAt("a\rb", 2), { line: 2, column: 1 });
    assert.deepStrictEqual(lineColumnAt("a\u2028b\u2029c", 4), { line: 3, column: 1 });
  });
  test("offset past the end keeps counting columns", () => {
    assert.deepStrictEqual(lineColumnAt("ab", 10), { line: 1, column: 11 });
    assert.deepStrictEqual(lineColumnAt("", 0), { line: 1, column: 1 });
  });
  test("errors in CRLF documents report CRLF-aware positions", () => {
    const err = syntaxError("{\r\n  a: 1,\r\n  b: ?\r\n}");
    assert.deepStrictEqual([err.line, err.column], [3, 6]);
  });
});
