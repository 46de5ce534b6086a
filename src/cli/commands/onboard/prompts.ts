/**
 * The prompts `onboard` and `configure` ask, on @clack/prompts. A cancelled prompt (Ctrl-C or Esc)
 * throws INTERRUPTED (exit 130) before anything is written. Secrets are typed into masked fields
 * and never echoed.
 */
import * as p from "@clack/prompts";
import { AppError } from "../../../shared/index.js";

export interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
}

function answered<T>(value: T | symbol): T {
  if (typeof value === "symbol" || p.isCancel(value)) {
    p.cancel("Cancelled: nothing was written.");
    throw new AppError("INTERRUPTED", "cancelled; nothing was written");
  }
  return value;
}

/** A text field; an empty answer takes `fallback`. */
export async function askText(message: string, o: { fallback?: string; validate?: (v: string) => string | undefined } = {}): Promise<string> {
  const value = answered<string>(
    await p.text({
      message,
      ...(o.fallback !== undefined ? { placeholder: o.fallback, defaultValue: o.fallback } : {}),
      validate: (v) => o.validate?.(v?.trim() || o.fallback || ""),
    }),
  );
  return (value ?? "").trim() || o.fallback || "";
}

/** A masked field (API keys, tokens). */
export async function askSecret(message: string, validate?: (v: string) => string | undefined): Promise<string> {
  const value = answered<string>(await p.password({ message, validate: (v) => (v?.trim() ? validate?.(v.trim()) : "required") }));
  return value.trim();
}

export async function askSelect<T extends string>(message: string, options: Choice<T>[], initial?: T): Promise<T> {
  // clack's Option type is conditional on the value type; the choices are plain strings.
  const opts = options.map((o) => ({ value: o.value, label: o.label, ...(o.hint ? { hint: o.hint } : {}) })) as Parameters<typeof p.select<T>>[0]["options"];
  return answered<T>(await p.select<T>({ message, options: opts, ...(initial !== undefined ? { initialValue: initial } : {}) }));
}

export async function askConfirm(message: string, initial = true): Promise<boolean> {
  return answered<boolean>(await p.confirm({ message, initialValue: initial }));
}

export const say = {
  intro: (title: string) => p.intro(title),
  outro: (text: string) => p.outro(text),
  note: (text: string, title?: string) => p.note(text, title),
  info: (text: string) => p.log.info(text),
  warn: (text: string) => p.log.warn(text),
  step: (text: string) => p.log.step(text),
};
