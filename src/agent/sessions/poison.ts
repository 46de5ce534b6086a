/**
 * Poisoned-transcript detection, shared by `migrate`, `sessions check` and doctor: a transcript
 * that makes every later turn fail — a run of identical tool errors (the model loops on them), or
 * a `media_type` outside an image/document source block (providers reject the whole request).
 */
import type { TranscriptRecord } from "../../storage/index.js";

/** Identical tool errors in a row that make a transcript poisoned. */
export const POISON_ERROR_RUN = 3;

function collectBlocks(value: unknown, out: Array<Record<string, unknown>>): void {
  if (Array.isArray(value)) {
    for (const x of value) collectBlocks(x, out);
  } else if (value && typeof value === "object") {
    out.push(value as Record<string, unknown>);
    for (const x of Object.values(value)) if (x && typeof x === "object") collectBlocks(x, out);
  }
}

/** Why these records are poisoned, or undefined. */
export function poisonReasonOfRecords(records: Iterable<TranscriptRecord>): string | undefined {
  let lastError = "";
  let run = 0;
  for (const record of records) {
    const blocks: Array<Record<string, unknown>> = [];
    collectBlocks(record, blocks);
    for (const b of blocks) {
      if ("media_type" in b && typeof b.type === "string" && b.type !== "base64" && b.type !== "url") return `stray media_type in a ${b.type} block`;
    }
    const errorBlock = blocks.find((b) => b.is_error === true || b.isError === true);
    if (errorBlock) {
      const key = JSON.stringify(errorBlock.content ?? errorBlock.text ?? errorBlock);
      run = key === lastError ? run + 1 : 1;
      lastError = key;
      if (run >= POISON_ERROR_RUN) return `the same tool error ${run} times in a row`;
    }
  }
  return undefined;
}

/** Why a transcript's text is poisoned (unparseable lines are ignored here; the loader reports them). */
export function poisonReason(text: string): string | undefined {
  function* records(): Generator<TranscriptRecord> {
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        const v = JSON.parse(line) as unknown;
        if (v && typeof v === "object") yield v as TranscriptRecord;
      } catch {
        // not a record
      }
    }
  }
  return poisonReasonOfRecords(records());
}
