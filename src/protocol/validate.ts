/**
 * A small validator for method params: enough to check shapes and ranges with one-line errors,
 * without loading a schema library on the CLI's fast paths.
 */

export type Validator<T> = ((value: unknown, path: string) => T) & { optional?: boolean; describe: () => unknown };

export class ParamsError extends Error {}

function fail(path: string, expected: string, value: unknown): never {
  const got = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  throw new ParamsError(`${path || "params"}: expected ${expected}, got ${got}`);
}

function make<T>(fn: (value: unknown, path: string) => T, describe: () => unknown): Validator<T> {
  return Object.assign(fn, { describe });
}

export const v = {
  string: (opts: { min?: number; max?: number } = {}) =>
    make<string>(
      (x, p) => {
        if (typeof x !== "string") fail(p, "string", x);
        if (opts.min !== undefined && x.length < opts.min) throw new ParamsError(`${p}: must have at least ${opts.min} characters`);
        if (opts.max !== undefined && x.length > opts.max) throw new ParamsError(`${p}: must have at most ${opts.max} characters`);
        return x;
      },
      () => ({ type: "string", ...(opts.min !== undefined ? { minLength: opts.min } : {}), ...(opts.max !== undefined ? { maxLength: opts.max } : {}) }),
    ),
  int: (opts: { min?: number; max?: number } = {}) =>
    make<number>(
      (x, p) => {
        if (typeof x !== "number" || !Number.isInteger(x)) fail(p, "integer", x);
        if (opts.min !== undefined && x < opts.min) throw new ParamsError(`${p}: must be >= ${opts.min}`);
        if (opts.max !== undefined && x > opts.max) throw new ParamsError(`${p}: must be <= ${opts.max}`);
        return x;
      },
      () => ({ type: "integer", ...(opts.min !== undefined ? { minimum: opts.min } : {}), ...(opts.max !== undefined ? { maximum: opts.max } : {}) }),
    ),
  /** A finite number (integers and fractions). */
  number: (opts: { min?: number; max?: number } = {}) =>
    make<number>(
      (x, p) => {
        if (typeof x !== "number" || !Number.isFinite(x)) fail(p, "finite number", x);
        if (opts.min !== undefined && x < opts.min) throw new ParamsError(`${p}: must be >= ${opts.min}`);
        if (opts.max !== undefined && x > opts.max) throw new ParamsError(`${p}: must be <= ${opts.max}`);
        return x;
      },
      () => ({ type: "number", ...(opts.min !== undefined ? { minimum: opts.min } : {}), ...(opts.max !== undefined ? { maximum: opts.max } : {}) }),
    ),
  boolean: () => make<boolean>((x, p) => (typeof x === "boolean" ? x : fail(p, "boolean", x)), () => ({ type: "boolean" })),
  enum: <const E extends string>(values: readonly E[]) =>
    make<E>(
      (x, p) => (typeof x === "string" && (values as readonly string[]).includes(x) ? (x as E) : fail(p, `one of ${values.join("|")}`, x)),
      () => ({ enum: values }),
    ),
  any: () => make<unknown>((x) => x, () => ({})),
  array: <T>(item: Validator<T>) =>
    make<T[]>(
      (x, p) => {
        if (!Array.isArray(x)) fail(p, "array", x);
        return x.map((e, i) => item(e, `${p}[${i}]`));
      },
      () => ({ type: "array", items: item.describe() }),
    ),
  optional: <T>(inner: Validator<T>) =>
    Object.assign(make<T | undefined>((x, p) => (x === undefined ? undefined : inner(x, p)), inner.describe), { optional: true }),
  object: <S extends Record<string, Validator<unknown>>>(shape: S, opts: { passthrough?: boolean } = {}) =>
    make<{ [K in keyof S]: ReturnType<S[K]> }>(
      (x, p) => {
        const value = x === undefined ? {} : x;
        if (value === null || typeof value !== "object" || Array.isArray(value)) fail(p, "object", x);
        const obj = value as Record<string, unknown>;
        if (!opts.passthrough) {
          for (const key of Object.keys(obj)) if (!(key in shape)) throw new ParamsError(`${p ? `${p}.` : ""}${key}: unknown parameter`);
        }
        const out: Record<string, unknown> = opts.passthrough ? { ...obj } : {};
        for (const [key, check] of Object.entries(shape)) {
          const r = check(obj[key], p ? `${p}.${key}` : key);
          if (r !== undefined) out[key] = r;
        }
        return out as { [K in keyof S]: ReturnType<S[K]> };
      },
      () => ({
        type: "object",
        properties: Object.fromEntries(Object.entries(shape).map(([k, c]) => [k, c.describe()])),
        required: Object.entries(shape).filter(([, c]) => !c.optional).map(([k]) => k),
        additionalProperties: Boolean(opts.passthrough),
      }),
    ),
};
