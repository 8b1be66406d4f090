import { STEALTH_TARGET_AUC } from '@aml/miner-template/tiers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillStoreWithCycles } from '../../../test/validator/support/dashboard-fixture.js';
import type { CycleReport } from '../cycle/run-cycle.js';
import { REFERENCE_HOTKEY } from '../cycle/tier-step.js';
import { statusRows } from '../status.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { dashboardHistory, dashboardStatus } from './data.js';

describe('dashboard JSON from a store filled by real cycles', () => {
  const store = new SqliteStore(':memory:');
  let reports: CycleReport[];
  beforeAll(async () => {
    // the last of three cycles runs the real stealth audit, so its figure is in the report
    reports = await fillStoreWithCycles(store, { cycles: 2 });
    reports.push(...(await fillStoreWithCycles(store, { cycles: 1, stealthAudit: true })));
  }, 120_000);
  afterAll(() => store.close());

  it('shows the latest cycle: the status rows, copies and why, weights, stealth and timings', async () => {
    const status = await dashboardStatus(store);
    if (status.cycle === null) throw new Error('the fixture ran no cycle');
    const last = reports[2];
    expect(status.cycle).toMatchObject({ cycleId: last.cycleId, stage: 'complete' });
    // the rows are status.ts's, extended, not recomputed
    const plain = await statusRows(store);
    expect(status.rows.map(({ copyOf: _c, t1Failure: _f, ...r }) => r)).toEqual(plain.rows);

    const row = (h: string) => status.rows.find((r) => r.hotkey === h)!;
    expect(status.rows[0].hotkey).toBe(REFERENCE_HOTKEY);
    expect(row('good').excess!).toBeGreaterThan(0);
    expect(row('good').chainWeight!).toBeGreaterThan(0.9);
    expect(row('good').note).toBe('beats the reference');
    expect(row('copier').copyOf).toBe('good');
    expect(row('copier').note).toMatch(/^copy of good/);
    expect(row('copier').chainWeight).toBe(0);
    expect(row('slow').t1).toBe('fail');
    expect(row('slow').t1Failure).toBeTruthy();
    expect(row('noisy').note).toMatch(/below the reference/);

    expect(status.reference!.perf).toBeCloseTo(last.standing!.reference.perf, 5);
    expect(status.weights).toMatchObject({ status: 'included', mode: 'excess' });
    expect(status.stealth!.target).toBe(STEALTH_TARGET_AUC);
    expect(status.stealth!.auc).toBe(last.stealthAuc);
    expect(status.stealth!.ms).toBeGreaterThan(0);
    expect(status.stealth!.traps).toBe(20);

    const answers = status.timings!.answers;
    expect(answers.map((a) => a.hotkey).sort()).toEqual(['@reference', 'copier', 'good', 'noisy', 'slow']);
    expect(answers.find((a) => a.hotkey === 'slow')).toMatchObject({ statusCode: 408 });
    expect(answers.find((a) => a.hotkey === 'good')!.storedBytes).toBeGreaterThan(100);
    expect(status.timings!.storedAnswerBytes).toBe(answers.reduce((s, a) => s + a.storedBytes, 0));
    expect(status.timings!.stealthMs).toBe(status.stealth!.ms);
  });

  it('charts each miner and the reference over the cycles, oldest first', async () => {
    const history = await dashboardHistory(store, 48);
    expect(history.cycles).toEqual(reports.map((r) => r.cycleId));
    expect(history.miners.map((m) => m.hotkey)).toEqual(['good', 'noisy', 'copier', 'slow']);
    const good = history.miners[0];
    expect(good.perf.every((p) => p !== null && p > 0)).toBe(true);
    reports.forEach((r, i) => {
      expect(history.reference.perf[i]).toBeCloseTo(r.standing!.reference.perf, 5);
      expect(good.perf[i]).toBeCloseTo(r.standing!.miners.get('good')!.perf, 5);
    });
    expect(history.miners[2].copy).toEqual([true, true, true]);
    expect(history.miners[3].t1).toEqual([0, 0, 0]);
    // the fixture waits out the rate limit between cycles: each set weights, nearly all to good
    expect(good.chainWeight.every((w) => w !== null && w > 0.9)).toBe(true);
    expect(history.stealthAuc.slice(0, 2)).toEqual([null, null]);
    expect(history.stealthAuc[2]).toBe(reports[2].stealthAuc);
    expect(history.slowestAnswerMs.every((ms) => ms !== null && ms >= 0)).toBe(true);

    const two = await dashboardHistory(store, 2);
    expect(two.cycles).toEqual(reports.slice(1).map((r) => r.cycleId));
    expect(two.miners[0].perf).toHaveLength(2);
  });

  it('answers an empty store with no cycle and empty series', async () => {
    const empty = new SqliteStore(':memory:');
    expect(await dashboardStatus(empty)).toMatchObject({ cycle: null });
    const history = await dashboardHistory(empty, 10);
    expect(history).toMatchObject({ cycles: [], miners: [], stealthAuc: [] });
    await empty.close();
  });
});
