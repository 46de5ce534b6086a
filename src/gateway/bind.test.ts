import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { NetworkInterfaceInfo } from "node:os";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { resolveBindHosts } from "./bind.js";
import { findTailnetAddress } from "./tailscale.js";

const v4 = (address: string): NetworkInterfaceInfo => ({ address, family: "IPv4", netmask: "255.192.0.0", mac: "00:00:00:00:00:00", internal: false, cidr: `${address}/10` });
const lo = { lo: [{ ...v4("127.0.0.1"), internal: true }] };

function pathWith(t: { after(fn: () => void): void }, withTailscale: boolean): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-bin-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  if (withTailscale) {
    writeFileSync(path.join(dir, "tailscale"), "#!/bin/sh\nexit 0\n");
    chmodSync(path.join(dir, "tailscale"), 0o755);
  }
  return dir;
}

test("the tailnet address is the first IPv4 in 100.64/10 (not 100.128+, not IPv6)", () => {
  assert.equal(findTailnetAddress({ ...lo, eth0: [v4("192.168.1.4")], tailscale0: [{ ...v4("fd7a::1"), family: "IPv6", scopeid: 0 }, v4("100.101.102.103")] }), "100.101.102.103");
  assert.equal(findTailnetAddress({ eth0: [v4("100.128.0.1"), v4("100.63.255.255")] }), undefined);
  assert.equal(findTailnetAddress({ ts: [v4("100.64.0.1")] }), "100.64.0.1");
});

test("bind tailnet listens on the tailnet address and 127.0.0.1", () => {
  const warnings: string[] = [];
  const hosts = resolveBindHosts("tailnet", undefined, { interfaces: () => ({ ...lo, tailscale0: [v4("100.90.1.2")] }), warn: (l) => warnings.push(l) });
  assert.deepEqual(hosts, ["100.90.1.2", "127.0.0.1"]);
  assert.deepEqual(warnings, []);
});

test("bind tailnet without a tailnet address falls back to loopback with a warning naming a missing tailscale binary", (t) => {
  const warnings: string[] = [];
  const none = { interfaces: () => lo, warn: (l: string) => warnings.push(l) };
  assert.deepEqual(resolveBindHosts("tailnet", undefined, { ...none, env: { PATH: pathWith(t, false) } }), ["127.0.0.1"]);
  assert.match(warnings[0] ?? "", /tailscale not found: install Tailscale or use --bind loopback/);
  assert.deepEqual(resolveBindHosts("tailnet", undefined, { ...none, env: { PATH: pathWith(t, true) } }), ["127.0.0.1"]);
  assert.match(warnings[1] ?? "", /no Tailscale \(100\.x\) address found .*loopback only/);
  assert.doesNotMatch(warnings[1] ?? "", /not found/);
});

test("other bind modes are unchanged", () => {
  assert.deepEqual(resolveBindHosts("loopback", undefined), ["127.0.0.1", "::1"]);
  assert.deepEqual(resolveBindHosts("lan", undefined), ["0.0.0.0"]);
  assert.deepEqual(resolveBindHosts("custom", "10.0.0.5"), ["10.0.0.5"]);
  assert.throws(() => resolveBindHosts("custom", undefined), /customBindHost/);
});
