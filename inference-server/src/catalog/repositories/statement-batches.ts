/** Rows per statement: far below SQLite's and PostgreSQL's limits on bound parameters. */
const BATCH_ROWS = 500;

/** The items in slices that one statement each can hold. */
export function inBatches<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += BATCH_ROWS)
    batches.push(items.slice(start, start + BATCH_ROWS));
  return batches;
}
