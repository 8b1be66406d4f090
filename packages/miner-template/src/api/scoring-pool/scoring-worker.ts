/**
 * One thread of the scoring pool (worker-scoring-service.ts): loads its own models (an onnxruntime
 * session cannot cross threads), warms them with a small generated batch so the first request does
 * not pay for lazy initialisation, then runs the tasks the main thread posts. Errors go back as
 * plain data so the main thread can rebuild the AmlError (its HTTP status and code) they were.
 */
import { workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { Batch } from '../../data/batch.js';
import { ContainerFrameReader } from '../../data/container-frames.js';
import { isAmlError } from '../../errors.js';
import type { ScoreOptions } from '../../models/model-contract.js';
import { type LoadedModels, loadModels } from '../../models/model-loader.js';
import { ModelScoringService } from '../../models/model-scoring-service.js';
import type { DeferredOutcome, DeferredTask } from '../../models/scoring-service.js';
import { collectGarbage } from '../../runtime/collect-garbage.js';
import type { AlertScore, ClusterScore, ModelName } from '../../schemas/api.js';
import { generateBatch } from '../../synthetic/index.js';
import {
  ArrowBody,
  DeferredArrowBody,
  requestFromBody,
  requestFromDeferred,
  type ScoringRequest,
} from '../batch-body.js';
import { assertRowsMatch } from '../rows-match.js';
import { StreamedRequest } from '../streamed-request.js';
import { jsonArrayBytes } from './json-bytes.js';
import type {
  PoolDescription,
  PoolTask,
  PoolTaskResult,
  ScoringWorkerData,
  StreamMessage,
} from './worker-protocol.js';

const init = workerData as ScoringWorkerData;

/** An error as data the main thread turns back into the error it was (worker-scoring-service.ts). */
function errorResult(err: unknown): PoolTaskResult {
  if (isAmlError(err)) return { ok: false, code: err.code, message: err.message, details: err.details };
  return { ok: false, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}

let models: LoadedModels = { problems: {}, failures: [] };
/** Set when loading threw (e.g. unreadable metadata): every task answers with it. */
let startError: PoolTaskResult | undefined;
try {
  // TreeSHAP in this thread: the pool's workers (one per core) are the parallelism; a TreeSHAP pool
  // per model per worker would add a thread each and keep two shared buffers of a batch's size
  // (100 MB at 50,000 alerts) for good
  models = await loadModels({ ...init.load, shapThreads: 1 });
} catch (err) {
  startError = errorResult(err);
}
const service = new ModelScoringService(models);

function describe(): PoolDescription {
  return {
    health: service.health(),
    versions: service.versions(),
    problems: models.problems,
    failures: models.failures,
    featureNames: {
      alert_scorer: models.alertScorer?.model.featureNames,
      alert_ranker: models.alertRanker?.model.featureNames,
      cluster_scorer: models.clusterScorer?.model.featureNames,
    },
  };
}

/** Every loaded model once, explanations included, on a batch small enough to cost nothing. */
async function warm(): Promise<void> {
  const { batch } = generateBatch({
    network: 'torus',
    date: '2026-01-01',
    windowDays: 7,
    alerts: 20,
    seed: 1,
  });
  const flags = service.health();
  if (flags.alert_scorer) await service.scoreAlerts(batch);
  if (flags.alert_ranker) await service.rankAlerts(batch);
  if (flags.cluster_scorer && batch.clusters.length > 0) await service.scoreClusters(batch);
}

if (startError === undefined && models.failures.length === 0 && init.warm !== false) await warm();

const MODEL_OF: Record<DeferredTask, ModelName> = {
  scoreAlerts: 'alert_scorer',
  rankAlerts: 'alert_ranker',
  scoreClusters: 'cluster_scorer',
};

/** A batch_arrow body decoded, checked and scored here, with what the route needs besides. */
function runDeferred(task: Extract<PoolTask, { kind: 'deferred' }>) {
  const { body } = task;
  // a structured clone of the body is a plain object: restore the class requestFromDeferred reads
  const { batch } = requestFromDeferred(
    new DeferredArrowBody(body.field, body.options, body.maxDecodedBytes),
  );
  return scoreBatch(task.task, batch, task.options, task.serialize === true);
}

/** Where a streamed body's chunks go: StreamedRequest for JSON, the frame reader for the Arrow container. */
interface BodyReader {
  push(chunk: Uint8Array): void;
  finish(): Promise<ScoringRequest>;
}

/**
 * The container's tables decoded one by one as their bytes arrive (container-frames.ts); no frame
 * can be larger than the body limit, which the main thread enforces.
 */
function containerReader(maxBytes: number): BodyReader {
  const frames = new ContainerFrameReader(maxBytes);
  return {
    push: (chunk) => frames.push(chunk),
    finish: async () => requestFromBody(new ArrowBody(frames.finish()), Number.POSITIVE_INFINITY),
  };
}

/** A streamed body read here as its chunks arrive, then checked and scored. */
async function runStream(task: Extract<PoolTask, { kind: 'stream' }>) {
  const reader: BodyReader =
    task.format === 'json'
      ? new StreamedRequest(task.maxDecodedBytes)
      : containerReader(Number.isNaN(task.contentLength) ? task.maxDecodedBytes : task.contentLength);
  const { port } = task;
  await new Promise<void>((resolve, reject) => {
    port.on('message', (m: StreamMessage) => {
      try {
        if ('chunk' in m) {
          reader.push(m.chunk);
          port.postMessage(m.chunk.length);
          return;
        }
        port.close();
        if ('end' in m) resolve();
        else reject(new Error('the request body was abandoned'));
      } catch (err) {
        port.close();
        reject(err);
      }
    });
  }).finally(() => {
    // the task (held until it answers) holds the port: without its listener the port no longer
    // reaches the reader, so the body's rows can die with the batch, before TreeSHAP
    port.removeAllListeners();
  });
  const { batch, options } = await reader.finish();
  // the body's own explain wins; the route's (query string) applies when the body names none
  const explain = options.explain === undefined ? task.options : options;
  return scoreBatch(task.task, batch, explain, task.serialize === true);
}

/**
 * Builds the features, then scores them without the batch: no frame that outlives this call holds
 * it, so its rows (hundreds of MB at 50,000 alerts) are garbage before inference and TreeSHAP.
 */
function scoreBatch(
  task: DeferredTask,
  batch: Batch,
  options: ScoreOptions,
  serialize: boolean,
): Promise<DeferredOutcome> {
  collectGarbage(); // what decoding left: the body's chunks, inflated bytes, Arrow tables
  const rowIds =
    task === 'scoreClusters' ? batch.clusters.map((c) => c.cluster_id) : batch.alerts.map((a) => a.alert_id);
  const coverage = service.featureCoverage(MODEL_OF[task], batch);
  const score = service.prepare(task, batch, options);
  return answer(task, score, rowIds, coverage, serialize && task !== 'rankAlerts');
}

async function answer(
  task: DeferredTask,
  score: () => Promise<unknown>,
  rowIds: string[],
  coverage: DeferredOutcome['coverage'],
  serialize: boolean,
): Promise<DeferredOutcome> {
  // one tick later the caller's frame, the last to hold the batch, has returned: its rows go now
  await null;
  collectGarbage();
  const value = await score();
  if (task === 'rankAlerts')
    return { value: Float64Array.from(value as ArrayLike<number>), rowIds, coverage };
  if (!serialize) return { value, rowIds, coverage };
  // the check the route makes on objects, made here where the objects are
  const rows = value as (AlertScore | ClusterScore)[];
  const ids = rows.map((r) => ('alert_id' in r ? r.alert_id : r.cluster_id));
  assertRowsMatch(rowIds, ids, task === 'scoreClusters' ? 'cluster score' : 'alert score');
  return { value: undefined, rowIds: [], coverage, json: jsonArrayBytes(rows), rows: rows.length };
}

async function run(task: PoolTask): Promise<unknown> {
  switch (task.kind) {
    case 'deferred':
      return runDeferred(task);
    case 'stream':
      return runStream(task);
    case 'describe':
      return describe();
    case 'scoreAlerts':
      return service.scoreAlerts(task.batch, task.options);
    case 'rankAlerts':
      return Float64Array.from(await service.rankAlerts(task.batch));
    case 'scoreClusters':
      return service.scoreClusters(task.batch, task.options);
  }
}

type Moved = ReturnType<typeof move>;

/** The result, with JSON answer bytes moved to the main thread rather than copied (piscina's transfer). */
function movable(result: PoolTaskResult): PoolTaskResult | Moved {
  const json = result.ok ? (result.value as DeferredOutcome | undefined)?.json : undefined;
  if (!(json instanceof Uint8Array)) return result;
  return move({ [transferableSymbol]: [json.buffer], [valueSymbol]: result });
}

export default async function handle(task: PoolTask): Promise<PoolTaskResult | Moved> {
  if (startError !== undefined) return startError;
  try {
    return movable({ ok: true, value: await run(task) });
  } catch (err) {
    return errorResult(err);
  }
}
