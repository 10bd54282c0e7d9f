const ENTRY_ID = /^(\d+)-(\d+)$/;

/**
 * Orders two stream entry ids (`<ms>-<seq>`) numerically: `-1`, `0` or `1`. Ids of one stream
 * follow its order; ids of different streams compare by the time Redis gave them.
 */
export function compareEntryIds(a: string, b: string): number {
  if (a === b) return 0;
  const [aMs, aSeq] = partsOf(a);
  const [bMs, bSeq] = partsOf(b);
  return compareDecimals(aMs, bMs) || compareDecimals(aSeq, bSeq);
}

/** The smallest entry id greater than `id`. */
export function nextEntryId(id: string): string {
  const [ms, seq] = partsOf(id);
  return `${ms}-${BigInt(seq) + 1n}`;
}

function partsOf(id: string): [ms: string, seq: string] {
  const match = ENTRY_ID.exec(id);
  if (match === null) throw new Error(`Not a stream entry id: "${id}"`);
  return [withoutLeadingZeros(match[1]!), withoutLeadingZeros(match[2]!)];
}

// Both parts can exceed 2^53: compared as decimal strings, which costs no BigInt per comparison.
function compareDecimals(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function withoutLeadingZeros(digits: string): string {
  return digits.length > 1 && digits.startsWith('0') ? digits.replace(/^0+(?=\d)/, '') : digits;
}
