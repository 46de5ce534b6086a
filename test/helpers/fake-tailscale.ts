/**
 * A fake `tailscale` CLI for tests: a shell script in a temp PATH dir that records each argv line,
 * answers `status --json` with a MagicDNS name, and fails one chosen subcommand (exit 1 + stderr).
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** The fake's MagicDNS name (without the trailing dot `status --json` prints). */
export const FAKE_MAGICDNS = "box.tail1234.ts.net";

export interface FakeTailscale {
  /** The dir to put first on PATH. */
  dir: string;
  /** `{PATH}` with the fake first. */
  env: { PATH: string };
  /** The argv lines it was called with, in order. */
  calls(): string[];
}

/** Creates the fake; `failOn` makes that subcommand (not its `reset`) fail with Tailscale's HTTPS-not-enabled text. */
export function fakeTailscale(t: { after(fn: () => unknown): void }, opts: { failOn?: string } = {}): FakeTailscale {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-fake-ts-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, "calls.log");
  const script = `#!/bin/sh
echo "$*" >> "${log}"
if [ "$1" = "${opts.failOn ?? "__none__"}" ] && [ "$2" != "reset" ]; then
  echo "error: Serve is not enabled on your tailnet." >&2
  echo "To enable, visit: https://login.tailscale.com/f/serve" >&2
  exit 1
fi
if [ "$1" = "status" ]; then
  echo '{"BackendState":"Running","Self":{"DNSName":"${FAKE_MAGICDNS}.","TailscaleIPs":["100.101.102.103"]}}'
fi
exit 0
`;
  writeFileSync(path.join(dir, "tailscale"), script);
  chmodSync(path.join(dir, "tailscale"), 0o755);
  return { dir, env: { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ""}` }, calls: () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : []) };
}
