/** `logging.*` (spec §2.12) — owned: unknown keys are rejected. */
import { z } from "zod";
import { LogLevel, StringList, strict } from "./common.js";

export const LoggingConfig = strict({
  level: LogLevel.default("info").describe("File log level."),
  file: z
    .string()
    .optional()
    .describe("Current log file. A {date} in the name marks where archives put their date; default <stateDir>/logs/openclaw.log."),
  maxFileBytes: z.number().int().min(1024).default(100 * 1024 * 1024).describe("Rotate the current file when it grows past this size."),
  consoleLevel: LogLevel.default("info").describe("Console log level (--verbose raises it to debug)."),
  consoleStyle: z.enum(["pretty", "compact", "json"]).default("pretty"),
  redactSensitive: z.enum(["off", "tools"]).default("tools"),
  redactPatterns: StringList.optional().describe("Extra regexes whose matches are masked in every sink."),
});
