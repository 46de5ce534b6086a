/**
 * Channel webhook routes in `security audit --deep`: they are the only gateway routes that answer
 * without the gateway token (the channel verifies its own signature instead: Google Chat checks
 * Google's signed bearer token). The deep probe POSTs to each path without credentials and the rule
 * reports what it answered, advising to expose only that path (path-scoped Funnel or reverse proxy).
 */
/** A finding in the audit's shape (rules.ts imports this file, so the type is spelled here). */
export interface WebhookFinding {
  checkId: string;
  severity: "info" | "warn" | "critical";
  title: string;
  detail: string;
  remediation?: string;
}

import { obj } from "../snapshot.js";

type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** What the deep probe got from one webhook path when POSTing without any credentials. */
export interface WebhookProbe {
  channel: string;
  path: string;
  status?: number;
  /** The 401 came from the gateway's own token gate: no channel route is served at the path. */
  gatewayGate?: boolean;
  error?: string;
}

/** Google Chat webhook paths in the config (per account; `webhookPath`, else `webhookUrl`'s path, else `/googlechat`). */
export function googleChatWebhookPaths(input: Obj): string[] {
  const section = obj(obj(input.channels).googlechat);
  if (Object.keys(section).length === 0 || section.enabled === false) return [];
  const pathOf = (s: Obj): string => {
    const explicit = str(s.webhookPath);
    if (explicit) return explicit.startsWith("/") ? explicit : `/${explicit}`;
    try {
      const p = new URL(str(s.webhookUrl) ?? "").pathname;
      if (p && p !== "/") return p;
    } catch {
      // no URL
    }
    return "/googlechat";
  };
  const accounts = Object.values(obj(section.accounts)).map(obj);
  const paths = accounts.length ? accounts.filter((a) => a.enabled !== false).map((a) => pathOf({ ...section, ...a })) : [pathOf(section)];
  return [...new Set(paths)];
}

function describeProbe(probe: WebhookProbe | undefined): string {
  if (!probe) return "was not probed";
  if (probe.error) return `could not be probed: ${probe.error}`;
  if (probe.gatewayGate) return "found no Google Chat route there (the gateway's own token gate answered; is the Google Chat account running?)";
  if (probe.status === 401) return "answered 401 to an unauthenticated POST (Google's token is required)";
  return `answered HTTP ${probe.status} to an unauthenticated POST (is the Google Chat account running?)`;
}

/** The Google Chat webhook finding: info when the path is verified by Google's token; worse when the probe says otherwise or the whole gateway is public. */
export function webhookFindings(input: Obj, probes: WebhookProbe[] | undefined): WebhookFinding[] {
  const gateway = obj(input.gateway);
  const port = typeof gateway.port === "number" ? gateway.port : 18789;
  const wholeGatewayPublic = obj(gateway.tailscale).mode === "funnel" || (typeof gateway.bind === "string" && gateway.bind !== "loopback");
  return googleChatWebhookPaths(input).map((path): WebhookFinding => {
    const probe = probes?.find((p) => p.channel === "googlechat" && p.path === path);
    const remediation = `Expose only ${path} to the internet: tailscale funnel --bg --set-path ${path} http://127.0.0.1:${port}${path} (or a reverse proxy that forwards only ${path}); keep the rest of the gateway private.`;
    if (probe?.status !== undefined && probe.status >= 200 && probe.status < 300) {
      return { checkId: "channels.googlechat.webhook_unverified", severity: "critical", title: `the Google Chat webhook ${path} accepted a POST without any token (HTTP ${probe.status})`, detail: "The route should refuse requests that lack Google's signed bearer token with 401; anyone could inject messages.", remediation: "Check channels.googlechat.audienceType and audience, and restart the gateway." };
    }
    const answered = describeProbe(probe);
    return {
      checkId: "channels.googlechat.webhook_public_path",
      severity: wholeGatewayPublic ? "warn" : "info",
      title: `the Google Chat webhook ${path} answers without the gateway token`,
      detail: `It is verified by Google's signed bearer token instead; the deep probe ${answered}.${wholeGatewayPublic ? " The whole gateway is exposed (bind beyond loopback or Tailscale Funnel on the port), not only this path." : ""}`,
      remediation,
    };
  });
}
