/** discord.js (about a second to import) loads only when a Discord account needs it, never with the channel layer. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";

const root = path.resolve(import.meta.dirname, "../../..");

function loadedAfter(script: string): number {
  const code = `import { createRequire } from "node:module";\n${script}\nconst req = createRequire(import.meta.url);\nconsole.log(Object.keys(req.cache).filter((k) => /[\\\\/](discord\\.js|@discordjs)[\\\\/]/.test(k)).length);`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { cwd: root, encoding: "utf8", timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout.trim().split("\n").at(-1));
}

test("importing the channel layer loads no discord.js module; the first probe does", () => {
  assert.equal(loadedAfter(`await import("./src/channels/index.ts");`), 0);
  // The checker can fail: a probe (even one that cannot connect) imports discord.js.
  const probed = loadedAfter(`const c = await import("./src/channels/index.ts");\nawait new c.DiscordAccount(c.resolveDiscordAccount({ token: "t" }, "default", { DISCORD_API_URL: "http://127.0.0.1:9/api/v10" })).probe(500);`);
  assert.ok(probed > 0, `discord.js modules after a probe: ${probed}`);
});
