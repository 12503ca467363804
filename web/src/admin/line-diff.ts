export interface DiffRow {
  before: string | null;
  after: string | null;
  changed: boolean;
}

/** Two texts side by side, aligned on their longest common subsequence of lines. */
export function sideBySide(before: string, after: string): DiffRow[] {
  const a = before.split("\n");
  const b = after.split("\n");
  // lengths[i][j]: the LCS of a[i..] and b[j..]; catalogs are hundreds of lines, so n×m is fine.
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i][j] =
        a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
  const rows: DiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      rows.push({ before: a[i++], after: b[j++], changed: false });
    } else if (j < b.length && (i >= a.length || lengths[i][j + 1] >= lengths[i + 1][j])) {
      rows.push({ before: null, after: b[j++], changed: true });
    } else {
      rows.push({ before: a[i++], after: null, changed: true });
    }
  }
  return rows;
}
