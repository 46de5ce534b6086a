/** Prometheus text metrics: uptime, connections, RPC counts and latency per method, reloads, auth failures, log errors. */

const BUCKETS_MS = [0.1, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000, 5000];

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

export class GatewayMetrics {
  readonly startedAt = Date.now();
  connectionsOpen = 0;
  connectionsTotal = 0;
  authFailures = 0;
  /** Sockets closed at once because the unauthenticated caps were full. */
  connectionsRefused = 0;
  /** Upgrades and HTTP requests refused for their browser Origin. */
  originRefused = 0;
  /** Pre-auth frames refused on their header for declaring more than 64 KiB. */
  framesRefused = 0;
  reloads = 0;
  reloadFailures = 0;
  restarts = 0;
  logErrors = 0;
  private readonly rpc = new Map<string, { ok: number; error: number; latency: Histogram }>();

  observeRpc(method: string, ms: number, ok: boolean): void {
    let m = this.rpc.get(method);
    if (!m) {
      m = { ok: 0, error: 0, latency: { buckets: BUCKETS_MS.map(() => 0), sum: 0, count: 0 } };
      this.rpc.set(method, m);
    }
    if (ok) m.ok++;
    else m.error++;
    const h = m.latency;
    h.sum += ms;
    h.count++;
    for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= BUCKETS_MS[i]!) h.buckets[i]!++;
  }

  /** The Prometheus text, with `extra` lines (event bus, subsystems) appended. */
  render(extra: readonly string[] = []): string {
    const lines: string[] = [];
    const gauge = (name: string, help: string, value: number, type = "gauge") => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    gauge("openclaw_uptime_seconds", "Seconds since the gateway process started.", (Date.now() - this.startedAt) / 1000);
    gauge("openclaw_ws_connections", "Open WebSocket connections.", this.connectionsOpen);
    gauge("openclaw_ws_connections_total", "WebSocket connections accepted.", this.connectionsTotal, "counter");
    gauge("openclaw_auth_failures_total", "Failed authentication attempts.", this.authFailures, "counter");
    gauge("openclaw_connections_refused_total", "Sockets refused because the unauthenticated-connection caps were full.", this.connectionsRefused, "counter");
    gauge("openclaw_origin_refused_total", "WebSocket upgrades and HTTP requests refused for their browser Origin.", this.originRefused, "counter");
    gauge("openclaw_preauth_frames_refused_total", "Pre-auth frames refused for declaring more than 64 KiB.", this.framesRefused, "counter");
    gauge("openclaw_config_reloads_total", "Config reloads applied.", this.reloads, "counter");
    gauge("openclaw_config_reload_failures_total", "Config reloads skipped because the file was invalid.", this.reloadFailures, "counter");
    gauge("openclaw_restarts_total", "In-process restarts.", this.restarts, "counter");
    gauge("openclaw_log_errors_total", "Log records at error level or above.", this.logErrors, "counter");
    lines.push("# HELP openclaw_rpc_requests_total RPC requests by method and outcome.", "# TYPE openclaw_rpc_requests_total counter");
    for (const [method, m] of this.rpc) {
      lines.push(`openclaw_rpc_requests_total{method="${method}",outcome="ok"} ${m.ok}`, `openclaw_rpc_requests_total{method="${method}",outcome="error"} ${m.error}`);
    }
    lines.push("# HELP openclaw_rpc_duration_ms RPC latency in milliseconds.", "# TYPE openclaw_rpc_duration_ms histogram");
    for (const [method, m] of this.rpc) {
      BUCKETS_MS.forEach((le, i) => {
        lines.push(`openclaw_rpc_duration_ms_bucket{method="${method}",le="${le}"} ${m.latency.buckets[i]}`);
      });
      lines.push(
        `openclaw_rpc_duration_ms_bucket{method="${method}",le="+Inf"} ${m.latency.count}`,
        `openclaw_rpc_duration_ms_sum{method="${method}"} ${m.latency.sum}`,
        `openclaw_rpc_duration_ms_count{method="${method}"} ${m.latency.count}`,
      );
    }
    lines.push(...extra);
    return `${lines.join("\n")}\n`;
  }
}
