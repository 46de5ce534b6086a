import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AppError, type Json5Value, type PathSegment, parseJson5 } from "../../shared/index.js";
import { setJson5Value, unsetJson5Value } from "./edit.js";

/** Checks the parsed value of an edit result always, and its exact text when given. */
function check(actual: string, value: unknown, text?: string): void {
  if (text !== undefined) assert.equal(actual, text);
  assert.deepStrictEqual(parseJson5(actual), value);
}

function set(source: string, path: PathSegment[], value: unknown, expected: unknown, text?: string): string {
  const out = setJson5Value(source, path, value);
  check(out, expected, text);
  return out;
}

function unset(source: string, path: PathSegment[], expected: unknown, text?: string): string {
  const out = unsetJson5Value(source, path);
  assert.equal(out.found, true);
  check(out.source, expected, text);
  return out.source;
}

function throwsCode(fn: () => unknown, code: string, message?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (message) assert.match(err.message, message);
    return true;
  });
}

const DOC = `// config
{
  /* gateway */
  gateway: {
    port: 18789, // the port
    bind: 'loopback',
  },
  // agents
  agents: ["main", 'helper'],
}
`;
const DOC_VALUE = { gateway: { port: 18789, bind: "loopback" }, agents: ["main", "helper"] };

describe("setJson5Value: replacing existing values", () => {
  test("a number, keeping the trailing comment", () => {
    set(DOC, ["gateway", "port"], 9000, { ...DOC_VALUE, gateway: { port: 9000, bind: "loopback" } }, DOC.replace("18789", "9000"));
  });
  test("a single-quoted string", () => {
    set(DOC, ["gateway", "bind"], "lan", { ...DOC_VALUE, gateway: { port: 18789, bind: "lan" } }, DOC.replace("'loopback'", '"lan"'));
  });
  test("an array item", () => {
    set(DOC, ["agents", 1], "x", { ...DOC_VALUE, agents: ["main", "x"] }, DOC.replace("'helper'", '"x"'));
  });
  test("a whole array with a multi-line value indented at the key", () => {
    const out = DOC.replace(`["main", 'helper']`, `[\n    1,\n    true\n  ]`);
    set(DOC, ["agents"], [1, true], { ...DOC_VALUE, agents: [1, true] }, out);
  });
  test("a scalar with null, false and strings that need escaping", () => {
    const src = '{\n  "a": 1, /* one */\n  "b": "x" // two\n}\n';
    set(src, ["a"], null, { a: null, b: "x" }, '{\n  "a": null, /* one */\n  "b": "x" // two\n}\n');
    set(src, ["b"], 'q"\\\n//', { a: 1, b: 'q"\\\n//' }, '{\n  "a": 1, /* one */\n  "b": "q\\"\\\\\\n//" // two\n}\n');
  });
  test("an object value in a quoted-key file", () => {
    const src = '{\n  "a": {"x": 1}, // c\n  "b": 2\n}';
    set(src, ["a"], { y: [2] }, { a: { y: [2] }, b: 2 }, '{\n  "a": {\n    "y": [\n      2\n    ]\n  }, // c\n  "b": 2\n}');
  });
  test("inside an inline object and an array of objects", () => {
    set("{a: {b: 1, c: 2}}", ["a", "c"], 3, { a: { b: 1, c: 3 } }, "{a: {b: 1, c: 3}}");
    set("{list: [{id: 1}, {id: 2}]}", ["list", 1, "id"], 7, { list: [{ id: 1 }, { id: 7 }] }, "{list: [{id: 1}, {id: 7}]}");
  });
  test("a duplicated key: the last (effective) member is replaced", () => {
    set("{a: 1, a: 2}", ["a"], 3, { a: 3 }, "{a: 1, a: 3}");
  });
});

