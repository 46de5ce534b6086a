import assert from "node:assert/strict";
import { test } from "node:test";
import { createDeadline } from "./deadline.js";

test("a deadline past setTimeout's 2^31-1 ms limit is clamped, not fired at once", async () => {
  // The deadlines' timers are unref'd; this keeps the loop alive while the test waits on them.
  const keepAlive = setInterval(() => {}, 1000);
  const huge = createDeadline(undefined, 1e12, "huge");
  const short = createDeadline(undefined, 20, "short");
  try {
    // Timers fire in order: an overflowed (1 ms) deadline would abort before the 20 ms one.
    await new Promise<void>((resolve) => short.signal.addEventListener("abort", () => resolve(), { once: true }));
    assert.equal(short.timedOut, true);
    assert.equal(huge.signal.aborted, false);
    assert.equal(huge.timedOut, false);
  } finally {
    huge.dispose();
    short.dispose();
    clearInterval(keepAlive);
  }
});
