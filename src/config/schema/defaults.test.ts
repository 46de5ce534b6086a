import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { knownKeysAt } from "../issues.js";
import { defaultValueAt } from "../lookup.js";
import { CONFIG_DEFAULTS } from "./defaults.js";
import { ConfigSchema } from "./index.js";

/** Every leaf key under which the schema supplies a default, found by walking the schema. */
function schemaLeafDefaults(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (at: string[], depth: number) => {
    if (depth > 8) return;
    for (const key of knownKeysAt(ConfigSchema, at)) {
      const p = [...at, key];
      const v = defaultValueAt(p);
      if (v !== undefined && (v === null || typeof v !== "object")) out[p.join(".")] = v;
      walk(p, depth + 1);
    }
  };
  walk([], 0);
  return out;
}

test("CONFIG_DEFAULTS is exactly the schema's leaf defaults (edit the table with the schema)", () => {
  const fromSchema = schemaLeafDefaults();
  assert.ok(Object.keys(fromSchema).length >= 10, "the walk finds the schema's defaults");
  assert.deepEqual({ ...CONFIG_DEFAULTS }, fromSchema);
});

test("the table is plain data: it imports nothing (so config get never loads zod for it)", () => {
  const text = readFileSync(new URL("./defaults.ts", import.meta.url), "utf8");
  assert.doesNotMatch(text, /^\s*import\s/m);
});
