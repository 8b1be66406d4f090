import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.js';

const batch = {
  batchId: 'torus/2026-01-01/7',
  network: 'torus',
  processingDate: '2026-01-01',
  windowDays: 7,
  alertCount: 3,
  source: 'generated',
};

describe('SqliteStore', () => {
  it('walks a cycle through its stages and reads everything back', async () => {
    const store = new SqliteStore(':memory:');
    await store.putBatch(batch);
    const cycle = await store.beginCycle(batch.batchId, 99, 1000);
    expect((await store.openCycle())?.cycleId).toBe(cycle.cycleId);

    await store.putTraps(cycle.cycleId, [
      { alertId: 't1', truth: 1 },
      { alertId: 't0', truth: 0 },
    ]);
    expect(await store.traps(cycle.cycleId)).toEqual([
      { alertId: 't0', truth: 0 },
      { alertId: 't1', truth: 1 },
    ]);

    const answer = [{ alert_id: 'a1', score: 0.25, model_version: 'm1', latency_ms: 1, explain_json: '{}' }];
    await store.putAnswers(
      cycle.cycleId,
      [{ hotkey: 'hk1', uid: 1, statusCode: 200, elapsedMs: 12.5, modelVersion: 'm1', answer }],
      1001,
    );
    expect((await store.openCycle())?.stage).toBe('queried');
    expect((await store.answers(cycle.cycleId))[0].answer).toEqual(answer);

    await store.putTierResults(
      cycle.cycleId,
      [
        {
          hotkey: 'hk1',
          uid: 1,
          t1: 1,
          t1Failure: null,
          t2: 0.8,
          t2Detail: { trapAuc: 0.9 },
          immediate: 0.44,
        },
      ],
      1002,
    );
    expect((await store.tierResults(cycle.cycleId))[0]).toMatchObject({
      t2: 0.8,
      immediate: 0.44,
      t3: null,
      final: null,
      t2Detail: { trapAuc: 0.9 },
    });
    expect((await store.unsettledCycles()).map((c) => c.cycleId)).toEqual([cycle.cycleId]);
    await store.settleTier3(cycle.cycleId, 'hk1', 0.9, 0.89);
    expect(await store.unsettledCycles()).toEqual([]);
    expect(await store.performanceHistory('hk1', 30)).toEqual([
      { cycleId: cycle.cycleId, immediate: 0.44, final: 0.89 },
    ]);

    await store.putCanonical(
      cycle.cycleId,
      batch.batchId,
      [
        { alertId: 'a1', score: 0.25, std: 0, minerCount: 1 },
        { alertId: 'a2', score: Number.NaN, std: Number.NaN, minerCount: 0 },
      ],
      1003,
    );
    const canon = await store.canonical(batch.batchId);
    expect(canon[0]).toEqual({ alertId: 'a1', score: 0.25, std: 0, minerCount: 1 });
    expect(canon[1].score).toBeNaN();
    await store.setCycleStage(cycle.cycleId, 'complete', 1004);
    expect(await store.openCycle()).toBeUndefined();
    await store.close();
  });

  it('keeps the first miner to show a model_version as its owner', async () => {
    const store = new SqliteStore(':memory:');
    expect(await store.firstSeenModelVersion('v1', 'alice', 1, 10)).toEqual({
      hotkey: 'alice',
      firstSeen: 10,
    });
    expect(await store.firstSeenModelVersion('v1', 'bob', 2, 20)).toEqual({ hotkey: 'alice', firstSeen: 10 });
    await store.close();
  });

  it('records weight intents before the call and reports the unresolved ones', async () => {
    const store = new SqliteStore(':memory:');
    const id = await store.recordWeightIntent(
      { cycleId: 1, block: 500, kind: 'set', uids: [1, 2], weights: [65535, 100] },
      5,
    );
    expect((await store.unresolvedWeightSubmissions()).map((w) => w.id)).toEqual([id]);
    await store.resolveWeightSubmission(id, 'included', 'block 501');
    expect(await store.unresolvedWeightSubmissions()).toEqual([]);
    expect(await store.lastWeightSubmission()).toMatchObject({
      id,
      status: 'included',
      uids: [1, 2],
      weights: [65535, 100],
      block: 500,
    });
    const reveal = await store.putPendingReveal(1, {
      netuid: 42,
      uids: [1],
      values: [65535],
      salt: [1, 2, 3],
      versionKey: 7002000,
    });
    expect((await store.pendingReveals())[0]).toEqual({
      id: reveal,
      cycleId: 1,
      pending: { netuid: 42, uids: [1], values: [65535], salt: [1, 2, 3], versionKey: 7002000 },
    });
    await store.markRevealed(reveal);
    expect(await store.pendingReveals()).toEqual([]);
    await store.close();
  });

  it('loses nothing a call acknowledged when the process is killed with SIGKILL right after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aml-store-'));
    const path = join(dir, 'validator.sqlite');
    const script = `
      import { SqliteStore } from ${JSON.stringify(new URL('./sqlite-store.ts', import.meta.url).pathname)};
      const store = new SqliteStore(${JSON.stringify(path)});
      await store.putBatch(${JSON.stringify(batch)});
      const c = await store.beginCycle(${JSON.stringify(batch.batchId)}, 5, 1);
      await store.putAnswers(c.cycleId, [{ hotkey: 'hk', uid: 0, statusCode: 200, elapsedMs: 1, modelVersion: 'm', answer: [1, 2, 3] }], 2);
      await store.recordWeightIntent({ cycleId: c.cycleId, block: 7, kind: 'set', uids: [0], weights: [65535] }, 3);
      process.stdout.write('acknowledged\\n');
      process.kill(process.pid, 'SIGKILL');
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.stdout).toContain('acknowledged');
    expect(run.signal).toBe('SIGKILL');
    const store = new SqliteStore(path);
    const open = await store.openCycle();
    expect(open?.stage).toBe('queried');
    expect((await store.answers(open!.cycleId))[0].answer).toEqual([1, 2, 3]);
    expect((await store.unresolvedWeightSubmissions())[0]).toMatchObject({ block: 7, uids: [0] });
    await store.close();
  });
});
