/**
 * The cluster scorer (binary): P(cluster holds laundering) per cluster, from cluster features
 * aggregated over member alerts, with a TreeSHAP explanation (docs/api.md, POST /score/clusters).
 */
import type { Batch } from '../data/batch.js';
import { buildClusterFeatures } from '../features/cluster-features.js';
import { selectColumns } from '../features/select-columns.js';
import type { ClusterFeatureOptions } from '../features/types.js';
import type { ClusterScore } from '../schemas/api.js';
import { explanationJson } from './explanation.js';
import { assertClusterModelContract } from './feature-contract.js';
import type { BaseModel, ScoreOptions } from './model-contract.js';

export class ClusterScorer {
  constructor(
    readonly model: BaseModel,
    readonly featureOptions: ClusterFeatureOptions = {},
  ) {
    assertClusterModelContract(model, featureOptions);
  }

  get version(): string {
    return this.model.version;
  }

  async score(batch: Batch, options: ScoreOptions = {}): Promise<ClusterScore[]> {
    const started = performance.now();
    const matrix = selectColumns(
      buildClusterFeatures(batch, this.featureOptions),
      this.model.featureNames,
      this.model.name,
    );
    const scores = await this.model.predict(matrix);
    // TreeSHAP is most of the model time: skipped when the caller does not want explanations
    const explanations = options.explain === false ? undefined : this.model.explain(matrix);
    const latency = matrix.numRows === 0 ? 0 : (performance.now() - started) / matrix.numRows;
    const out: ClusterScore[] = new Array(matrix.numRows);
    for (let i = 0; i < matrix.numRows; i++) {
      out[i] = {
        cluster_id: matrix.rowIds[i],
        score: Math.min(1, Math.max(0, scores[i])),
        model_version: this.model.version,
        latency_ms: latency,
      };
      if (explanations) out[i].explain_json = explanationJson(explanations[i]);
    }
    return out;
  }
}
