/**
 * `cron.*` (spec §2.13): the scheduler's switch, store path, limits, run-log caps and one-shot retry.
 * Loose: keys newer OpenClaw builds write (`triggers`, …) are kept. `catchUp` is ours: OpenClaw
 * always runs a missed job once at start; `false` skips missed runs instead.
 */
import { z } from "zod";
import { loose, SecretInput } from "./common.js";

const Bytes = z.union([z.number().int().min(1), z.string().regex(/^\s*\d+(\.\d+)?\s*(b|kb|mb|gb)?\s*$/i)]);
const Mode = z.enum(["announce", "webhook"]);

export const CronConfig = loose({
  enabled: z.boolean().optional().describe("Run scheduled jobs (default true; hot)."),
  store: z.string().optional().describe("Path of the job store (default <state>/cron/jobs.json)."),
  maxConcurrentRuns: z.number().int().min(1).optional().describe("Jobs running at once (default 1)."),
  catchUp: z.boolean().optional().describe("Run a job missed while the gateway was down once at start (default true)."),
  webhook: z.string().optional().describe("Deprecated fallback webhook for legacy notify:true jobs."),
  webhookToken: SecretInput.optional(),
  sessionRetention: z.union([z.string(), z.literal(false)]).optional().describe('How long isolated cron sessions are kept ("24h", or false).'),
  runLog: loose({
    maxBytes: Bytes.optional().describe("Trim a job's run log past this size (default 2000000 / \"2mb\")."),
    keepLines: z.number().int().min(1).optional().describe("Lines kept when trimming (default 2000)."),
  }).optional(),
  retry: loose({
    maxAttempts: z.number().int().min(1).optional().describe("Attempts of a one-shot job (default 3)."),
    backoffMs: z.array(z.number().int().min(0)).optional().describe("Delay before each retry (default [30000, 60000, 300000])."),
    retryOn: z.array(z.string()).optional(),
  }).optional(),
  failureAlert: loose({
    enabled: z.boolean().optional(),
    after: z.number().int().min(1).optional(),
    cooldownMs: z.number().int().min(0).optional(),
    includeSkipped: z.boolean().optional(),
    mode: Mode.optional(),
    accountId: z.string().optional(),
  }).optional(),
  failureDestination: loose({ mode: Mode.optional(), channel: z.string().optional(), to: z.string().optional(), accountId: z.string().optional() }).optional(),
});
