/** The model-backed ScoringService the API serves: the three models behind one object. */
import type { Batch } from '../data/batch.js';
import { amlError, ERRORS } from '../errors.js';
import { type FeatureCoverage, featureCoverage } from '../features/coverage.js';
import type { AlertScore, ClusterScore, ModelName } from '../schemas/api.js';
import type { ScoreOptions } from './model-contract.js';
import { closeModels, type LoadedModels } from './model-loader.js';
import type { ScoringService } from './scoring-service.js';

export class ModelScoringService implements ScoringService {
  constructor(private readonly models: LoadedModels) {}

  get problems(): LoadedModels['problems'] {
    return this.models.problems;
  }

  health() {
    return {
      alert_scorer: this.models.alertScorer !== undefined,
      alert_ranker: this.models.alertRanker !== undefined,
      cluster_scorer: this.models.clusterScorer !== undefined,
    };
  }

  versions() {
    return {
      alert_scorer: this.models.alertScorer?.version ?? null,
      alert_ranker: this.models.alertRanker?.version ?? null,
      cluster_scorer: this.models.clusterScorer?.version ?? null,
    };
  }

  featureCoverage(model: ModelName, batch: Batch): FeatureCoverage | undefined {
    const loaded =
      model === 'alert_scorer'
        ? this.models.alertScorer
        : model === 'alert_ranker'
          ? this.models.alertRanker
          : this.models.clusterScorer;
    return loaded ? featureCoverage(batch, loaded.model.featureNames) : undefined;
  }

  async scoreAlerts(batch: Batch, options?: ScoreOptions): Promise<AlertScore[]> {
    const scorer = this.models.alertScorer;
    if (!scorer) throw amlError(ERRORS.AML_ERR_MODEL_NOT_LOADED, ['alert_scorer'], { model: 'alert_scorer' });
    return scorer.score(batch, options);
  }

  async rankAlerts(batch: Batch): Promise<ArrayLike<number>> {
    const ranker = this.models.alertRanker;
    if (!ranker) throw amlError(ERRORS.AML_ERR_MODEL_NOT_LOADED, ['alert_ranker'], { model: 'alert_ranker' });
    return ranker.rankScores(batch);
  }

  async scoreClusters(batch: Batch, options?: ScoreOptions): Promise<ClusterScore[]> {
    const scorer = this.models.clusterScorer;
    if (!scorer)
      throw amlError(ERRORS.AML_ERR_MODEL_NOT_LOADED, ['cluster_scorer'], { model: 'cluster_scorer' });
    return scorer.score(batch, options);
  }

  async close(): Promise<void> {
    await closeModels(this.models);
  }
}