describe("setJson5Value: inserting keys", () => {
  test("multi-line object with trailing comma", () => {
    set("{\n  a: 1,\n  b: 2,\n}\n", ["c"], 3, { a: 1, b: 2, c: 3 }, "{\n  a: 1,\n  b: 2,\n  c: 3,\n}\n");
  });
  test("multi-line object without trailing comma", () => {
    set('{\n  "a": 1,\n  "b": 2\n}\n', ["c"], 3, { a: 1, b: 2, c: 3 }, '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}\n');
  });
  test("a trailing line comment stays on the last member's line", () => {
    set("{\n  a: 1,\n  b: 2 // bee\n}\n", ["c"], 3, { a: 1, b: 2, c: 3 }, "{\n  a: 1,\n  b: 2, // bee\n  c: 3\n}\n");
    set("{\n  a: 1,\n  b: 2, // bee\n}\n", ["c"], 3, { a: 1, b: 2, c: 3 }, "{\n  a: 1,\n  b: 2, // bee\n  c: 3,\n}\n");
    set("{\n  b: 2 /* bee */\n}\n", ["c"], 3, { b: 2, c: 3 }, "{\n  b: 2, /* bee */\n  c: 3\n}\n");
  });
  test("comments after the last member stay below the new member", () => {
    set("{\n  a: 1,\n  // the end\n}\n", ["b"], 2, { a: 1, b: 2 }, "{\n  a: 1,\n  b: 2,\n  // the end\n}\n");
  });
  test("empty root object (keys quoted by default)", () => {
    set("{}", ["b"], 1, { b: 1 }, '{\n  "b": 1\n}');
    set("{ }\n", ["b"], 1, { b: 1 }, '{\n  "b": 1\n}\n');
  });
  test("empty nested object, with and without a comment inside", () => {
    set("{\n  a: {},\n}\n", ["a", "b"], 1, { a: { b: 1 } }, "{\n  a: {\n    b: 1\n  },\n}\n");
    set("{\n  a: {\n    // later\n  },\n}\n", ["a", "b"], 1, { a: { b: 1 } }, "{\n  a: {\n    b: 1,\n    // later\n  },\n}\n");
  });
  test("one-line objects", () => {
    set("{a: 1}", ["b"], 2, { a: 1, b: 2 }, "{a: 1, b: 2}");
    set("{a: 1,}", ["b"], 2, { a: 1, b: 2 }, "{a: 1, b: 2,}");
    set("{ a: 1 }", ["b"], "x", { a: 1, b: "x" }, '{ a: 1, b: "x" }');
    set("{x: {a: 1}}", ["x", "b"], [], { x: { a: 1, b: [] } }, "{x: {a: 1, b: []}}");
  });
  test("creating missing nested objects (gateway.auth.token)", () => {
    const src = '{\n  "gateway": {\n    "port": 1\n  }\n}\n';
    const text = '{\n  "gateway": {\n    "port": 1,\n    "auth": {\n      "token": "t"\n    }\n  }\n}\n';
    set(src, ["gateway", "auth", "token"], "t", { gateway: { port: 1, auth: { token: "t" } } }, text);
    set(src, ["x", "y", "z"], 0, { gateway: { port: 1 }, x: { y: { z: 0 } } });
  });
  test("creating a missing array through index 0", () => {
    set("{\n  a: 1,\n}\n", ["b", 0, "c"], 2, { a: 1, b: [{ c: 2 }] });
    throwsCode(() => setJson5Value("{a: 1}", ["b", 1], 2), "CONFIG_PATH", /index 1 of a missing array/);
  });
  test("an empty source creates a document", () => {
    set("", ["a", "b"], 1, { a: { b: 1 } }, '{\n  "a": {\n    "b": 1\n  }\n}\n');
    set("  \n", ["a"], [1], { a: [1] });
  });
  test("non-identifier keys are quoted even in an unquoted file", () => {
    const src = "{\n  a: 1,\n}\n";
    set(src, ["my-key"], 1, { a: 1, "my-key": 1 }, '{\n  a: 1,\n  "my-key": 1,\n}\n');
    set(src, ["ключ"], 1, { a: 1, ключ: 1 }, '{\n  a: 1,\n  "ключ": 1,\n}\n');
    set(src, [""], 1, { a: 1, "": 1 }, '{\n  a: 1,\n  "": 1,\n}\n');
    set(src, ["$ok_1"], 1, { a: 1, $ok_1: 1 }, "{\n  a: 1,\n  $ok_1: 1,\n}\n");
  });
  test("a __proto__ key is written as an own property", () => {
    const out = setJson5Value("{\n  a: 1\n}\n", ["__proto__", "x"], 1);
    const v = parseJson5(out) as Record<string, unknown>;
    assert.ok(Object.hasOwn(v, "__proto__"));
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(v, "__proto__")?.value, { x: 1 });
    assert.equal(({} as Record<string, unknown>)["x"], undefined);
  });
});

