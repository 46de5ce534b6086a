import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { tempDirFactory } from "../../test/helpers/temp.js";
import { resolveGatewayPortDetail } from "../config/index.js";
import { AppError } from "../shared/index.js";
import { resolvePaths } from "./paths.js";
import { applyProfile, resolveCommandEnv } from "./profile.js";

const tempHome = tempDirFactory("profile");

function profileError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, "PROFILE");
    return error;
  }
  assert.fail("expected a PROFILE error");
}

describe("applyProfile", () => {
  test("no flag returns the env unchanged", () => {
    const env = { HOME: tempHome() };
    assert.deepEqual(applyProfile({}, env), { env, warnings: [] });
  });

  test("--profile work sets OPENCLAW_PROFILE, STATE_DIR and CONFIG_PATH without touching the input", () => {
    const home = tempHome();
    const env = { HOME: home };
    const { env: out, warnings } = applyProfile({ profile: "work" }, env);
    assert.equal(out.OPENCLAW_PROFILE, "work");
    assert.equal(out.OPENCLAW_STATE_DIR, path.join(home, ".openclaw-work"));
    assert.equal(out.OPENCLAW_CONFIG_PATH, path.join(home, ".openclaw-work", "openclaw.json"));
    assert.equal(out.OPENCLAW_GATEWAY_PORT, undefined);
    assert.deepEqual(warnings, []);
    assert.deepEqual(env, { HOME: home });
  });

  test("the profile env resolves to the profile's paths and workspace", () => {
    const home = tempHome();
    const paths = resolvePaths(applyProfile({ profile: "rescue" }, { HOME: home }).env);
    assert.equal(paths.stateDir, path.join(home, ".openclaw-rescue"));
    assert.equal(paths.configPath, path.join(home, ".openclaw-rescue", "openclaw.json"));
    assert.equal(paths.layout.defaultWorkspaceDir, path.join(home, ".openclaw", "workspace-rescue"));
  });

  test('the profile "default" maps to ~/.openclaw', () => {
    const home = tempHome();
    const { env } = applyProfile({ profile: "default" }, { HOME: home });
    assert.equal(env.OPENCLAW_STATE_DIR, path.join(home, ".openclaw"));
    assert.equal(env.OPENCLAW_CONFIG_PATH, path.join(home, ".openclaw", "openclaw.json"));
  });

  test("profile dirs follow OPENCLAW_HOME", () => {
    const home = tempHome();
    const { env } = applyProfile({ profile: "work" }, { HOME: home, OPENCLAW_HOME: "~/alt" });
    assert.equal(env.OPENCLAW_STATE_DIR, path.join(home, "alt", ".openclaw-work"));
  });

  test("--dev is profile dev; the port is the profile's default, not an exported variable", () => {
    const home = tempHome();
    const { env, warnings } = applyProfile({ dev: true }, { HOME: home });
    assert.equal(env.OPENCLAW_PROFILE, "dev");
    assert.equal(env.OPENCLAW_STATE_DIR, path.join(home, ".openclaw-dev"));
    // An exported port would outrank the dev config and the dev service's own port.
    assert.equal(env.OPENCLAW_GATEWAY_PORT, undefined);
    assert.equal(resolveGatewayPortDetail({ env, input: {} }).port, 19001);
    assert.equal(resolveGatewayPortDetail({ env, input: {} }).source, "profile");
    assert.deepEqual(warnings, []);
  });

  test("--dev keeps an OPENCLAW_GATEWAY_PORT that is already set", () => {
    const { env } = applyProfile({ dev: true }, { HOME: tempHome(), OPENCLAW_GATEWAY_PORT: "12345" });
    assert.equal(env.OPENCLAW_GATEWAY_PORT, "12345");
  });

  test("--dev with --profile is refused", () => {
    const home = tempHome();
    assert.equal(profileError(() => applyProfile({ dev: true, profile: "work" }, { HOME: home })).message, "Cannot combine --dev with --profile");
    assert.equal(profileError(() => applyProfile({ dev: true, profile: "dev" }, { HOME: home })).message, "Cannot combine --dev with --profile");
  });

  for (const bad of ["", "../evil", "a b", "a/b", "wörk", "x.y"]) {
    test(`the invalid profile name ${JSON.stringify(bad)} is refused`, () => {
      const err = profileError(() => applyProfile({ profile: bad }, { HOME: tempHome() }));
      assert.ok(err.message.includes(JSON.stringify(bad)), err.message);
    });
  }

  test("names with letters, digits, _ and - are accepted", () => {
    const home = tempHome();
    assert.equal(applyProfile({ profile: "Work_2-b" }, { HOME: home }).env.OPENCLAW_STATE_DIR, path.join(home, ".openclaw-Work_2-b"));
  });

  test("an inherited OPENCLAW_STATE_DIR that disagrees loses to the flag, with a warning naming both", () => {
    const home = tempHome();
    const inherited = path.join(home, "somewhere-else");
    const { env, warnings } = applyProfile({ profile: "work" }, { HOME: home, OPENCLAW_STATE_DIR: inherited });
    const expected = path.join(home, ".openclaw-work");
    assert.equal(env.OPENCLAW_STATE_DIR, expected);
    const line = warnings.find((w) => w.includes("OPENCLAW_STATE_DIR"));
    assert.ok(line, JSON.stringify(warnings));
    assert.ok(line.includes(inherited), line);
    assert.ok(line.includes(expected), line);
    assert.ok(line.includes("--profile work"), line);
  });

  test("inherited OPENCLAW_CONFIG_PATH and OPENCLAW_PROFILE that disagree are overridden with warnings", () => {
    const home = tempHome();
    const { env, warnings } = applyProfile({ dev: true }, { HOME: home, OPENCLAW_CONFIG_PATH: "/etc/oc.json", OPENCLAW_PROFILE: "work" });
    assert.equal(env.OPENCLAW_CONFIG_PATH, path.join(home, ".openclaw-dev", "openclaw.json"));
    assert.equal(env.OPENCLAW_PROFILE, "dev");
    assert.ok(warnings.some((w) => w.includes("OPENCLAW_CONFIG_PATH=/etc/oc.json") && w.includes("--dev")), JSON.stringify(warnings));
    assert.ok(warnings.some((w) => w.includes("OPENCLAW_PROFILE=work")), JSON.stringify(warnings));
  });

  test("inherited variables that agree with the flag produce no warning", () => {
    const home = tempHome();
    const { warnings } = applyProfile(
      { profile: "work" },
      { HOME: home, OPENCLAW_PROFILE: "work", OPENCLAW_STATE_DIR: "~/.openclaw-work/", OPENCLAW_CONFIG_PATH: "~/.openclaw-work/openclaw.json" },
    );
    assert.deepEqual(warnings, []);
  });
});

