/** The CLI entry: wires process streams and signals to the shell, then sets the exit code. */
import { runCli } from "./shell.js";

export async function main(argv: readonly string[]): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  process.on("SIGINT", () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    controller.abort();
  });
  const code = await runCli(argv, {
    env: process.env,
    cwd: process.cwd(),
    io: { stdout: process.stdout, stderr: process.stderr, signal: controller.signal },
  });
  process.exitCode = code;
}
