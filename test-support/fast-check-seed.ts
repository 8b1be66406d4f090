/**
 * vitest setup for both packages: which seed the property tests (fast-check) start from.
 *
 * Run by hand, each run draws a new seed, so the properties keep exploring new cases and a
 * failure prints the seed and path that reproduce it. CI sets AML_FC_SEED (.ci/run) so that a
 * submission is judged on the same cases every time: a counterexample found while exploring is
 * added to its test as a fixed example, not left to chance in CI.
 */
import fc from 'fast-check';

const seed = process.env.AML_FC_SEED;
if (seed !== undefined && seed !== '' && seed !== 'random') {
  const n = Number(seed);
  if (!Number.isInteger(n)) throw new Error(`AML_FC_SEED must be an integer or "random", got "${seed}"`);
  fc.configureGlobal({ seed: n });
}
