/** Content hashes used for optimistic concurrency (`baseHash`) and fingerprints. */
import { createHash } from "node:crypto";

/** Hex sha256 of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A short, non-reversible fingerprint of a secret, safe to print side by side with others. */
export function fingerprintSecret(secret: string): string {
  return `sha256:${sha256Hex(secret).slice(0, 8)}`;
}
