/**
 * The alert scorer (binary): P(alert is laundering) per alert with a TreeSHAP explanation, as
 * POST /score/alerts answers it (docs/api.md). latency_ms is the batch's model time (features,
 * inference, explanations) divided by its alert count.
 */
import type { Batch } from '../data/batch.js';
import { buildAlertFeatures } from '../features/alert-features.js';
import { selectColumns } from '../features/select-columns.js';
import type { AlertFeatureOptions } from '../features/types.js';
import type { AlertScore } from '../schemas/api.js';
import { assertAlertModelContract } from './feature-contract.js';
import type { BaseModel, ScoreOptions } from './model-contract.js';
import { type PreparedMatrix, prepareMatrix, scoreMatrix } from './prepared-scoring.js';

export class AlertScorer {
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

  scorePrepared(prepared: PreparedMatrix, options: ScoreOptions = {}): Promise<AlertScore[]> {
    return scoreMatrix(this.model, prepared, options, 'alert_id');
  }

  async score(batch: Batch, options: ScoreOptions = {}): Promise<AlertScore[]> {
    return this.scorePrepared(this.prepare(batch), options);
  }
}
