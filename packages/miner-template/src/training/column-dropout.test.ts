import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random.js';
import { CORE_FEATURE_COLUMNS } from '../schemas/features.js';
import { columnsOfGroup, FEATURE_GROUPS, UPSTREAM_NUMERIC_COLUMNS } from '../schemas/upstream-features.js';
import { generateBatch } from '../synthetic/generate.js';
import { COLUMN_GROUPS, coreColumnsOnly, drawDropout, dropColumnGroups } from './column-dropout.js';

const { batch } = generateBatch({ date: '2026-01-01', alerts: 120, seed: 5 });

describe('column-group dropout', () => {
  it('removes the non-core columns of a group and leaves the rest (and the input) alone', () => {
    const before = batch.features.columns.size;
    const out = dropColumnGroups(batch, ['distribution']);
    // distribution: 5 non-core columns, flow_concentration is core
    expect(out.features.columns.has('amount_skewness')).toBe(false);
    expect(out.features.columns.has('flow_concentration')).toBe(true);
    expect(out.features.columns.size).toBe(before - 5);
    expect(batch.features.columns.size).toBe(before);
    expect(out.money_flows).toBe(batch.money_flows);
  });

  it('removes core columns too when asked, and money_flows as a group', () => {
    const out = dropColumnGroups(batch, ['topology', 'money_flows'], { includeCore: true });
    for (const c of columnsOfGroup('topology')) expect(out.features.columns.has(c)).toBe(false);
    expect(out.money_flows).toEqual([]);
  });

  it('cuts a batch to the core columns', () => {
    expect([...coreColumnsOnly(batch).features.columns.keys()].sort()).toEqual(
      [...CORE_FEATURE_COLUMNS].sort(),
    );
  });

  it('draws only known groups, deterministically for a seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const a = drawDropout(new Rng(seed, 'd'));
        expect(drawDropout(new Rng(seed, 'd'))).toEqual(a);
        for (const g of a) expect(COLUMN_GROUPS).toContain(g);
      }),
    );
  });

  it('keeps every column when nothing is dropped', () => {
    expect([...dropColumnGroups(batch, []).features.columns.keys()]).toEqual([...UPSTREAM_NUMERIC_COLUMNS]);
    expect(FEATURE_GROUPS.length).toBe(13);
  });
});
