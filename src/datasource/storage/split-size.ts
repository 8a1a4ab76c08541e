/**
 * Spark's split sizing (FilePartition.maxSplitBytes): without an explicit `maxSplitBytes`, a split
 * is at most `cap` bytes but small enough that the input spreads over all cores
 * (`total / parallelism`), and never below the 4 MB "open cost", so one 13 MB file still becomes
 * a few tasks on a 4-core machine while tiny inputs are not shredded. Pure.
 */
export const OPEN_COST_BYTES = 4 << 20;

export function effectiveSplitBytes(explicit: number | undefined, totalBytes: number, parallelism: number, cap: number): number {
  if (explicit !== undefined) return explicit;
  const perCore = Math.ceil(totalBytes / Math.max(1, parallelism));
  return Math.min(cap, Math.max(OPEN_COST_BYTES, perCore));
}
