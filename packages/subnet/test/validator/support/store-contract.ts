/**
 * The behaviour every ValidatorStore must show, as one vitest suite run against each
 * implementation (SQLite always, PostgreSQL when a server is available). Each test opens a fresh,
 * empty store through `open`. Expected values are written out by hand, never read back from the
 * store under test.
 */
import { describe, expect, it } from 'vitest';
import type { ValidatorStore } from '../../../src/validator/store/types.js';

export const contractBatch = {
  batchId: 'torus/2026-01-01/7',
  network: 'torus',
  processingDate: '2026-01-01',
  windowDays: 7,
  alertCount: 3,
  source: 'generated',
};

export function describeStoreContract(name: string, open: () => Promise<ValidatorStore>): void {
  const batch = contractBatch;
  describe(`${name} (ValidatorStore contract)`, () => {
    it('walks a cycle through its stages and reads everything back', async () => {
      const store = await open();
      await store.putBatch(batch);
      expect(await store.getBatch(batch.batchId)).toEqual(batch);
      expect(await store.getBatch('nope')).toBeUndefined();
      const cycle = await store.beginCycle(batch.batchId, 2 ** 31 - 1, 1_764_000_000_000);
      expect(cycle).toMatchObject({ stage: 'started', trapSeed: 2 ** 31 - 1, startedAt: 1_764_000_000_000 });
      expect((await store.openCycle())?.cycleId).toBe(cycle.cycleId);

      await store.putTraps(cycle.cycleId, [
        { alertId: 't1', truth: 1 },
        { alertId: 't0', truth: 0 },
      ]);
      expect(await store.traps(cycle.cycleId)).toEqual([
        { alertId: 't0', truth: 0 },
        { alertId: 't1', truth: 1 },
      ]);

      const answer = [
        { alert_id: 'a1', score: 0.25, model_version: 'm1', latency_ms: 1, explain_json: '{}' },
      ];
      await store.putAnswers(
        cycle.cycleId,
        [
          { hotkey: 'hk1', uid: 1, statusCode: 200, elapsedMs: 12.5, modelVersion: 'm1', answer },
          {
            hotkey: 'hk0',
            uid: 0,
            statusCode: 408,
            elapsedMs: 3000,
            modelVersion: null,
            answer: null,
            error: 'timeout',
          },
        ],
        1001,
      );
      expect((await store.openCycle())?.stage).toBe('queried');
      const answers = await store.answers(cycle.cycleId);
      expect(answers.map((a) => a.hotkey)).toEqual(['hk0', 'hk1']);
      expect(answers[0]).toEqual({
        hotkey: 'hk0',
        uid: 0,
        statusCode: 408,
        elapsedMs: 3000,
        modelVersion: null,
        answer: null,
        error: 'timeout',
      });
      expect(answers[1].answer).toEqual(answer);
      expect(answers[1].elapsedMs).toBe(12.5);

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
      expect((await store.openCycle())?.stage).toBe('scored');
      expect((await store.tierResults(cycle.cycleId))[0]).toEqual({
        hotkey: 'hk1',
        uid: 1,
        t1: 1,
        t1Failure: null,
        t2: 0.8,
        t2Detail: { trapAuc: 0.9 },
        immediate: 0.44,
        t3: null,
        final: null,
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
      expect((await store.openCycle())?.stage).toBe('ensembled');
      const canon = await store.canonical(batch.batchId);
      expect(canon[0]).toEqual({ alertId: 'a1', score: 0.25, std: 0, minerCount: 1 });
      expect(canon[1].score).toBeNaN();
      expect(canon[1].std).toBeNaN();
      await store.setCycleStage(cycle.cycleId, 'complete', 1004);
      expect(await store.openCycle()).toBeUndefined();
      expect(await store.latestCycle()).toMatchObject({
        cycleId: cycle.cycleId,
        stage: 'complete',
        updatedAt: 1004,
      });
      await store.close();
    });

    it('writes answers, tiers and canonical rows again without duplicating them (a resumed step)', async () => {
      const store = await open();
      await store.putBatch(batch);
      const c = await store.beginCycle(batch.batchId, 1, 1);
      const a = { hotkey: 'hk', uid: 3, statusCode: 200, elapsedMs: 1, modelVersion: 'm', answer: [1] };
      await store.putAnswers(c.cycleId, [a], 2);
      await store.putAnswers(c.cycleId, [{ ...a, answer: [2] }], 3);
      expect((await store.answers(c.cycleId)).map((r) => r.answer)).toEqual([[2]]);
      const t = { hotkey: 'hk', uid: 3, t1: 1, t1Failure: null, t2: 0.5, t2Detail: null, immediate: 0.35 };
      await store.putTierResults(c.cycleId, [t], 4);
      await store.putTierResults(c.cycleId, [{ ...t, t2: 0.6 }], 5);
      expect((await store.tierResults(c.cycleId)).map((r) => r.t2)).toEqual([0.6]);
      const rows = Array.from({ length: 2500 }, (_, i) => ({
        alertId: `a${String(i).padStart(5, '0')}`,
        score: i / 2500,
        std: 0.01,
        minerCount: 2,
      }));
      await store.putCanonical(c.cycleId, batch.batchId, rows, 6);
      await store.putCanonical(c.cycleId, batch.batchId, rows, 7);
      const canon = await store.canonical(batch.batchId);
      expect(canon).toHaveLength(2500);
      expect(canon[1234]).toEqual({ alertId: 'a01234', score: 1234 / 2500, std: 0.01, minerCount: 2 });
      await store.close();
    });

    it('resumes the newest open cycle and keeps performance history newest first', async () => {
      const store = await open();
      await store.putBatch(batch);
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const c = await store.beginCycle(batch.batchId, i, 10 + i);
        ids.push(c.cycleId);
        await store.putTierResults(
          c.cycleId,
          [{ hotkey: 'hk', uid: 0, t1: 1, t1Failure: null, t2: 0, t2Detail: null, immediate: i / 10 }],
          20 + i,
        );
      }
      expect(ids[0] < ids[1] && ids[1] < ids[2]).toBe(true);
      await store.setCycleStage(ids[2], 'complete', 30);
      expect((await store.openCycle())?.cycleId).toBe(ids[1]);
      expect(await store.performanceHistory('hk', 2)).toEqual([
        { cycleId: ids[2], immediate: 0.2, final: null },
        { cycleId: ids[1], immediate: 0.1, final: null },
      ]);
      expect((await store.unsettledCycles()).map((c) => c.cycleId)).toEqual(ids);
      await store.close();
    });

    it('keeps the first miner to show a model_version as its owner', async () => {
      const store = await open();
      expect(await store.firstSeenModelVersion('v1', 'alice', 1, 1_764_000_000_010)).toEqual({
        hotkey: 'alice',
        firstSeen: 1_764_000_000_010,
      });
      expect(await store.firstSeenModelVersion('v1', 'bob', 2, 20)).toEqual({
        hotkey: 'alice',
        firstSeen: 1_764_000_000_010,
      });
      await store.close();
    });

    it('records weight intents before the call and reports the unresolved ones', async () => {
      const store = await open();
      expect(await store.lastWeightSubmission()).toBeUndefined();
      const id = await store.recordWeightIntent(
        { cycleId: 1, block: 500, kind: 'set', uids: [1, 2], weights: [65535, 100] },
        5,
      );
      expect((await store.unresolvedWeightSubmissions()).map((w) => w.id)).toEqual([id]);
      await store.resolveWeightSubmission(id, 'included', 'block 501');
      expect(await store.unresolvedWeightSubmissions()).toEqual([]);
      expect(await store.lastWeightSubmission()).toEqual({
        id,
        cycleId: 1,
        status: 'included',
        detail: 'block 501',
        kind: 'set',
        uids: [1, 2],
        weights: [65535, 100],
        block: 500,
        createdAt: 5,
      });
      const revealId = await store.recordWeightIntent(
        { cycleId: 2, block: 600, kind: 'reveal', uids: [1], weights: [1] },
        6,
      );
      expect((await store.lastWeightSubmission())?.id).toBe(id);
      expect((await store.lastWeightSubmission(['reveal']))?.id).toBe(revealId);

      const reveal = await store.putPendingReveal(1, {
        netuid: 42,
        uids: [1],
        values: [65535],
        salt: [1, 2, 3],
        versionKey: 7002000,
      });
      expect(await store.pendingReveals()).toEqual([
        {
          id: reveal,
          cycleId: 1,
          pending: { netuid: 42, uids: [1], values: [65535], salt: [1, 2, 3], versionKey: 7002000 },
        },
      ]);
      await store.markRevealed(reveal);
      expect(await store.pendingReveals()).toEqual([]);
      await store.close();
    });
  });
}
