/**
 * The check that a scoring service answered one entry per row in request order, shared by the
 * routes (answers as objects) and the scoring worker (answers it serializes itself); a module of
 * its own so the worker does not load the HTTP layer for it.
 */
/** A service answering the wrong rows is a bug on our side: a 500, never a wrong answer. */
export function assertRowsMatch(
  expected: readonly string[],
  got: readonly { id: string }[] | readonly string[],
  what: string,
): void {
  const ids = got.map((g) => (typeof g === 'string' ? g : g.id));
  if (ids.length !== expected.length) {
    throw new Error(`scoring service returned ${ids.length} ${what} entries for ${expected.length} rows`);
  }
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] !== expected[i]) {
      throw new Error(`scoring service entry ${i} is for ${ids[i]}, expected ${expected[i]} (request order)`);
    }
  }
}
