/**
 * `openclaw completion`: the scripts are generated from the command table and work in the real
 * shells — bash and zsh driven by keystrokes in tmux (`openclaw gat<TAB>` → `gateway`), fish through
 * its own completion engine (`complete -C`); `--write-state --install` caches the script and adds one
 * block to the profile (atomically, the old profile kept, idempotent, a user-managed line left alone).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { COMMANDS, GLOBAL_OPTIONS } from "../../src/cli/commands.js";
import { completionModel, optionChoices, PROFILE_MARKER } from "../../src/cli/completion/index.js";
import { BIN, runBinary, tempHome } from "../helpers/cli.js";
import { startTmux } from "../helpers/tmux.js";

/** A HOME with `openclaw` on PATH (a symlink to the built binary) and the script for `shell` written out. */
async function shellHome(t: { after(fn: () => void): void }, shell: "bash" | "zsh" | "fish") {
  const { home, env } = tempHome(t);
  const bin = path.join(home, "bin");
  mkdirSync(bin);
  symlinkSync(BIN, path.join(bin, "openclaw"));
  const pathEnv = `${bin}:${path.dirname(process.execPath)}:${process.env.PATH}`;
  const r = await runBinary(["completion", "--shell", shell], { env: { ...env, PATH: pathEnv } });
  assert.equal(r.code, 0, r.stderr);
  const script = path.join(home, `openclaw.${shell}`);
  writeFileSync(script, r.stdout);
  return { home, env: { ...env, PATH: pathEnv }, script };
}

