import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBatchArrowField, encodeBatchContainer } from '../../data/arrow-container.js';
import { type AmlError, isAmlError } from '../../errors.js';
import { loadModels } from '../../models/model-loader.js';
import { ModelScoringService } from '../../models/model-scoring-service.js';
import type { AlertScore } from '../../schemas/api.js';
import { generateBatch } from '../../synthetic/index.js';
import { DeferredArrowBody, requestFromBody, requestOrDeferred } from '../batch-body.js';
import { WorkerScoringService } from './worker-scoring-service.js';

const LIMIT = 1 << 30;
const MODELS = fileURLToPath(new URL('../../../../../trained_models', import.meta.url));

/** latency_ms is wall time, the one field that may differ between two runs. */
const withoutLatency = <T extends { latency_ms: number }>(rows: T[]) =>
  rows.map(({ latency_ms: _, ...r }) => r);

let inProcess: ModelScoringService;
let pooled: WorkerScoringService;
beforeAll(async () => {
  inProcess = new ModelScoringService(await loadModels({ modelsDir: MODELS }));
  pooled = await WorkerScoringService.create({ load: { modelsDir: MODELS }, workers: 2 });
}, 120_000);
afterAll(async () => {
  await pooled?.close();
  await inProcess?.close();
});

describe('WorkerScoringService', () => {
  // larger than the TreeSHAP pool's 2,000-row threshold, so its own threads run inside the worker too
  const { batch } = generateBatch({
    network: 'torus',
    date: '2026-01-01',
    windowDays: 7,
    alerts: 2_500,
    seed: 7,
  });

  it('describes the models the workers loaded', () => {
    expect(pooled.health()).toEqual(inProcess.health());
    expect(pooled.versions()).toEqual(inProcess.versions());
    expect(pooled.featureCoverage('alert_scorer', batch)).toEqual(
      inProcess.featureCoverage('alert_scorer', batch),
    );
  });

  it('scores, explains and ranks bit for bit as the in-process service does', async () => {
    const [alerts, ranks, clusters, plain] = await Promise.all([
      pooled.scoreAlerts(batch),
      pooled.rankAlerts(batch),
      pooled.scoreClusters(batch),
      pooled.scoreAlerts(batch, { explain: false }),
    ]);
    const expected = await inProcess.scoreAlerts(batch);
    expect(alerts.length).toBe(batch.alerts.length);
    expect(alerts.every((a) => typeof a.explain_json === 'string')).toBe(true);
    expect(withoutLatency(alerts)).toEqual(withoutLatency(expected));
    expect(Array.from(ranks)).toEqual(Array.from(await inProcess.rankAlerts(batch)));
    expect(withoutLatency(clusters)).toEqual(withoutLatency(await inProcess.scoreClusters(batch)));
    expect(plain.every((a) => a.explain_json === undefined)).toBe(true);
    expect(plain.map((a) => a.score)).toEqual(expected.map((a) => a.score));
  }, 120_000);

  it('decodes, checks and scores a deferred batch_arrow body as the main thread would', async () => {
    const field = encodeBatchArrowField(batch);
    const body = requestOrDeferred({ batch_arrow: field, explain: false }, LIMIT);
    expect(body).toBeInstanceOf(DeferredArrowBody);
    const deferred = body as DeferredArrowBody;
    const outcome = await pooled.scoreDeferred('scoreAlerts', deferred, deferred.options);
    const local = requestFromBody({ batch_arrow: field }, LIMIT).batch;
    const expected = await inProcess.scoreAlerts(local, { explain: false });
    expect(withoutLatency(outcome.value as AlertScore[])).toEqual(withoutLatency(expected));
    expect(outcome.rowIds).toEqual(local.alerts.map((a) => a.alert_id));
    expect(outcome.coverage).toEqual(inProcess.featureCoverage('alert_scorer', local));
    // asked to serialize, the worker answers with the JSON bytes of the same entries
    const bytes = await pooled.scoreDeferred('scoreAlerts', deferred, deferred.options, { serialize: true });
    expect(bytes.json).toBeInstanceOf(Uint8Array);
    expect(bytes.rows).toBe(batch.alerts.length);
    const parsed = JSON.parse(new TextDecoder().decode(bytes.json)) as AlertScore[];
    expect(withoutLatency(parsed)).toEqual(withoutLatency(expected));
    expect(bytes.coverage).toEqual(outcome.coverage);
    const clusters = await pooled.scoreDeferred('scoreClusters', deferred, {});
    expect(clusters.rowIds).toEqual(local.clusters.map((c) => c.cluster_id));

    // a body that fails decoding fails with the error (status, message) the main thread gives
    const broken = requestOrDeferred({ batch_arrow: 'AAAA' }, LIMIT) as DeferredArrowBody;
    const mainThread = (() => {
      try {
        requestFromBody({ batch_arrow: 'AAAA' }, LIMIT);
      } catch (err) {
        return err;
      }
    })() as AmlError;
    const fromPool = await pooled.scoreDeferred('scoreAlerts', broken, {}).catch((e) => e);
    expect(isAmlError(fromPool) && [fromPool.status, fromPool.code, fromPool.message]).toEqual([
      mainThread.status,
      mainThread.code,
      mainThread.message,
    ]);
  }, 120_000);

  it('refuses to start when a model file is present but unusable, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aml-pool-'));
    await writeFile(join(dir, 'alert_scorer_v1.0.0.txt'), 'not a model');
    try {
      const err = await WorkerScoringService.create({ load: { modelsDir: dir }, workers: 1 }).catch((e) => e);
      expect(isAmlError(err) && err.code).toBe('AML_ERR_MODEL_LOAD_FAILED');
      expect((err as Error).message).toContain(join(dir, 'alert_scorer_v1.0.0.txt'));
      // an error thrown while a worker loads comes back as the same AmlError, code and all
      await writeFile(join(dir, 'model_metadata.json'), '{garbage');
      const thrown = await WorkerScoringService.create({ load: { modelsDir: dir }, workers: 1 }).catch(
        (e) => e,
      );
      expect(isAmlError(thrown) && thrown.code).toBe('AML_ERR_GBDT_MODEL_FORMAT');
      expect((thrown as Error).message).toMatch(/model_metadata\.json is not valid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('starts degraded when the folder holds no model files, naming what it looked for', async () => {
    const bad = fileURLToPath(new URL('../../../test/fixtures/no-such-models', import.meta.url));
    const service = await WorkerScoringService.create({ load: { modelsDir: bad }, workers: 1 });
    expect(service.health()).toEqual({ alert_scorer: false, alert_ranker: false, cluster_scorer: false });
    expect(service.problems.alert_scorer).toMatch(/no alert_scorer_v<version>\.txt/);
    await service.close();
  }, 60_000);
});

describe('a worker that exhausts its heap', () => {
  it('fails its own request only: the pool starts another worker and goes on scoring', async () => {
    // 40 MB holds the models (24 MB does not) but not the scoring of 10,000 alerts (48 MB does not)
    const { batch: large } = generateBatch({
      network: 'torus',
      date: '2026-01-01',
      windowDays: 7,
      alerts: 10_000,
      seed: 9,
    });
    const { batch: small } = generateBatch({
      network: 'torus',
      date: '2026-01-01',
      windowDays: 7,
      alerts: 30,
      seed: 9,
    });
    // a corrupted schema offset (byte 72, the alerts schema's field vector, 4 -> 1) once made
    // apache-arrow allocate until the heap was full; the metadata check now refuses it first
    const container = encodeBatchContainer(small);
    expect(container[72]).toBe(4);
    const corrupted = container.slice();
    corrupted[72] = 1;
    const field = gzipSync(corrupted).toString('base64');
    const service = await WorkerScoringService.create({
      load: { modelsDir: MODELS },
      workers: 1,
      warm: false,
      heapLimitMb: 40,
    });
    try {
      const err = await service.scoreAlerts(large).catch((e) => e);
      expect(err).toBeInstanceOf(Error);
      expect(String((err as Error).message)).toMatch(/memory/i);
      // this process is alive (we are here) and the pool answers the next request
      const scores = await service.scoreAlerts(small, { explain: false });
      expect(scores.map((s) => s.alert_id)).toEqual(small.alerts.map((a) => a.alert_id));
      const body = requestOrDeferred({ batch_arrow: field }, LIMIT) as DeferredArrowBody;
      const refused = await service.scoreDeferred('scoreAlerts', body, {}).catch((e) => e);
      expect(isAmlError(refused) && [refused.status, refused.code]).toEqual([
        400,
        'AML_ERR_API_ARROW_FORMAT',
      ]);
      expect((refused as Error).message).toMatch(/IPC metadata: message 0: a vector of \d+ entries/);
    } finally {
      await service.close();
    }
  }, 120_000);
});
