/** A line diff for showing what a write would change: linear for the usual one-place edit. */

/** Past this many LCS cells the changed middle is shown as removed-then-added (bounded memory). */
const MAX_LCS_CELLS = 4_000_000;

function middleOps(a: string[], b: string[]): Array<{ op: " " | "-" | "+"; text: string }> {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_LCS_CELLS) {
    const out: Array<{ op: " " | "-" | "+"; text: string }> = a.map((text) => ({ op: "-", text }));
    for (const text of b) out.push({ op: "+", text });
    return out;
  }
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Array<{ op: " " | "-" | "+"; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ op: " ", text: a[i]! });
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      ops.push({ op: "+", text: b[j++]! });
    } else {
      ops.push({ op: "-", text: a[i++]! });
    }
  }
  return ops;
}

/** Unified-style diff lines (`-`, `+`, and `  ` context), with `context` lines around each change. */
export function diffLines(before: string, after: string, context = 2): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  // Common head and tail are matched directly, so an edit of one value in a long file costs
  // linear time; only the changed middle goes through the LCS table.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: Array<{ op: " " | "-" | "+"; text: string }> = [];
  for (let i = 0; i < head; i++) ops.push({ op: " ", text: a[i]! });
  for (const o of middleOps(a.slice(head, a.length - tail), b.slice(head, b.length - tail))) ops.push(o);
  for (let i = a.length - tail; i < a.length; i++) ops.push({ op: " ", text: a[i]! });
  const keep = ops.map((o, idx) => o.op !== " " || ops.slice(Math.max(0, idx - context), idx + context + 1).some((x) => x.op !== " "));
  const out: string[] = [];
  let skipped = false;
  ops.forEach((o, idx) => {
    if (keep[idx]) {
      out.push(`${o.op === " " ? " " : o.op} ${o.text}`);
      skipped = false;
    } else if (!skipped) {
      out.push("  …");
      skipped = true;
    }
  });
  return out;
}