describe("openclaw completion", () => {
  test("bash in a terminal: openclaw gat<TAB> completes to gateway, then its subcommands and a flag's values", async (t) => {
    const { env, script } = await shellHome(t, "bash");
    const term = startTmux(t, ["bash", "--norc", "--noprofile"], { ...env, PS1: "$ " });
    term.send(`source ${script}; echo ready-$((40+2))`);
    term.send("Enter", { keys: true });
    await term.waitFor(/ready-42/, "the script loads without errors");
    term.send("openclaw gat");
    term.send("Tab", { keys: true });
    await term.waitFor(/\$ openclaw gateway $/m, "gat<TAB> completes to gateway");
    term.send("st");
    term.send("Tab", { keys: true });
    term.send("Tab", { keys: true });
    await term.waitFor(/start\s+status\s+stop/, "st<TAB><TAB> lists start, status and stop");
    term.send("C-u", { keys: true });
    term.send("openclaw gateway run --bind tail");
    term.send("Tab", { keys: true });
    await term.waitFor(/--bind tailnet $/m, "a flag's listed values complete");
    assert.doesNotMatch(term.screen(), /command not found|syntax error/);
  });

  test("zsh in a terminal (bashcompinit): openclaw gat<TAB> completes to gateway", async (t) => {
    const { env, script } = await shellHome(t, "zsh");
    const term = startTmux(t, ["zsh", "-f"], { ...env, PS1: "%% " });
    term.send(`source ${script}; echo ready-$((40+2))`);
    term.send("Enter", { keys: true });
    await term.waitFor(/ready-42/, "the zsh script loads");
    term.send("openclaw gat");
    term.send("Tab", { keys: true });
    await term.waitFor(/% openclaw gateway $/m, "gat<TAB> completes to gateway in zsh");
  });

  test("fish's completion engine offers subcommands with their summaries and a flag's values", async (t) => {
    const { env, script } = await shellHome(t, "fish");
    const run = (line: string) => spawnSync("fish", ["--no-config", "-c", `source ${script}; complete -C ${JSON.stringify(line)}`], { env: env as NodeJS.ProcessEnv, encoding: "utf8", timeout: 20_000 });
    const gat = run("openclaw gat");
    assert.equal(gat.status, 0, gat.stderr);
    assert.match(gat.stdout, /^gateway\tRun the gateway/m);
    assert.deepEqual(run("openclaw gateway st").stdout.split("\n").filter(Boolean).map((l) => l.split("\t")[0]), ["start", "status", "stop"]);
    assert.deepEqual(run("openclaw --profile dev completion --shell ").stdout.split("\n").filter(Boolean).map((l) => l.split("\t")[0]).sort(), ["bash", "fish", "zsh"]);
  });

  test("--write-state --install: cached scripts, one profile block, idempotent, the old profile kept, a user-managed line left alone", async (t) => {
    const { home, env } = tempHome(t);
    const bashrc = path.join(home, ".bashrc");
    writeFileSync(bashrc, "# mine\nalias ll='ls -l'\nsource <(openclaw completion --shell bash)\n");
    const noCache = await runBinary(["completion", "--shell", "bash", "--install"], { env });
    assert.notEqual(noCache.code, 0, "install without a cache fails");
    assert.match(noCache.stderr, /--write-state/);
    assert.equal(readFileSync(bashrc, "utf8"), "# mine\nalias ll='ls -l'\nsource <(openclaw completion --shell bash)\n", "a failed install leaves the profile untouched");

    const r = await runBinary(["completion", "--shell", "bash", "--write-state", "--install", "--json"], { env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { written: string[]; installed: { profile: string; changed: boolean; backup?: string } };
    const cache = path.join(home, ".openclaw", "completions", "openclaw.bash");
    assert.deepEqual(out.written, [cache]);
    assert.equal(out.installed.changed, true);
    assert.equal(out.installed.backup, `${bashrc}.bak`);
    const profile = readFileSync(bashrc, "utf8");
    assert.equal(profile, `# mine\nalias ll='ls -l'\n\n${PROFILE_MARKER}\n[ -f '${cache}' ] && source '${cache}'\n`, "the slow source <(…) line was replaced by the cached one");
    assert.match(readFileSync(`${bashrc}.bak`, "utf8"), /source <\(openclaw completion/);
    // The installed profile really registers completion in an interactive bash.
    const registered = spawnSync("bash", ["-ic", "complete -p openclaw"], { env: env as NodeJS.ProcessEnv, encoding: "utf8", timeout: 20_000 });
    assert.match(registered.stdout, /-F _openclaw_completion openclaw/);

    const again = await runBinary(["completion", "--shell", "bash", "--install", "--json"], { env });
    assert.equal((JSON.parse(again.stdout) as { installed: { changed: boolean } }).installed.changed, false, "a second install changes nothing");
    assert.equal(readFileSync(bashrc, "utf8"), profile);

    const zshrc = path.join(home, ".zshrc");
    const managed = `[[ -f "\${HOME}/.openclaw/completions/openclaw.zsh" ]] && source "\${HOME}/.openclaw/completions/openclaw.zsh"\n`;
    writeFileSync(zshrc, managed);
    const z = await runBinary(["completion", "--shell", "zsh", "--write-state", "--install"], { env });
    assert.equal(z.code, 0, z.stderr);
    assert.match(z.stdout, /line you manage/);
    assert.equal(readFileSync(zshrc, "utf8"), managed, "a user-managed line is left byte-for-byte");

    const bad = await runBinary(["completion", "--shell", "tcsh"], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unsupported shell "tcsh".*\n.*bash\|zsh\|fish/);
  });

  test("the prebuilt script the shim prints is exactly what the CLI generates from the table now", async (t) => {
    const { env } = tempHome(t);
    for (const shell of ["bash", "zsh", "fish"]) {
      const fast = await runBinary(["completion", "--shell", shell], { env });
      const generated = await runBinary(["completion", "--shell", shell, "--json"], { env });
      assert.equal(fast.code, 0, fast.stderr);
      assert.equal(fast.stdout, (JSON.parse(generated.stdout) as { script: string }).script, `${shell}: dist/completions is current (run npm run build)`);
    }
  });

  test("the model covers every command in the table, and listed values are parsed from placeholders and descriptions", () => {
    const nodes = completionModel(COMMANDS, GLOBAL_OPTIONS);
    for (const spec of COMMANDS) {
      const parent = nodes.find((n) => n.key === spec.path.slice(0, -1).join(" "));
      assert.ok(parent?.subcommands.some((s) => s.name === spec.path.at(-1)), `${spec.path.join(" ")} is offered`);
    }
    assert.deepEqual(optionChoices({ name: "shell", type: "string", value: "<bash|zsh|fish>", description: "x" }), ["bash", "zsh", "fish"]);
    assert.deepEqual(optionChoices({ name: "bind", type: "string", value: "<mode>", description: "loopback|lan|tailnet" }), ["loopback", "lan", "tailnet"]);
    assert.deepEqual(optionChoices({ name: "output", type: "string", value: "<file>", description: "Archive path" }), []);
  });
});
