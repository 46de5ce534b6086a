/**
 * SDK clients kept per endpoint and credential, so a turn does not build a client (and its HTTP
 * agent) per model call. Keys hold a hash of the secret, never the secret; the map is small and
 * evicts the oldest entry.
 */
import { createHash } from "node:crypto";
import type { ProviderEndpoint } from "./types.js";

const MAX_CLIENTS = 32;
const clients = new Map<string, unknown>();

/** The cached client for `endpoint`, built by `create` on first use. */
export function cachedClient<T>(endpoint: ProviderEndpoint, create: () => T): T {
  const secret = createHash("sha256").update(endpoint.credential.secret).digest("hex").slice(0, 16);
  const key = JSON.stringify([endpoint.api, endpoint.baseUrl, endpoint.credential.kind, secret, endpoint.timeoutMs, endpoint.headers ?? {}]);
  const hit = clients.get(key) as T | undefined;
  if (hit !== undefined) return hit;
  const client = create();
  clients.set(key, client);
  if (clients.size > MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
  return client;
}