describe("setJson5Value: arrays", () => {
  test("append to an inline array (index == length)", () => {
    set("{a: [1]}", ["a", 1], 2, { a: [1, 2] }, "{a: [1, 2]}");
    set("{a: [1,]}", ["a", 1], 2, { a: [1, 2] }, "{a: [1, 2,]}");
  });
  test("append to a multi-line array", () => {
    set("{\n  a: [\n    1,\n    2\n  ]\n}", ["a", 2], 3, { a: [1, 2, 3] }, "{\n  a: [\n    1,\n    2,\n    3\n  ]\n}");
    set("{\n  a: [\n    1, // one\n  ],\n}", ["a", 1], { b: 2 }, { a: [1, { b: 2 }] }, '{\n  a: [\n    1, // one\n    {\n      b: 2\n    },\n  ],\n}');
    set("{\n  a: [\n    1 // one\n  ],\n}", ["a", 1], 2, { a: [1, 2] }, "{\n  a: [\n    1, // one\n    2\n  ],\n}");
  });
  test("append to an empty array", () => {
    set("{a: []}", ["a", 0], "x", { a: ["x"] }, '{a: [\n  "x"\n]}');
    set("{\n  a: [],\n}", ["a", 0], 1, { a: [1] }, "{\n  a: [\n    1\n  ],\n}");
  });
  test("append with a nested path creates the item", () => {
    set("{a: [{x: 1}]}", ["a", 1, "x"], 2, { a: [{ x: 1 }, { x: 2 }] });
  });
  test("index > length is an error", () => {
    throwsCode(() => setJson5Value("{a: [1]}", ["a", 2], 2), "CONFIG_PATH", /out of range/);
    throwsCode(() => setJson5Value("{a: []}", ["a", 1, "b"], 2), "CONFIG_PATH", /out of range/);
  });
});

describe("setJson5Value: errors", () => {
  test("a path through a scalar is CONFIG_PATH", () => {
    for (const v of ["1", "'s'", "true", "null"]) {
      throwsCode(() => setJson5Value(`{a: ${v}}`, ["a", "b"], 2), "CONFIG_PATH", /cannot set a\.b/);
    }
    throwsCode(() => setJson5Value("{a: {b: [1]}}", ["a", "b", 0, "c"], 2), "CONFIG_PATH", /not an object/);
  });
  test("wrong segment kinds are CONFIG_PATH", () => {
    throwsCode(() => setJson5Value("{a: {}}", ["a", 0], 2), "CONFIG_PATH", /is an object/);
    throwsCode(() => setJson5Value("{a: []}", ["a", "x"], 2), "CONFIG_PATH", /is an array/);
    throwsCode(() => setJson5Value("{a: 1}", [], 2), "CONFIG_PATH", /empty/);
  });
  test("unwritable values, non-object roots and syntax errors", () => {
    throwsCode(() => setJson5Value("{}", ["a"], undefined), "CONFIG_VALUE");
    throwsCode(() => setJson5Value("[]", ["a"], 1), "CONFIG_INVALID");
    assert.throws(() => setJson5Value("{a: ", ["a"], 1), { name: "Json5SyntaxError" });
  });
});

