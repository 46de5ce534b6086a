/** L3: operations logic that never prints — status collection, doctor checks and runner, audit rules, repairs. */
export { collectGatewayServiceStatus, type GatewayServiceStatus, type StatusWarning, type OtherInstall, type ServiceState } from "./service-status.js";
export { resolveGatewayLogFile } from "./log-file.js";
export { collectSnapshot, statFact, type Snapshot, type FileFact, STALE_LOCK_MS } from "./snapshot.js";
export { runAuditRules, summarizeAudit, channelEntries, type AuditFinding, type AuditReport, type AuditSeverity, type DeepProbe } from "./audit/rules.js";
export { runSecurityAudit, probeGatewaySecurity, type AuditRunResult } from "./audit/run.js";
export { DOCTOR_CHECKS, registerDoctorCheck, runDoctorChecks, isPlaceholder, type DoctorCheck, type DoctorFinding, type DoctorInputs, type DoctorSeverity } from "./doctor/checks.js";
export { runDoctor, ownerName, type DoctorMode, type DoctorOptions, type DoctorReport, type ReportedFinding } from "./doctor/runner.js";
export { applyRepair, BackupDir, describeAction, timestampSlug, type Repair, type RepairAction, type AppliedRepair } from "./repair.js";
export { collectStatusReport, redactStatus, type StatusReport } from "./status.js";
export { createBackup, defaultBackupPath, lastBackupFile, MANIFEST_NAME, type BackupManifest, type CreateBackupResult, type ManifestEntry } from "./backup/create.js";
export { verifyBackup, planRestore, applyRestore, readArchive, rehome, restoreTargetFor, type ExternalPlan, type RestorePlan, type RestoreTarget, type VerifyResult } from "./backup/restore.js";
export { CATEGORIES, type Category, type BackupMode } from "./backup/layout.js";
export { openSealed, type SealedFile } from "./backup/secrets.js";
export { collectInventory, configPathsAtSource, rewriteConfigPaths, rewriteStatePaths, quarantinePoisonedSessions, poisonReason, type MigrationInventory, type PathRewrite, type Quarantined } from "./migrate.js";