describe("resolveCommandEnv", () => {
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text, { mode: 0o600 });
  };

  test("fills from the profile's .env, then its service env file, never over the process env", () => {
    const home = tempHome();
    const stateDir = path.join(home, ".openclaw-work");
    write(path.join(stateDir, ".env"), "A=from-dotenv\nB=from-dotenv\nEMPTY_HERE=filled\n");
    write(path.join(stateDir, "gateway.env"), "B=from-service\nC=from-service\n");
    write(path.join(home, ".openclaw", ".env"), "D=from-default-profile\n");
    const { env, sources, warnings } = resolveCommandEnv({ profile: "work" }, { HOME: home, A: "from-shell", EMPTY_HERE: "" });
    assert.equal(env.A, "from-shell");
    assert.equal(env.B, "from-dotenv", ".env comes before the service env file");
    assert.equal(env.C, "from-service");
    assert.equal(env.D, undefined, "another profile's .env is not read");
    assert.equal(env.EMPTY_HERE, "", "an exported empty variable is set (reported as empty), not filled");
    assert.deepEqual(sources, { B: path.join(stateDir, ".env"), C: path.join(stateDir, "gateway.env") });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^warning: B differs between .*\.env and .*gateway\.env/);
    assert.ok(!warnings[0]!.includes("from-"), "values never appear in the warning");
  });

  test("a .env cannot move the state dir, config path, profile or home", () => {
    const home = tempHome();
    write(path.join(home, ".openclaw", ".env"), "OPENCLAW_STATE_DIR=/elsewhere\nOPENCLAW_CONFIG_PATH=/elsewhere/x.json\nOPENCLAW_PROFILE=evil\nHOME=/nope\nOK=1\n");
    const { env } = resolveCommandEnv({}, { HOME: home });
    assert.equal(env.OPENCLAW_STATE_DIR, undefined);
    assert.equal(env.OPENCLAW_CONFIG_PATH, undefined);
    assert.equal(env.OPENCLAW_PROFILE, undefined);
    assert.equal(env.HOME, home);
    assert.equal(env.OK, "1");
  });
});
