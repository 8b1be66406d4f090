/**
 * The cluster scorer (binary): P(cluster holds laundering) per cluster, from cluster features
 * aggregated over member alerts, with a TreeSHAP explanation (docs/api.md, POST /score/clusters).
 */
import type { Batch } from '../data/batch.js';
import { buildClusterFeatures } from '../features/cluster-features.js';
import { selectColumns } from '../features/select-columns.js';
import type { ClusterFeatureOptions } from '../features/types.js';
import type { ClusterScore } from '../schemas/api.js';
import { assertClusterModelContract } from './feature-contract.js';
import type { BaseModel, ScoreOptions } from './model-contract.js';
import { type PreparedMatrix, prepareMatrix, scoreMatrix } from './prepared-scoring.js';

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

  /** The batch's model input: after this the batch is no longer needed (prepared-scoring.ts). */
  prepare(batch: Batch): PreparedMatrix {
    return prepareMatrix(() =>
      selectColumns(
        buildClusterFeatures(batch, this.featureOptions),
        this.model.featureNames,
        this.model.name,
      ),
    );
  }

  scorePrepared(prepared: PreparedMatrix, options: ScoreOptions = {}): Promise<ClusterScore[]> {
    return scoreMatrix(this.model, prepared, options, 'cluster_id');
  }

  async score(batch: Batch, options: ScoreOptions = {}): Promise<ClusterScore[]> {
    return this.scorePrepared(this.prepare(batch), options);
  }
}