describe("setJson5Value: indentation and quoting style", () => {
  test("two spaces", () => {
    set('{\n  "a": 1\n}\n', ["b", "c"], 2, { a: 1, b: { c: 2 } }, '{\n  "a": 1,\n  "b": {\n    "c": 2\n  }\n}\n');
  });
  test("four spaces", () => {
    set('{\n    "a": 1\n}\n', ["b", "c"], [2], { a: 1, b: { c: [2] } }, '{\n    "a": 1,\n    "b": {\n        "c": [\n            2\n        ]\n    }\n}\n');
  });
  test("tabs", () => {
    const src = '{\n\t"a": {\n\t\t"b": 1\n\t}\n}\n';
    set(src, ["a", "c"], { x: 1 }, { a: { b: 1, c: { x: 1 } } }, '{\n\t"a": {\n\t\t"b": 1,\n\t\t"c": {\n\t\t\t"x": 1\n\t\t}\n\t}\n}\n');
  });
  test("unquoted identifier keys stay unquoted, quoted files stay quoted", () => {
    set("{\n  a: 1\n}\n", ["b"], 2, { a: 1, b: 2 }, "{\n  a: 1,\n  b: 2\n}\n");
    set('{\n  "a": 1\n}\n', ["b"], 2, { a: 1, b: 2 }, '{\n  "a": 1,\n  "b": 2\n}\n');
  });

  test("keys of created nested objects follow the unquoted style", () => {
    const src = "{\n  gateway: {\n    port: 1,\n  },\n}\n";
    const text = "{\n  gateway: {\n    port: 1,\n    auth: {\n      token: \"t\"\n    },\n  },\n}\n";
    set(src, ["gateway", "auth", "token"], "t", { gateway: { port: 1, auth: { token: "t" } } }, text);
  });

  test("inserting into a CRLF file keeps CRLF line endings", () => {
    set("{\r\n  a: 1\r\n}\r\n", ["b"], 2, { a: 1, b: 2 }, "{\r\n  a: 1,\r\n  b: 2\r\n}\r\n");
  });

  test("a block plus line comment after the last member stays on its line", () => {
    set("{\n  a: 1 /* c */ // d\n}\n", ["b"], 2, { a: 1, b: 2 }, "{\n  a: 1, /* c */ // d\n  b: 2\n}\n");
  });

  test("appending to an empty array keeps the comment inside it", () => {
    const out = setJson5Value("{\n  a: [\n    // none yet\n  ],\n}\n", ["a", 0], 1);
    check(out, { a: [1] });
    assert.ok(out.includes("// none yet"), `comment lost: ${JSON.stringify(out)}`);
  });
});

