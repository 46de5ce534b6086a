/**
 * The browser side of gateway auth, as OpenClaw's Control UI does it: a token handed over in the
 * URL fragment (`#token=…`; `?token=` still works but warns, since a query reaches the server and its
 * logs), kept in sessionStorage under a key scoped to the gateway's WebSocket URL, and removed from
 * the address bar at once.
 */

/** The sessionStorage key prefix (OpenClaw's), followed by the gateway's WebSocket URL. */
export const TOKEN_KEY_PREFIX = "openclaw.control.token.v1";

/** The sessionStorage key holding the token for one gateway. */
export function tokenStorageKey(wsUrl: string): string {
  return `${TOKEN_KEY_PREFIX}:${wsUrl}`;
}

/** The gateway's WebSocket URL for a page served by it (same host, ws/wss by the page's scheme). */
export function resolveGatewayWsUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}`;
}

/** What the address bar handed over: the token (if any), where it came from, and the cleaned URL. */
export interface UrlHandoff {
  token: string | undefined;
  from: "fragment" | "query" | undefined;
  /** The URL without `token` (and without `password`, which is never taken from a URL). */
  cleanUrl: string;
  changed: boolean;
}

const HANDOFF_KEYS = ["token", "password"];

/** Reads `#token=` (preferred) or `?token=` from a URL and returns it with the URL stripped of both. */
export function readUrlHandoff(href: string): UrlHandoff {
  const url = new URL(href);
  const hash = new URLSearchParams(url.hash.startsWith("#") ? url.hash.slice(1) : url.hash);
  // A hash route such as `#/chat` is not a parameter list: only touch the fragment when it carries a key.
  const hashHasKeys = HANDOFF_KEYS.some((k) => hash.has(k));
  const fromHash = hashHasKeys ? hash.get("token") || undefined : undefined;
  const fromQuery = url.searchParams.get("token") || undefined;
  let changed = false;
  for (const k of HANDOFF_KEYS) {
    if (url.searchParams.has(k)) {
      url.searchParams.delete(k);
      changed = true;
    }
  }
  if (hashHasKeys) {
    for (const k of HANDOFF_KEYS) hash.delete(k);
    const rest = hash.toString();
    url.hash = rest ? `#${rest}` : "";
    changed = true;
  }
  const token = fromHash ?? fromQuery;
  return { token, from: fromHash ? "fragment" : fromQuery ? "query" : undefined, cleanUrl: url.toString(), changed };
}

/** The storage the page uses (sessionStorage in the browser; any Storage in tests). */
export interface TokenStore {
  load(): string | undefined;
  save(token: string): void;
  clear(): void;
}

/** The part of the Web Storage API the token store uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A token store for one gateway in `storage`; a storage that throws (privacy modes) acts empty. */
export function createTokenStore(storage: StorageLike | undefined, wsUrl: string): TokenStore {
  const key = tokenStorageKey(wsUrl);
  return {
    load: () => {
      try {
        return storage?.getItem(key) || undefined;
      } catch {
        return undefined;
      }
    },
    save: (token) => {
      try {
        storage?.setItem(key, token);
        // OpenClaw's older unscoped key: never leave a second copy behind.
        storage?.removeItem(TOKEN_KEY_PREFIX);
      } catch {
        // Not persisted: the page still works until it is closed.
      }
    },
    clear: () => {
      try {
        storage?.removeItem(key);
      } catch {
        // Nothing stored.
      }
    },
  };
}
