/**
 * The contract between the HTTP layer and the models. The server knows nothing about ONNX, trees or
 * features: it hands a validated Batch to a ScoringService and serializes what comes back. It
 * lives here, below the API layer, so the HTTP layer depends on the models and never the reverse;
 * the model-backed implementation is model-scoring-service.ts, tests use a deterministic fake.
 */
import type { Batch } from '../data/batch.js';
import type { FeatureCoverage } from '../features/coverage.js';
import type { AlertScore, ClusterScore, ModelName } from '../schemas/api.js';
import type { ScoreOptions } from './model-contract.js';

/** The scoring call a deferred body is for. */
export type DeferredTask = 'scoreAlerts' | 'rankAlerts' | 'scoreClusters';

/**
 * A `batch_arrow` body not decoded yet (the API's DeferredArrowBody is one): the field as sent, the
 * options, and the decoded-size cap to hold it to.
 */
export interface DeferredArrowField {
  readonly field: string;
  readonly options: ScoreOptions;
  readonly maxDecodedBytes: number;
}

/** How a streamed body is encoded: JSON (tables or batch_arrow) or the Arrow batch container. */
export type StreamFormat = 'json' | 'arrow';

/**
 * A body not read yet (the API's StreamedBody): its bytes as they arrive, parsed where it is
 * scored; a JSON body's options are inside it, the route's `options` apply where it names none.
 */
export interface DeferredStream {
  readonly format: StreamFormat;
  chunks(): AsyncIterable<Uint8Array>;
  /** The declared length (NaN when the body is chunked). */
  readonly contentLength: number;
  readonly maxDecodedBytes: number;
}

export type DeferredBody = DeferredArrowField | DeferredStream;

export interface DeferredOutcome {
  /** What scoreAlerts, rankAlerts or scoreClusters returns (undefined when `json` holds it). */
  value: unknown;
  /** Alert ids (alert tasks) or cluster ids (scoreClusters), in request order (empty with `json`). */
  rowIds: string[];
  coverage?: FeatureCoverage;
  /**
   * Asked for with `serialize` (scoreAlerts, scoreClusters): the answer already as the response's
   * JSON bytes, its rows checked against the batch's ids where it was made.
   */
  json?: Uint8Array;
  /** With `json`: how many entries it holds. */
  rows?: number;
}

/** How a deferred answer comes back: `serialize` asks for JSON bytes instead of objects. */
export interface DeferredAnswer {
  serialize?: boolean;
}

export type ModelFlags = Record<ModelName, boolean>;
export type ModelVersions = Record<ModelName, string | null>;

export interface ScoringService {
  /** Which models are loaded and usable right now. */
  health(): ModelFlags;
  /** Each model's version string, null when it is not loaded. */
  versions(): ModelVersions;
  /** One entry per alert, in request order; `explain: false` leaves explain_json out. */
  scoreAlerts(batch: Batch, options?: ScoreOptions): Promise<AlertScore[]>;
  /**
   * One ranking score per alert, in request order; higher means more suspicious. The server turns
   * these into ranks (1 = most suspicious, ties by alert_id) so every service ranks the same way.
   */
  rankAlerts(batch: Batch): Promise<ArrayLike<number>>;
  /** One entry per cluster, in request order. */
  scoreClusters(batch: Batch, options?: ScoreOptions): Promise<ClusterScore[]>;
  /**
   * Which share of a model's input columns the batch carried (docs/api.md); undefined when the
   * service cannot tell (no model loaded, or a service without feature-based models).
   */
  featureCoverage?(model: ModelName, batch: Batch): FeatureCoverage | undefined;
  /**
   * Decodes, checks and scores a `batch_arrow` body in one step off the main thread (a service
   * with a worker pool). When present, the server hands such bodies over undecoded; the outcome
   * carries what the route needs besides the answer: the batch's row ids in request order and the
   * model's feature coverage.
   */
  scoreDeferred?(
    task: DeferredTask,
    body: DeferredBody,
    options: ScoreOptions,
    answer?: DeferredAnswer,
  ): Promise<DeferredOutcome>;
  /** Releases model sessions; called once when the server closes. */
  close?(): Promise<void>;
}
