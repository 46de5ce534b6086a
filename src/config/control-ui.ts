/** Values derived from `gateway.controlUi` that both the gateway and the CLI (`openclaw dashboard`) need. */

/** `gateway.controlUi.basePath` as served: trimmed, one leading `/`, no trailing `/`; `/` or empty → "". */
export function normalizeControlUiBasePath(raw: unknown): string {
  const trimmed = (typeof raw === "string" ? raw : "").trim().replace(/\/+$/, "");
  if (trimmed === "") return "";
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}
