/** The program version: injected at build time, read from package.json when running from source. */
import { readFileSync } from "node:fs";

declare const __OPENCLAW_VERSION__: string | undefined;

export function readVersion(): string {
  if (typeof __OPENCLAW_VERSION__ === "string") return __OPENCLAW_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
