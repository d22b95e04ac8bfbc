/**
 * The row a statement that cannot come back empty returned: an INSERT … RETURNING, or a read of a
 * row the same transaction has just locked or written. An empty answer there is a bug, so it
 * throws (a 500), instead of an assertion letting `undefined` travel on.
 */
export function onlyRow<T>(rows: readonly T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new Error(`${what}: the statement returned no row`);
  return row;
}
