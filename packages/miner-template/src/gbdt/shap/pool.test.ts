import { afterAll, describe, expect, it } from 'vitest';
import { randomModel, rng } from '../predict/test-models.test-support.js';
import { explainBatchFast } from './fast-tree-shap.js';
import { ShapPool } from './pool.js';
import { explainBatch } from './tree-shap.js';

const FEATURES = 12;
const model = randomModel(2026, 40, 15, FEATURES, 'binary');

function rows(n: number, seed: number): Float32Array {
  const random = rng(seed);
  const m = new Float32Array(n * FEATURES);
  for (let i = 0; i < m.length; i++) m[i] = random() < 0.08 ? Number.NaN : random() * 2.4 - 1.2;
  return m;
}

/** Bit patterns, so -0 vs 0 and NaN payloads would count as differences. */
function bits(a: Float64Array): BigUint64Array {
  return new BigUint64Array(a.buffer, a.byteOffset, a.length);
}

describe('ShapPool', () => {
  // three threads: two workers whatever the machine, started from TypeScript source here
  const pooled = ShapPool.create(model, { threads: 3, minPoolRows: 0, blockRows: 7 }).then(async (p) => {
    await p.warmUp();
    return p;
  });
  afterAll(async () => (await pooled).close());

  it('starts its workers from source (no in-process fallback)', async () => {
    const pool = await pooled;
    expect(pool.fallbackReason).toBeUndefined();
    expect(pool.threads).toBe(3);
    expect(pool.workerCount).toBe(2);
  });

  it('is bit-identical to the in-process fast path, float32 and float64, over repeated jobs', async () => {
    const pool = await pooled;
    for (const [n, seed] of [
      [500, 1],
      [1, 2],
      [333, 3],
      [0, 4],
      [1200, 5],
    ] as const) {
      const m32 = rows(n, seed);
      const m64 = Float64Array.from(m32);
      for (const m of [m32, m64]) {
        const want = explainBatchFast(model, m, n);
        const got = pool.explainBatch(m, n);
        expect(got.expectedValue).toBe(want.expectedValue);
        expect(bits(got.contributions)).toEqual(bits(want.contributions));
      }
    }
  });

  it('workers really compute blocks', async () => {
    const pool = await pooled;
    const m = rows(700, 21);
    let workerBlocks = 0;
    for (let i = 0; i < 50 && workerBlocks === 0; i++) {
      pool.explainBatch(m, 700);
      workerBlocks = pool.lastWorkerBlocks;
    }
    expect(workerBlocks).toBeGreaterThan(0);
  });

  it('agrees with the reference TreeSHAP within 1e-12 and overwrites a dirty output buffer', async () => {
    const pool = await pooled;
    const m = rows(400, 9);
    const out = new Float64Array(400 * FEATURES).fill(123);
    pool.explainBatch(m, 400, out);
    const ref = explainBatch(model, m, 400).contributions;
    for (let i = 0; i < out.length; i++)
      expect(Math.abs((out[i] as number) - (ref[i] as number))).toBeLessThan(1e-12);
  });

  it('starts no worker before a large batch; the first one is exact while workers boot', async () => {
    const pool = await ShapPool.create(model, { threads: 2, minPoolRows: 100 });
    const small = rows(99, 30);
    pool.explainBatch(small, 99);
    expect(pool.workerCount).toBe(0);
    const big = rows(600, 31);
    expect(bits(pool.explainBatch(big, 600).contributions)).toEqual(
      bits(explainBatchFast(model, big, 600).contributions),
    );
    await pool.warmUp();
    expect(pool.workerCount).toBe(1);
    expect(bits(pool.explainBatch(big, 600).contributions)).toEqual(
      bits(explainBatchFast(model, big, 600).contributions),
    );
    await pool.close();
  });

  it('threads: 1 runs in-process with no workers, same bits', async () => {
    const pool = await ShapPool.create(model, { threads: 1 });
    expect(pool.workerCount).toBe(0);
    expect(pool.threads).toBe(1);
    const m = rows(300, 11);
    expect(bits(pool.explainBatch(m, 300).contributions)).toEqual(
      bits(explainBatchFast(model, m, 300).contributions),
    );
    await pool.close();
  });

  it('close() stops every worker, is idempotent, and later calls throw', async () => {
    const pool = await ShapPool.create(model, { threads: 2, minPoolRows: 0 });
    await pool.warmUp();
    expect(pool.workerCount).toBe(1);
    const m = rows(50, 12);
    pool.explainBatch(m, 50);
    await pool.close();
    await pool.close();
    expect(pool.workerCount).toBe(0);
    expect(() => pool.explainBatch(m, 50)).toThrow(
      expect.objectContaining({ code: 'AML_ERR_MODEL_NOT_LOADED' }),
    );
  });

  it('rejects a matrix shorter than numRows × width', async () => {
    const pool = await pooled;
    expect(() => pool.explainBatch(new Float32Array(FEATURES), 2)).toThrow(RangeError);
  });
});