describe("unsetJson5Value", () => {
  const src = "{\n  // about a\n  a: 1,\n  // about b\n  b: 2, // bee\n  /* about c */\n  c: 3,\n}\n";
  test("removes the whole line of a member and keeps neighbouring comments", () => {
    unset(src, ["b"], { a: 1, c: 3 }, "{\n  // about a\n  a: 1,\n  // about b\n  /* about c */\n  c: 3,\n}\n");
    unset(src, ["a"], { b: 2, c: 3 }, "{\n  // about a\n  // about b\n  b: 2, // bee\n  /* about c */\n  c: 3,\n}\n");
    unset(src, ["c"], { a: 1, b: 2 }, "{\n  // about a\n  a: 1,\n  // about b\n  b: 2, // bee\n  /* about c */\n}\n");
  });
  test("removes the dangling comma of the previous member in a JSON object", () => {
    unset('{\n  "a": 1,\n  "b": 2\n}\n', ["b"], { a: 1 }, '{\n  "a": 1\n}\n');
    unset('{\n  "a": 1, // one\n  // two\n  "b": 2\n}\n', ["b"], { a: 1 }, '{\n  "a": 1 // one\n  // two\n}\n');
    unset("{\n  a: 1,\n  b: 2}", ["b"], { a: 1 }, "{\n  a: 1}");
    unset("{\n  a: 1 /* x */,\n  b: 2\n}", ["b"], { a: 1 }, "{\n  a: 1 /* x */\n}");
  });
  test("comma-first style: the comma is found past a line comment", () => {
    const out = unset("{\n  a: 1 // one\n  , b: 2\n}", ["b"], { a: 1 });
    assert.ok(out.includes("a: 1 // one\n"), JSON.stringify(out));
  });
  test("the only member", () => {
    unset("{\n  a: 1\n}\n", ["a"], {}, "{\n}\n");
    unset("{a: 1}", ["a"], {}, "{}");
  });
  test("a member with a multi-line value", () => {
    unset("{\n  a: {\n    x: 1, // in a\n  },\n  b: 2,\n}", ["a"], { b: 2 }, "{\n  b: 2,\n}");
  });
  test("inline objects: first, middle, last", () => {
    const inline = "{a: 1, b: 2, c: 3}";
    unset(inline, ["a"], { b: 2, c: 3 }, "{b: 2, c: 3}");
    unset(inline, ["b"], { a: 1, c: 3 }, "{a: 1, c: 3}");
    unset(inline, ["c"], { a: 1, b: 2 }, "{a: 1, b: 2}");
    unset("{x: {a: 1, /* k */ b: 2}}", ["x", "b"], { x: { a: 1 } }, "{x: {a: 1}}");
    unset("{\n  a: 1, b: 2,\n}", ["a"], { b: 2 }, "{\n  b: 2,\n}");
  });
  test("array items: inline and multi-line", () => {
    unset("{a: [1, 2, 3]}", ["a", 0], { a: [2, 3] }, "{a: [2, 3]}");
    unset("{a: [1, 2, 3]}", ["a", 1], { a: [1, 3] }, "{a: [1, 3]}");
    unset("{a: [1, 2, 3]}", ["a", 2], { a: [1, 2] }, "{a: [1, 2]}");
    unset("{a: [1]}", ["a", 0], { a: [] }, "{a: []}");
    const ml = "{\n  a: [\n    1,\n    // two\n    2\n  ]\n}";
    unset(ml, ["a", 1], { a: [1] }, "{\n  a: [\n    1\n    // two\n  ]\n}");
    unset(ml, ["a", 0], { a: [2] }, "{\n  a: [\n    // two\n    2\n  ]\n}");
    unset("{a: [{x: 1, y: 2}]}", ["a", 0, "y"], { a: [{ x: 1 }] }, "{a: [{x: 1}]}");
  });
  test("CRLF files", () => {
    unset("{\r\n  a: 1,\r\n  b: 2\r\n}\r\n", ["b"], { a: 1 }, "{\r\n  a: 1\r\n}\r\n");
    unset("{\r\n  a: 1,\r\n  b: 2\r\n}\r\n", ["a"], { b: 2 }, "{\r\n  b: 2\r\n}\r\n");
  });
  test("a missing path returns found: false and the source unchanged", () => {
    const s = "{\n  a: {b: [1, {c: 2}]}, // x\n}\n";
    for (const path of [["x"], ["a", "x"], ["a", "b", 5], ["a", "b", 0, "c"], ["a", "b", "c"], ["a", 0], ["a", "b", 1, "d"]] as PathSegment[][]) {
      assert.deepStrictEqual(unsetJson5Value(s, path), { source: s, found: false }, JSON.stringify(path));
    }
    assert.deepStrictEqual(unsetJson5Value("", ["a"]), { source: "", found: false });
    throwsCode(() => unsetJson5Value(s, []), "CONFIG_PATH");
  });

  test("unset of a duplicated key removes the key", () => {
    const out = unsetJson5Value("{a: 1, a: 2, b: 3}", ["a"]);
    assert.equal(out.found, true);
    check(out.source, { b: 3 });
  });
});

// ---------------------------------------------------------------------------------------------
// Randomized property test: edits on a commented document agree with the same edit on a JS model.

