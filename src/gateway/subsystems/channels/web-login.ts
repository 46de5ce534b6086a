/**
 * `web.login.start` / `web.login.wait`: the QR login of a linked channel (WhatsApp) driven from a
 * WebSocket client (the Control UI) instead of the terminal. One flow per channel account: start
 * stops the account, runs the plugin's login in the background and answers with the first QR as a
 * PNG data URL; wait answers when the login links (the account then starts again) or its own
 * deadline passes (with the current QR, which rotates).
 */
import { randomUUID } from "node:crypto";
import type { ChannelLoginResult, ChannelManager } from "../../../channels/index.js";
import { AppError } from "../../../shared/index.js";
import type { MethodHandlers } from "../../subsystem.js";

interface Flow {
  sessionKey: string;
  qr: string | undefined;
  qrDataUrl: string | undefined;
  result: ChannelLoginResult | undefined;
  error: Error | undefined;
  done: Promise<void>;
  changed: Set<() => void>;
  abort: AbortController;
}

const FIRST_QR_MS = 30_000;
const DEFAULT_WAIT_MS = 120_000;
/** How long a QR login may take in total. */
const LOGIN_MS = 180_000;

async function dataUrl(qr: string): Promise<string> {
  const { default: QRCode } = await import("qrcode");
  return QRCode.toDataURL(qr, { margin: 1, width: 320 });
}

/** Resolves when `ready()` is true or after `ms` (whichever first); `flow.changed` wakes it. */
function until(flow: Flow, ready: () => boolean, ms: number): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      flow.changed.delete(check);
      resolve();
    }
    function check() {
      if (ready()) finish();
    }
    flow.changed.add(check);
  });
}

export function webLoginMethods(manager: () => ChannelManager | undefined): { methods: MethodHandlers; stop(): void } {
  const flows = new Map<string, Flow>();
  const running = () => {
    const m = manager();
    if (!m) throw new AppError("UNAVAILABLE", "channels are not running on this gateway", { hint: "the gateway is starting or stopping, or OPENCLAW_SKIP_CHANNELS=1 is set" });
    return m;
  };
  const qrChannel = (m: ChannelManager, channel: string | undefined) => {
    const id = channel ?? m.plugins().find((p) => p.login)?.id;
    if (!id || !m.plugins().some((p) => p.id === id && p.login)) throw new AppError("USAGE", `${channel ?? "no channel"} has no QR login`, { hint: "web.login works for whatsapp" });
    return id;
  };
  const answer = (flow: Flow) => {
    if (flow.error) throw flow.error;
    if (flow.result) return { connected: true, message: flow.result.alreadyLinked ? "already linked" : `linked${flow.result.selfE164 ? ` as ${flow.result.selfE164}` : ""}`, sessionKey: flow.sessionKey };
    return undefined;
  };
  const methods: MethodHandlers = {
    "web.login.start": async (p) => {
      const m = running();
      const channel = qrChannel(m, p.channel);
      const key = `${channel}/${p.accountId ?? ""}`;
      let flow = flows.get(key);
      if (flow && (p.force || flow.result || flow.error)) {
        flow.abort.abort();
        flows.delete(key);
        flow = undefined;
      }
      if (!flow) {
        const abort = new AbortController();
        const created: Flow = { sessionKey: randomUUID(), qr: undefined, qrDataUrl: undefined, result: undefined, error: undefined, done: Promise.resolve(), changed: new Set(), abort };
        const notify = () => {
          for (const f of [...created.changed]) f();
        };
        created.done = m
          .login(channel, p.accountId, {
            onQr: (qr) => {
              created.qr = qr;
              void dataUrl(qr).then((url) => {
                if (created.qr !== qr) return;
                created.qrDataUrl = url;
                notify();
              });
            },
            ...(p.force ? { force: true } : {}),
            timeoutMs: LOGIN_MS,
            signal: abort.signal,
          })
          .then((r) => {
            created.result = r;
          })
          .catch((error: unknown) => {
            created.error = error instanceof Error ? error : new Error(String(error));
          })
          .finally(notify);
        flows.set(key, created);
        flow = created;
      }
      const f = flow;
      await until(f, () => Boolean(f.qrDataUrl || f.result || f.error), Math.min(p.timeoutMs ?? FIRST_QR_MS, FIRST_QR_MS));
      const done = answer(f);
      if (done) return done;
      if (!f.qrDataUrl) return { message: "Waiting for WhatsApp to send a QR code; call web.login.start again in a moment.", sessionKey: f.sessionKey, connected: false };
      return { message: "Scan this QR in WhatsApp → Settings → Linked devices.", qrDataUrl: f.qrDataUrl, sessionKey: f.sessionKey, connected: false };
    },
    "web.login.wait": async (p) => {
      const m = running();
      const channel = qrChannel(m, p.channel);
      const flow = flows.get(`${channel}/${p.accountId ?? ""}`);
      if (!flow) throw new AppError("NOT_FOUND", "no QR login in progress", { hint: "call web.login.start first" });
      await until(flow, () => Boolean(flow.result || flow.error || (p.currentQrDataUrl && flow.qrDataUrl && flow.qrDataUrl !== p.currentQrDataUrl)), Math.min(p.timeoutMs ?? DEFAULT_WAIT_MS, LOGIN_MS));
      const done = answer(flow);
      if (done) return done;
      return { connected: false, message: "not linked yet: scan the QR", ...(flow.qrDataUrl ? { qrDataUrl: flow.qrDataUrl } : {}), sessionKey: flow.sessionKey };
    },
  };
  return {
    methods,
    stop: () => {
      for (const f of flows.values()) f.abort.abort();
      flows.clear();
    },
  };
}
