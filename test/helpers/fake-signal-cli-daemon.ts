/**
 * The process behind `writeFakeSignalCliBin`: parses signal-cli's daemon argv and serves the
 * loopback stand-in on the `--http` address until SIGTERM/SIGINT. Any other command exits 1 with
 * signal-cli's style of usage error, so a wrong argv fails loudly.
 */
import { appendFileSync } from "node:fs";
import { startFakeSignalCli } from "./fake-signal-cli.js";

const argv = process.argv.slice(2);
if (process.env.FAKE_SIGNAL_CLI_ARGV) appendFileSync(process.env.FAKE_SIGNAL_CLI_ARGV, `${JSON.stringify(argv)}\n`);
let account: string | undefined;
let http: string | undefined;
let command: string | undefined;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i] as string;
  if (a === "-a" || a === "--account") account = argv[++i];
  else if (a === "--config") i++;
  else if (a === "--http") http = argv[++i];
  else if (a.startsWith("--http=")) http = a.slice("--http=".length);
  else if (a === "--receive-mode") i++;
  else if (!a.startsWith("-") && command === undefined) command = a;
}
if (command !== "daemon" || !http) {
  process.stderr.write(`fake signal-cli: unsupported invocation: ${argv.join(" ")}\n`);
  process.exit(1);
}
const at = http.lastIndexOf(":");
const host = http.slice(0, at).replace(/^\[|\]$/g, "");
const port = Number(http.slice(at + 1));
const fake = await startFakeSignalCli({ ...(account ? { account } : { accounts: [] }), host, port });
process.stdout.write(`INFO  HttpServerHandler - Starting server on /${host}:${fake.port}\n`);
const quit = () => void fake.close().then(() => process.exit(0));
process.on("SIGTERM", quit);
process.on("SIGINT", quit);