const PROPERTY_DOC = `// c0 header
{
  // c1 gateway section
  gateway: {
    port: 18789, // t1
    // c2 bind
    bind: 'loopback',
    auth: {
      // c3 auth mode
      mode: "token",
      token: null,
    },
  },
  /* block */
  agents: {
    list: [
      {id: 'main', model: "gpt"},
      {
        // c4 helper
        id: "helper",
        tools: ['read', 'write',],
      },
    ],
    defaults: {max: 0x10, ratio: .5}
  },
  "quoted-key": [1, 2, 3],
  flags: [
    true, // t2
    false,
  ],
  // c5 misc
  empty: {},
  emptyList: [],
  name: 'demo' // t3
}
// c6 footer
`;
/** Own-line comments and the path of the object that contains them. */
const COMMENTS: readonly [string, PathSegment[]][] = [
  ["// c0 header", []],
  ["// c1 gateway section", []],
  ["// c2 bind", ["gateway"]],
  ["// c3 auth mode", ["gateway", "auth"]],
  ["// c4 helper", ["agents", "list", 1]],
  ["// c5 misc", []],
  ["// c6 footer", []],
];

type Obj = { [key: string]: Json5Value };
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const put = (o: Obj, k: string, v: Json5Value) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
const get = (v: Json5Value, seg: PathSegment): Json5Value => (Array.isArray(v) ? v[seg as number]! : (v as Obj)[seg as string]!);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ["alpha", "beta", "$x", "_y", "port", "with space", "dash-key", "ключ", "", "__proto__", "0", "mode"];
const STRINGS = ["", "plain", "it's", 'say "hi"', "back\\slash", "line\nbreak", "tab\t", "é中😀", "// not a comment", "/* nor */", "\u2028"];

function modelNest(rest: PathSegment[], value: Json5Value): Json5Value {
  let out = value;
  for (let i = rest.length - 1; i >= 0; i--) {
    const seg = rest[i]!;
    if (typeof seg === "number") {
      if (seg !== 0) throw new Error("missing array index");
      out = [out];
    } else out = put({}, seg, out);
  }
  return out;
}

function modelSet(root: Obj, path: PathSegment[], value: Json5Value): void {
  let node: Json5Value = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isObj(node) && typeof seg === "string") {
      if (!Object.hasOwn(node, seg)) return void put(node, seg, modelNest(path.slice(i + 1), value));
      if (last) return void put(node, seg, value);
    } else if (Array.isArray(node) && typeof seg === "number") {
      if (seg === node.length) return void node.push(modelNest(path.slice(i + 1), value));
      if (seg > node.length) throw new Error("out of range");
      if (last) return void node.splice(seg, 1, value);
    } else throw new Error("bad path");
    node = get(node, seg);
  }
}

function modelUnset(root: Obj, path: PathSegment[]): boolean {
  let node: Json5Value = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isObj(node) && typeof seg === "string" && Object.hasOwn(node, seg)) {
      if (last) return delete node[seg];
    } else if (Array.isArray(node) && typeof seg === "number" && seg < node.length) {
      if (last) return node.splice(seg, 1).length === 1;
    } else return false;
    node = get(node, seg);
  }
  return false;
}

/** Every path in the model, with its value. */
function allPaths(v: Json5Value, at: PathSegment[] = [], out: [PathSegment[], Json5Value][] = []): [PathSegment[], Json5Value][] {
  if (at.length > 0) out.push([at, v]);
  if (Array.isArray(v)) v.forEach((x, i) => void allPaths(x, [...at, i], out));
  else if (isObj(v)) for (const k of Object.keys(v)) allPaths(v[k]!, [...at, k], out);
  return out;
}

function reachable(v: Json5Value, out = new Set<Json5Value>()): Set<Json5Value> {
  out.add(v);
  if (Array.isArray(v)) for (const x of v) reachable(x, out);
  else if (isObj(v)) for (const k of Object.keys(v)) reachable(v[k]!, out);
  return out;
}

