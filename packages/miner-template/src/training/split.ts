/**
 * Deterministic stratified splits: a hold-out split and k folds, stratified on the label (positive
 * vs not, so every part sees laundering in the batch-level proportion) and within each source batch
 * (so every part sees every day). Indices come back sorted, which keeps a ranker's rows of one batch
 * contiguous, i.e. one query group per batch in every part.
 */
import { Rng } from '../random.js';

function strata(label: Float64Array, batchIndex: Int32Array): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < label.length; i++) {
    const key = `${batchIndex[i]}:${label[i] > 0 ? 1 : 0}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Assigns each row a fold in [0, k), round-robin over a seeded shuffle of each stratum. */
export function stratifiedFolds(
  label: Float64Array,
  batchIndex: Int32Array,
  k: number,
  seed: number,
): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`expected k >= 2 folds, got ${k}`);
  const fold = new Int32Array(label.length);
  const rng = new Rng(seed, 'folds');
  let offset = 0;
  for (const rows of strata(label, batchIndex).values()) {
    rng.shuffle(rows);
    // A running offset spreads the remainders of small strata over all folds.
    rows.forEach((row, j) => {
      fold[row] = (j + offset) % k;
    });
    offset = (offset + rows.length) % k;
  }
  return fold;
}

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/** Rows whose fold is `f` form the test part; the rest train. */
export function foldSplit(fold: Int32Array, f: number): Split {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < fold.length; i++) (fold[i] === f ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/** A stratified hold-out split with `testFraction` of each stratum in the test part. */
export function stratifiedSplit(
  label: Float64Array,
  batchIndex: Int32Array,
  testFraction: number,
  seed: number,
): Split {
  if (!(testFraction > 0 && testFraction < 1))
    throw new RangeError(`expected a test fraction in (0, 1), got ${testFraction}`);
  const rng = new Rng(seed, 'holdout');
  const isTest = new Uint8Array(label.length);
  for (const rows of strata(label, batchIndex).values()) {
    rng.shuffle(rows);
    const take = Math.round(rows.length * testFraction);
    for (let j = 0; j < take; j++) isTest[rows[j]] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < label.length; i++) (isTest[i] ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
