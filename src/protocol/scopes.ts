/** Roles and operator scopes (spec §4.7). */
export type Role = "operator" | "node";
export type Scope = "operator.read" | "operator.write" | "operator.admin" | "operator.approvals" | "operator.pairing";

export const ALL_OPERATOR_SCOPES: readonly Scope[] = ["operator.read", "operator.write", "operator.admin", "operator.approvals", "operator.pairing"];

/** Whether granted scopes satisfy a required one (admin implies the rest). */
export function hasScope(granted: readonly string[], required: Scope): boolean {
  if (granted.includes(required) || granted.includes("operator.admin")) return true;
  return required === "operator.read" && granted.includes("operator.write");
}
