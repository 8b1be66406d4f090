/** The model-backed ScoringService the API serves: the three models behind one object. */
import type { Batch } from '../data/batch.js';
import { amlError, ERRORS } from '../errors.js';
import { type FeatureCoverage, featureCoverage } from '../features/coverage.js';
import type { AlertScore, ClusterScore, ModelName } from '../schemas/api.js';
import type { ScoreOptions } from './model-contract.js';
import { closeModels, type LoadedModels } from './model-loader.js';
import type { DeferredTask, ScoringService } from './scoring-service.js';

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
    return this.loaded('alert_scorer', this.models.alertScorer).score(batch, options);
  }

  async rankAlerts(batch: Batch): Promise<ArrayLike<number>> {
    return this.loaded('alert_ranker', this.models.alertRanker).rankScores(batch);
  }

  async scoreClusters(batch: Batch, options?: ScoreOptions): Promise<ClusterScore[]> {
    return this.loaded('cluster_scorer', this.models.clusterScorer).score(batch, options);
  }

  /**
   * A task's features built now; the function returned scores them without the batch, so a caller
   * that drops its batch first does not hold it through inference and TreeSHAP (scoring-worker.ts).
   * Its answer is the task's own (scoreAlerts, rankAlerts, scoreClusters), bit for bit.
   */
  prepare(task: DeferredTask, batch: Batch, options: ScoreOptions = {}): () => Promise<unknown> {
    switch (task) {
      case 'scoreAlerts': {
        const scorer = this.loaded('alert_scorer', this.models.alertScorer);
        const prepared = scorer.prepare(batch);
        return () => scorer.scorePrepared(prepared, options);
      }
      case 'rankAlerts': {
        const ranker = this.loaded('alert_ranker', this.models.alertRanker);
        const prepared = ranker.prepare(batch);
        return () => ranker.rankPrepared(prepared);
      }
      case 'scoreClusters': {
        const scorer = this.loaded('cluster_scorer', this.models.clusterScorer);
        const prepared = scorer.prepare(batch);
        return () => scorer.scorePrepared(prepared, options);
      }
    }
  }

  private loaded<T>(model: ModelName, value: T | undefined): T {
    if (value === undefined) throw amlError(ERRORS.AML_ERR_MODEL_NOT_LOADED, [model], { model });
    return value;
  }

  async close(): Promise<void> {
    await closeModels(this.models);
  }
}
