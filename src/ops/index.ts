/** L3: operations logic that never prints — status collection, doctor checks and runner, audit rules, repairs. */

export { type AuditFinding, type AuditReport, type AuditSeverity, channelEntries, type DeepProbe, runAuditRules, summarizeAudit } from "./audit/rules.js";
export { type AuditRunResult, probeGatewaySecurity, runSecurityAudit } from "./audit/run.js";
export { type BackupManifest, type CreateBackupResult, createBackup, defaultBackupPath, lastBackupFile, MANIFEST_NAME, type ManifestEntry } from "./backup/create.js";
export { type BackupMode, CATEGORIES, type Category } from "./backup/layout.js";
export { applyRestore, type ExternalPlan, planRestore, type RestorePlan, type RestoreTarget, readArchive, rehome, restoreTargetFor, type VerifyResult, verifyBackup } from "./backup/restore.js";
export { openSealed, type SealedFile } from "./backup/secrets.js";
export { DOCTOR_CHECKS, type DoctorCheck, type DoctorFinding, type DoctorInputs, type DoctorSeverity, isPlaceholder, registerDoctorCheck, runDoctorChecks } from "./doctor/checks.js";
export { checkModelRef, isModelPath, loadModelAuthFacts, type ModelAuthFacts, type ModelRefProblem, modelRefsIn, PROVIDER_ENV_KEYS } from "./doctor/model-auth.js";
export { type DoctorMode, type DoctorOptions, type DoctorReport, ownerName, type ReportedFinding, runDoctor } from "./doctor/runner.js";
export { resolveGatewayLogFile } from "./log-file.js";
export * from "./maintenance/index.js";
export { collectMemoryFacts, type MemoryFacts, type MemoryRebuild, type MemoryTargetOptions, rebuildMemoryIndexes, resolveMemoryTargets, verifyMemorySearch } from "./memory.js";
export { collectInventory, configPathsAtSource, type MigrationInventory, type PathRewrite, type Quarantined, quarantinePoisonedSessions, rewriteConfigPaths, rewriteStatePaths } from "./migrate.js";
export { executeRemoval, parseResetScope, planReset, planUninstallData, RESET_SCOPES, type RemovalItem, type RemovalPlan, type ResetScope } from "./removal.js";
export { type AppliedRepair, applyRepair, BackupDir, describeAction, type Repair, type RepairAction, timestampSlug } from "./repair.js";
export { collectGatewayServiceStatus, type GatewayServiceStatus, type OtherInstall, type ServiceState, type StatusWarning } from "./service-status.js";
export { collectSnapshot, type FileFact, type Snapshot, STALE_LOCK_MS, statFact } from "./snapshot.js";
export { collectStatusReport, redactStatus, type StatusReport } from "./status.js";
export * from "./onboard/index.js";