test("randomized set/unset agrees with a JS model and keeps comments (seeded)", () => {
  const SEEDS = 10;
  const STEPS = 30;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rand = mulberry32(seed * 7919);
    const int = (n: number) => Math.floor(rand() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
    const genValue = (depth: number): Json5Value => {
      const r = int(depth > 1 ? 6 : 8);
      if (r === 0) return int(2000) - 1000;
      if (r === 1) return (int(1000) - 500) / 8;
      if (r === 2) return pick(STRINGS);
      if (r === 3) return rand() < 0.5;
      if (r === 4) return null;
      if (r === 5) return pick([0, 1e21, 123456789.125, -0.5]);
      if (r === 6) return Array.from({ length: int(3) }, () => genValue(depth + 1));
      const o: Obj = {};
      for (let i = int(3); i > 0; i--) put(o, pick(KEYS), genValue(depth + 1));
      return o;
    };

    let source = PROPERTY_DOC;
    const model = parseJson5(source) as Obj;
    const containers = COMMENTS.map(([text, path]) => [text, path.reduce<Json5Value>(get, model)] as const);

    for (let step = 0; step < STEPS; step++) {
      const paths = allPaths(model);
      const objects = [[[], model] as [PathSegment[], Json5Value], ...paths].filter(([, v]) => isObj(v));
      const arrays = paths.filter(([, v]) => Array.isArray(v));
      const scalars = paths.filter(([, v]) => v === null || typeof v !== "object");
      const value = genValue(0);
      const r = rand();
      let op: "set" | "unset" = "set";
      let path: PathSegment[];
      if (r < 0.22 && paths.length > 0) path = pick(paths)[0];
      else if (r < 0.44) {
        path = [...pick(objects)[0], pick(KEYS)];
        if (rand() < 0.4) path.push(rand() < 0.7 ? pick(KEYS) : 0);
      } else if (r < 0.54 && arrays.length > 0) {
        const [p, arr] = pick(arrays);
        path = [...p, (arr as Json5Value[]).length + (rand() < 0.8 ? 0 : 1 + int(2))];
      } else if (r < 0.62) {
        const kind = int(3);
        if (kind === 0 && scalars.length > 0) path = [...pick(scalars)[0], pick(KEYS)];
        else if (kind === 1 && arrays.length > 0) path = [...pick(arrays)[0], "x"];
        else path = [...pick(objects)[0], int(3)];
      } else {
        op = "unset";
        path = rand() < 0.9 && paths.length > 0 ? pick(paths)[0] : [pick(KEYS), "nope", 3];
      }
      const where = `seed ${seed} step ${step}: ${op} ${JSON.stringify(path)} = ${JSON.stringify(value)}\n--- before ---\n${source}`;

      if (op === "unset") {
        const found = modelUnset(model, path);
        const out = unsetJson5Value(source, path);
        assert.equal(out.found, found, where);
        if (!found) assert.equal(out.source, source, where);
        source = out.source;
      } else {
        let modelError: unknown;
        try {
          modelSet(model, path, structuredClone(value));
        } catch (err) {
          modelError = err;
        }
        if (modelError) {
          assert.throws(() => setJson5Value(source, path, value), (e: unknown) => e instanceof AppError && e.code === "CONFIG_PATH", where);
          continue;
        }
        source = setJson5Value(source, path, value);
      }
      assert.deepStrictEqual(parseJson5(source), model, `${where}\n--- after ---\n${source}`);
      const live = reachable(model);
      const lines = new Set(source.split("\n").map((l) => l.trim()));
      assert.doesNotMatch(source, /\n[ \t]*\n/, `${where}\n--- after ---\n${source}\nblank line left behind`);
      for (const [text, container] of containers) {
        if (live.has(container)) assert.ok(lines.has(text), `${where}\n--- after ---\n${source}\nmissing comment line ${text}`);
      }
    }
  }
});
