/**
 * The behaviour every ValidatorStore must show, as one vitest suite run against each
 * implementation (SQLite always, PostgreSQL when a server is available). Each test opens a fresh,
 * empty store through `open`. Expected values are written out by hand, never read back from the
 * store under test.
 */
import { gzipSync } from 'node:zlib';
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
      // The dashboard's view: the same bookkeeping and the stored (gzip'd JSON) size, no scores.
      expect(await store.answerSummaries(cycle.cycleId)).toEqual([
        {
          hotkey: 'hk0',
          uid: 0,
          statusCode: 408,
          elapsedMs: 3000,
          modelVersion: null,
          error: 'timeout',
          storedBytes: gzipSync('null', { level: 6 }).length,
        },
        {
          hotkey: 'hk1',
          uid: 1,
          statusCode: 200,
          elapsedMs: 12.5,
          modelVersion: 'm1',
          error: null,
          storedBytes: gzipSync(JSON.stringify(answer), { level: 6 }).length,
        },
      ]);
      expect(await store.answerSummaries(cycle.cycleId + 1)).toEqual([]);

      await store.putTierResults(
        cycle.cycleId,
        [
          {
            hotkey: 'hk1',
            uid: 1,
            t1: 1,
            t1Failure: null,
            t2: 0.8,
            t2Detail: { trapAuc: 0.9, trapComponent: 0.8 },
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
        t2Detail: { trapAuc: 0.9, trapComponent: 0.8 },
        immediate: 0.44,
        t3: null,
        final: null,
        copyOf: null,
        t2Settled: null,
      });
      expect((await store.unsettledCycles()).map((c) => c.cycleId)).toEqual([cycle.cycleId]);
      await store.settleTier3(cycle.cycleId, [{ hotkey: 'hk1', t3: 0.9, final: 0.89, t2Settled: 0.7 }]);
      expect(await store.unsettledCycles()).toEqual([]);
      expect(await store.scoreWindow('torus', '2026-01-01', '2026-01-01')).toEqual({
        cycles: [{ cycleId: cycle.cycleId, batchDate: '2026-01-01' }],
        rows: [
          {
            cycleId: cycle.cycleId,
            hotkey: 'hk1',
            uid: 1,
            t1: 1,
            t2: 0.8,
            t2Settled: 0.7,
            trapComponent: 0.8,
            copyOf: null,
            t3: 0.9,
            settled: true,
          },
        ],
        firstCycle: new Map([['hk1', cycle.cycleId]]),
      });
      expect((await store.scoreWindow('torus', '2026-01-02', '2026-01-31')).rows).toEqual([]);

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
      expect(canon[0]).toEqual({
        alertId: 'a1',
        score: 0.25,
        std: 0,
        minerCount: 1,
        source: 'ensemble',
        cycleId: cycle.cycleId,
      });
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

    it('stores answers one by one without moving the cycle on, and each once', async () => {
      const store = await open();
      await store.putBatch(batch);
      const c = await store.beginCycle(batch.batchId, 1, 1);
      const a = { hotkey: 'hk-a', uid: 1, statusCode: 200, elapsedMs: 5, modelVersion: 'm', answer: [1] };
      await store.putAnswer(c.cycleId, a);
      await store.putAnswer(c.cycleId, {
        ...a,
        hotkey: 'hk-b',
        uid: 2,
        statusCode: 408,
        answer: null,
        error: 'timeout',
      });
      await store.putAnswer(c.cycleId, { ...a, answer: [7] });
      expect((await store.openCycle())?.stage).toBe('started');
      const rows = await store.answers(c.cycleId);
      expect(rows.map((r) => [r.hotkey, r.statusCode, r.answer])).toEqual([
        ['hk-a', 200, [7]],
        ['hk-b', 408, null],
      ]);
      await store.close();
    });

    it('reads one answer by hotkey, unpacked', async () => {
      const store = await open();
      await store.putBatch(batch);
      const c = await store.beginCycle(batch.batchId, 1, 1);
      const a = {
        hotkey: 'hk-a',
        uid: 1,
        statusCode: 200,
        elapsedMs: 5,
        modelVersion: 'm',
        answer: [{ s: 0.25 }],
      };
      await store.putAnswer(c.cycleId, a);
      await store.putAnswer(c.cycleId, { ...a, hotkey: 'hk-b', answer: [2] });
      expect(await store.answerOf(c.cycleId, 'hk-a')).toEqual({ ...a, error: null });
      expect((await store.answerOf(c.cycleId, 'hk-b'))?.answer).toEqual([2]);
      expect(await store.answerOf(c.cycleId, 'hk-c')).toBeUndefined();
      expect(await store.answerOf(c.cycleId + 1, 'hk-a')).toBeUndefined();
      await store.close();
    });

    it('keeps one row of axon codecs per hotkey: a new address replaces it, a drop removes it', async () => {
      const store = await open();
      expect(await store.axonCodecs()).toEqual([]);
      await store.putAxonCodecs(
        { hotkey: 'hk-b', address: '10.0.0.2:8091', gzipBody: true, brotliBatch: false },
        1,
      );
      await store.putAxonCodecs(
        { hotkey: 'hk-a', address: '10.0.0.1:8091', gzipBody: true, brotliBatch: true },
        2,
      );
      await store.putAxonCodecs(
        { hotkey: 'hk-b', address: '10.0.0.9:9000', gzipBody: false, brotliBatch: true },
        3,
      );
      expect(await store.axonCodecs()).toEqual([
        { hotkey: 'hk-a', address: '10.0.0.1:8091', gzipBody: true, brotliBatch: true },
        { hotkey: 'hk-b', address: '10.0.0.9:9000', gzipBody: false, brotliBatch: true },
      ]);
      await store.dropAxonCodecs('hk-a');
      await store.dropAxonCodecs('hk-none');
      expect((await store.axonCodecs()).map((c) => c.hotkey)).toEqual(['hk-b']);
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
      expect(canon[1234]).toEqual({
        alertId: 'a01234',
        score: 1234 / 2500,
        std: 0.01,
        minerCount: 2,
        source: 'ensemble',
        cycleId: c.cycleId,
      });
      await store.close();
    });

    it('resumes the newest open cycle and lists cycles newest first', async () => {
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
      expect((await store.recentCycles(2)).map((c) => c.cycleId)).toEqual([ids[2], ids[1]]);
      expect((await store.unsettledCycles()).map((c) => c.cycleId)).toEqual(ids);
      expect(await store.batchDates('torus')).toEqual(['2026-01-01']);
      await store.close();
    });

    it('keeps a cycle plan, trap truth and a merged report', async () => {
      const store = await open();
      await store.putBatch(batch);
      const plan = { seed: 7, real: [0, 2], traps: [1] };
      const c = await store.beginCycle(batch.batchId, 7, 1, { plan, traps: [{ alertId: 'x9', truth: 1 }] });
      expect(await store.cyclePlan(c.cycleId)).toEqual(plan);
      expect(await store.traps(c.cycleId)).toEqual([{ alertId: 'x9', truth: 1 }]);
      expect(await store.cycleReport(c.cycleId)).toEqual({});
      await store.updateCycleReport(c.cycleId, { stealth: { auc: 0.55 } });
      await store.updateCycleReport(c.cycleId, { ensemble: { hk: 1 } });
      expect(await store.cycleReport(c.cycleId)).toEqual({ stealth: { auc: 0.55 }, ensemble: { hk: 1 } });
      await store.close();
    });

    it("keeps the first trap pool written for a batch (a second validator process gets the first one's)", async () => {
      const store = await open();
      await store.putBatch(batch);
      expect(await store.trapPool(batch.batchId)).toBeUndefined();
      expect(await store.putTrapPool(batch.batchId, 1, { traps: ['first'] })).toEqual({ traps: ['first'] });
      expect(await store.putTrapPool(batch.batchId, 2, { traps: ['second'] })).toEqual({ traps: ['first'] });
      expect(await store.trapPool(batch.batchId)).toEqual({ traps: ['first'] });
      await store.close();
    });

    it('banks a settled batch once, serves least-used entries and prunes the oldest', async () => {
      const store = await open();
      const entries = [
        { alertId: 'a1', address: 'x', truth: 1 as const, payload: { n: 1 } },
        { alertId: 'a2', address: 'y', truth: 0 as const, payload: { n: 2 } },
      ];
      await store.addToTrapBank('torus', 'torus/2026-01-01/7', entries, 100);
      await store.addToTrapBank('torus', 'torus/2026-01-01/7', [{ ...entries[0], alertId: 'a3' }], 101);
      await store.addToTrapBank('torus', 'torus/2026-01-02/7', [{ ...entries[1], alertId: 'b1' }], 200);
      expect(await store.trapBankSources()).toEqual(new Set(['torus/2026-01-01/7', 'torus/2026-01-02/7']));
      const index = await store.trapBankIndex('torus');
      expect(index.map((e) => [e.alertId, e.address, e.truth, e.uses])).toEqual([
        ['a1', 'x', 1, 0],
        ['a2', 'y', 0, 0],
        ['b1', 'y', 0, 0],
      ]);
      expect(await store.trapBankIndex('bitcoin')).toEqual([]);
      const payloads = await store.trapBankPayloads([index[1].id]);
      expect(payloads.get(index[1].id)).toEqual({ n: 2 });
      await store.markTrapBankUsed([index[0].id], '2026-01-03');
      expect((await store.trapBankIndex('torus')).find((e) => e.alertId === 'a1')!.uses).toBe(1);
      expect(await store.pruneTrapBank('torus', 1)).toBe(2);
      expect((await store.trapBankIndex('torus')).map((e) => e.alertId)).toEqual(['b1']);
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
        mortal: true,
        txHash: null,
        era: null,
        revealId: null,
      });
      const revealId = await store.recordWeightIntent(
        { cycleId: 2, block: 600, kind: 'reveal', uids: [1], weights: [1], revealId: 4 },
        6,
      );
      expect((await store.lastWeightSubmission())?.id).toBe(id);
      expect((await store.lastWeightSubmission(['reveal']))?.id).toBe(revealId);
      // The signed extrinsic's hash and era are kept with the intent; kinds filter the open ones.
      await store.recordWeightSigned(revealId, '0xabc', { birth: 601, period: 32 });
      const [unresolved] = await store.unresolvedWeightSubmissions();
      expect(unresolved).toMatchObject({
        id: revealId,
        txHash: '0xabc',
        era: { birth: 601, period: 32 },
        revealId: 4,
      });
      expect(await store.unresolvedWeightSubmissions(['set', 'commit'])).toEqual([]);

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
