/** What one doctor check reports (its own file so the checks' helpers can import it without a cycle). */
import type { Repair } from "../repair.js";

export type DoctorSeverity = "info" | "warn" | "error" | "critical";

export interface DoctorFinding {
  checkId: string;
  step: string;
  severity: DoctorSeverity;
  title: string;
  detail?: string;
  /** What a human does when there is no automatic repair (or instead of it). */
  fix?: string;
  repair?: Repair;
}
