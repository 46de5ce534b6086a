import assert from "node:assert/strict";
import { test } from "node:test";
import { createDeadline } from "./deadline.js";

test("a deadline past setTimeout's 2^31-1 ms limit is clamped, not fired at once", async () => {
  const huge = createDeadline(undefined, 1e12, "huge");
  const short = createDeadline(undefined, 20, "short");
  // Timers fire in order: an overflowed (1 ms) deadline would abort before the 20 ms one.
  await new Promise<void>((resolve) => short.signal.addEventListener("abort", () => resolve(), { once: true }));
  assert.equal(short.timedOut, true);
  assert.equal(huge.signal.aborted, false);
  assert.equal(huge.timedOut, false);
  huge.dispose();
  short.dispose();
});
