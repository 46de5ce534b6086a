/**
 * The Control UI's pages: hash route, nav label and the element that renders it. The shell builds its
 * nav and its router from this one table; each element gets `.client` (the gateway connection) and
 * may dispatch `gateway-lost` when a call finds the socket gone.
 */
export const PAGES = [
  { route: "overview", label: "Overview", tag: "oc-overview" },
  { route: "chat", label: "Chat", tag: "oc-chat" },
  { route: "sessions", label: "Sessions", tag: "oc-sessions" },
  { route: "channels", label: "Channels", tag: "oc-channels" },
  { route: "logs", label: "Logs", tag: "oc-logs" },
  { route: "config", label: "Config", tag: "oc-config" },
] as const;

export type Route = (typeof PAGES)[number]["route"];

/** The route a location hash names (`#/chat`, `#/sessions?key=…`); the overview when it names none. */
export function routeFromHash(hash: string): Route {
  const name = hash.replace(/^#\/?/, "").split(/[/?]/)[0] ?? "";
  return PAGES.find((p) => p.route === name)?.route ?? "overview";
}
