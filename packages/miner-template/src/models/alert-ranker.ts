/**
 * The alert ranker (lambdarank): one ranking score per alert, higher = more suspicious. It was
 * trained with one query group per batch (a day's alerts are what an analyst triages together),
 * so its scores order alerts within a batch; they are not probabilities. The API turns them into
 * ranks (1 = most suspicious, ties by alert_id).
 */
import type { Batch } from '../data/batch.js';
import { buildAlertFeatures } from '../features/alert-features.js';
import { selectColumns } from '../features/select-columns.js';
import type { AlertFeatureOptions } from '../features/types.js';
import { assertAlertModelContract } from './feature-contract.js';
import type { BaseModel } from './model-contract.js';
import { type PreparedMatrix, prepareMatrix } from './prepared-scoring.js';

export class AlertRanker {
  constructor(
    readonly model: BaseModel,
    readonly featureOptions: AlertFeatureOptions = {},
  ) {
    assertAlertModelContract(model, featureOptions);
  }

  get version(): string {
    return this.model.version;
  }

  /** The batch's model input: after this the batch is no longer needed (prepared-scoring.ts). */
  prepare(batch: Batch): PreparedMatrix {
    return prepareMatrix(() =>
      selectColumns(buildAlertFeatures(batch, this.featureOptions), this.model.featureNames, this.model.name),
    );
  }

  rankPrepared(prepared: PreparedMatrix): Promise<Float64Array> {
    return this.model.predict(prepared.matrix);
  }

  /** Ranking scores in request order. */
  async rankScores(batch: Batch): Promise<Float64Array> {
    return this.rankPrepared(this.prepare(batch));
  }
}
