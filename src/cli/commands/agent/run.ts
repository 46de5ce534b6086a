/**
 * `openclaw agent --message <text> (--agent|--session-id|--session-key|--to) [--json] [--timeout <s>]`:
 * one agent turn through the gateway. The `agent` method answers twice: accepted, then the final
 * result; on a TTY the reply streams as it arrives (from `agent` events of this run). Exit 0 on a
 * completed turn, 1 on error, abort or timeout (OpenClaw's codes). Ctrl-C aborts the run
 * (`chat.abort`) before exiting.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { AppError, type ExitCode } from "../../../shared/index.js";
import { withGateway } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";

const MAX_MESSAGE_FILE_BYTES = 4 * 1024 * 1024;

type Obj = Record<string, unknown>;
const opt = (v: unknown) => (typeof v === "string" ? v : undefined);

function messageOf(options: Obj): string {
  const text = opt(options.message);
  const file = opt(options["message-file"]);
  if (text !== undefined && file !== undefined) throw new AppError("USAGE", "pass --message or --message-file, not both");
  if (file !== undefined) {
    const buf = readFileSync(file === "-" ? 0 : file);
    if (buf.length > MAX_MESSAGE_FILE_BYTES) throw new AppError("USAGE", `--message-file ${file} is over 4 MiB`);
    return buf.toString("utf8").replace(/^\uFEFF/, "");
  }
  if (text === undefined || !text.trim()) throw new AppError("USAGE", "no message: pass --message <text> or --message-file <path>", { hint: 'openclaw agent --agent main --message "hello"' });
  return text;
}

export const run: CommandHandler = async (ctx) => {
  const o = ctx.options as Obj;
  for (const flag of ["agent", "session-id", "session-key", "to"]) {
    if (typeof o[flag] === "string" && !(o[flag] as string).trim()) throw new AppError("USAGE", `--${flag} must not be blank`);
  }
  if (![o.agent, o["session-id"], o["session-key"], o.to].some((v) => typeof v === "string")) {
    throw new AppError("USAGE", "no target session selected: use --agent <id>, --session-key <key>, --session-id <id> or --to <number>", { hint: "Run openclaw agents list to see agents." });
  }
  const message = messageOf(o);
  if (/^\/compact\b/.test(message.trim())) throw new AppError("USAGE", "slash commands cannot run via --message; use: openclaw sessions compact <key>");
  const timeoutSeconds = typeof o.timeout === "number" ? o.timeout : undefined;
  if (timeoutSeconds !== undefined && !(timeoutSeconds >= 0)) throw new AppError("USAGE", "--timeout must be a number of seconds ≥ 0");
  const params: Obj = {
    message,
    ...(opt(o.agent) ? { agentId: opt(o.agent) } : {}),
    ...(opt(o["session-key"]) ? { sessionKey: opt(o["session-key"]) } : {}),
    ...(opt(o["session-id"]) ? { sessionId: opt(o["session-id"]) } : {}),
    ...(opt(o.to) ? { to: opt(o.to) } : {}),
    ...(opt(o.channel) ? { channel: opt(o.channel) } : {}),
    ...(opt(o.model) ? { model: opt(o.model) } : {}),
    ...(opt(o.thinking) ? { thinking: opt(o.thinking) } : {}),
    ...(timeoutSeconds !== undefined ? { timeout: timeoutSeconds } : {}),
    deliver: false,
    idempotencyKey: randomUUID(),
  };
  // The call waits for the run (plus slack for the gateway to answer); 0 means the gateway's default.
  const waitMs = ((timeoutSeconds || 600) + 30) * 1000;
  const stream = !ctx.json && ctx.io.stdout.isTTY === true;
  return withGateway(
    ctx,
    async (client) => {
      let runId: string | undefined;
      let sessionKey: string | undefined;
      let printed = "";
      const off = client.onEvent((ev) => {
        const p = ev.payload as Obj | undefined;
        if (!stream || ev.event !== "agent" || !runId || p?.runId !== runId || p.stream !== "assistant") return;
        const delta = String((p.data as Obj | undefined)?.delta ?? "");
        ctx.io.stdout.write(delta);
        printed += delta;
      });
      const onAbort = () => {
        if (sessionKey) void client.call("chat.abort", { sessionKey, ...(runId ? { runId } : {}) }, { timeoutMs: 3000 }).catch(() => undefined);
      };
      ctx.io.signal.addEventListener("abort", onAbort, { once: true });
      try {
        const final = (await client.call("agent", params, {
          expectFinal: true,
          timeoutMs: waitMs,
          onAccepted: (a) => {
            runId = String((a as Obj).runId ?? "");
            sessionKey = String((a as Obj).sessionKey ?? "");
          },
        })) as Obj;
        const ok = final.status === "ok";
        const exitCode = (ok ? 0 : 1) as ExitCode;
        const payloads = ((final.result as Obj | undefined)?.payloads ?? []) as Array<{ text?: string }>;
        const text = payloads.map((x) => x.text ?? "").join("\n");
        if (stream) {
          if (printed && text.startsWith(printed)) ctx.io.stdout.write(`${text.slice(printed.length)}\n`);
          else if (!printed && text) ctx.io.stdout.write(`${text}\n`);
          else if (printed) ctx.io.stdout.write("\n");
          if (!ok) ctx.io.stderr.write(`${String(final.summary ?? final.status)}\n`);
          return { data: final, streamed: true, exitCode };
        }
        const human = ok ? (text || "No reply from agent.") : `agent run ${final.status}: ${String(final.summary ?? "")}`;
        return { data: final, human, exitCode };
      } finally {
        off();
        ctx.io.signal.removeEventListener("abort", onAbort);
      }
    },
    { timeoutMs: 10_000 },
  );
};
