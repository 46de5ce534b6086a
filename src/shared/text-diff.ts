/** A small line diff for showing what a write would change (config files are small). */

/** Unified-style diff lines (`-`, `+`, and `  ` context), with `context` lines around each change. */
export function diffLines(before: string, after: string, context = 2): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const n = a.length;
  const m = b.length;
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
