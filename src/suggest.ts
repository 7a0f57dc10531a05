/**
 * The candidate closest to `input` by edit distance, when it is close enough to be a likely
 * typo (at most a third of the input's length, and at least 1, edits away), or when one of
 * the two starts with the other (`bool` for `boolean`).
 */
export function nearestName(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(input.length / 3)) + 1;
  const typed = input.toLowerCase();
  for (const candidate of candidates) {
    const known = candidate.toLowerCase();
    const prefix = typed.length >= 3 && (known.startsWith(typed) || typed.startsWith(known));
    const distance = prefix ? 1 : editDistance(typed, known);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `Did you mean "x"?` for the nearest candidate, or an empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const nearest = nearestName(input, candidates);
  return nearest === undefined ? '' : ` Did you mean "${nearest}"?`;
}

/** Levenshtein distance, with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (d[(i - 1) * cols + j] as number) + 1,
        (d[i * cols + j - 1] as number) + 1,
        (d[(i - 1) * cols + j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (d[(i - 2) * cols + j - 2] as number) + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return d[rows * cols - 1] as number;
}
