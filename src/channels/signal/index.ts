/** Signal through signal-cli's HTTP daemon (JSON-RPC + SSE): accounts, config, the managed daemon, envelope mapping. */
export { SignalAccount, type SignalAccountOptions, type SignalProbeResult } from "./account.js";
export {
  listSignalAccountIds,
  normalizeSignalUrl,
  type ResolvedSignalAccount,
  resolveDefaultSignalAccountId,
  resolveSignalAccount,
  SIGNAL_DEFAULT_HTTP_HOST,
  SIGNAL_DEFAULT_HTTP_PORT,
  SIGNAL_TEXT_LIMIT,
  type SignalTransportKind,
  type SignalTransportSource,
} from "./config.js";
export { SignalDaemon, type SignalDaemonOptions, type SignalDaemonStatus, signalDaemonArgs } from "./daemon.js";
export { mapSignalEvent, parseSignalTarget, type SignalInbound, type SignalSelf, type SignalTarget, signalReplyTarget } from "./inbound.js";
export { signalPlugin } from "./plugin.js";
export { readSignalEvents, SignalRpcError, signalCheck, signalRpc } from "./rpc.js";
