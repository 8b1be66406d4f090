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
import { explanationJson } from './explanation.js';
import { assertAlertModelContract } from './feature-contract.js';
import type { BaseModel, ScoreOptions } from './model-contract.js';

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

  async score(batch: Batch, options: ScoreOptions = {}): Promise<AlertScore[]> {
    const started = performance.now();
    const matrix = selectColumns(
      buildAlertFeatures(batch, this.featureOptions),
      this.model.featureNames,
      this.model.name,
    );
    const scores = await this.model.predict(matrix);
    // TreeSHAP is most of the model time: skipped when the caller does not want explanations
    const explanations = options.explain === false ? undefined : this.model.explain(matrix);
    const latency = matrix.numRows === 0 ? 0 : (performance.now() - started) / matrix.numRows;
    const out: AlertScore[] = new Array(matrix.numRows);
    for (let i = 0; i < matrix.numRows; i++) {
      out[i] = {
        alert_id: matrix.rowIds[i],
        score: Math.min(1, Math.max(0, scores[i])),
        model_version: this.model.version,
        latency_ms: latency,
      };
      if (explanations) out[i].explain_json = explanationJson(explanations[i]);
    }
    return out;
  }
}
