/**
 * The three scorers over a recording stand-in model: they hand the model exactly its declared
 * columns (in its order, the builder's values), answer one entry per alert or cluster in batch
 * order, clamp probabilities into [0, 1], call TreeSHAP only when explanations are wanted, and
 * refuse at construction a model that declares a column the builder does not produce.
 */
import { describe, expect, it } from 'vitest';
import { ERRORS, hasErrorCode } from '../errors.js';
import { buildAlertFeatures } from '../features/alert-features.js';
import { buildClusterFeatures } from '../features/cluster-features.js';
import type { FeatureMatrix } from '../features/types.js';
import type { ModelName } from '../schemas/api.js';
import { generateBatch } from '../synthetic/generate.js';
import { AlertRanker } from './alert-ranker.js';
import { AlertScorer } from './alert-scorer.js';
import { ClusterScorer } from './cluster-scorer.js';
import type { BaseModel, RowExplanation } from './model-contract.js';

const { batch } = generateBatch({ date: '2026-01-01', seed: 11, alerts: 40 });

/** Answers scores from a fixed cycle (some outside [0, 1]) and records what it was given. */
class RecordingModel implements BaseModel {
  readonly version = '9.9.9';
  predicted: FeatureMatrix[] = [];
  explained = 0;
  constructor(
    readonly name: ModelName,
    readonly featureNames: readonly string[],
    private readonly raw: readonly number[] = [-0.25, 0.1, 0.5, 1.5],
  ) {}
  async predict(matrix: FeatureMatrix): Promise<Float64Array> {
    this.predicted.push(matrix);
    return Float64Array.from({ length: matrix.numRows }, (_, r) => this.raw[r % this.raw.length]);
  }
  explain(matrix: FeatureMatrix): RowExplanation[] {
    this.explained++;
    return Array.from({ length: matrix.numRows }, (_, r) => ({
      baseValue: -1,
      topFeatures: [
        { name: matrix.names[0], value: matrix.values[r * matrix.names.length], contribution: 0.5 },
      ],
    }));
  }
  async close(): Promise<void> {}
}

/** Column `name` of a matrix, row by row. */
const column = (m: FeatureMatrix, name: string) => {
  const c = m.names.indexOf(name);
  return Array.from({ length: m.numRows }, (_, r) => m.values[r * m.names.length + c]);
};

describe('AlertScorer', () => {
  const built = buildAlertFeatures(batch);
  // Three columns, not in the builder's order: the model's order must win.
  const declared = [built.names[5], built.names[0], built.names[12]];

  it('gives the model its declared columns and answers every alert in order, clamped', async () => {
    const model = new RecordingModel('alert_scorer', declared);
    const out = await new AlertScorer(model).score(batch);
    const seen = model.predicted[0];
    expect(seen.names).toEqual(declared);
    for (const name of declared) expect(column(seen, name)).toEqual(column(built, name));
    expect(out.map((s) => s.alert_id)).toEqual(batch.alerts.map((a) => a.alert_id));
    expect(out.slice(0, 4).map((s) => s.score)).toEqual([0, 0.1, 0.5, 1]);
    expect(out.every((s) => s.model_version === '9.9.9' && s.latency_ms >= 0)).toBe(true);
    const explained = JSON.parse(out[0].explain_json!);
    expect(explained.top_features[0].name).toBe(declared[0]);
  });

  it('skips TreeSHAP when explanations are not wanted', async () => {
    const model = new RecordingModel('alert_scorer', declared);
    const out = await new AlertScorer(model).score(batch, { explain: false });
    expect(model.explained).toBe(0);
    expect(out.some((s) => 'explain_json' in s)).toBe(false);
  });

  it('refuses a model that wants a column the feature builder does not make', () => {
    const model = new RecordingModel('alert_scorer', [...declared, 'no_such_feature']);
    let caught: unknown;
    try {
      new AlertScorer(model);
    } catch (err) {
      caught = err;
    }
    expect(hasErrorCode(caught, ERRORS.AML_ERR_MODEL_FEATURE_MISMATCH)).toBe(true);
    expect(String((caught as Error).message)).toContain('no_such_feature');
  });
});

describe('AlertRanker', () => {
  it('returns the raw ranking scores in request order, unclamped', async () => {
    const built = buildAlertFeatures(batch);
    const model = new RecordingModel('alert_ranker', [built.names[1]], [3, -2]);
    const scores = await new AlertRanker(model).rankScores(batch);
    expect(scores.length).toBe(batch.alerts.length);
    expect([scores[0], scores[1], scores[2]]).toEqual([3, -2, 3]);
    expect(model.predicted[0].rowIds).toEqual(batch.alerts.map((a) => a.alert_id));
  });
});

describe('ClusterScorer', () => {
  it('answers every cluster in order, clamped, with explanations unless told not to', async () => {
    const built = buildClusterFeatures(batch);
    const model = new RecordingModel('cluster_scorer', [built.names[2], built.names[0]]);
    const scorer = new ClusterScorer(model);
    const out = await scorer.score(batch);
    expect(out.length).toBeGreaterThan(0);
    expect(out.map((c) => c.cluster_id)).toEqual(batch.clusters.map((c) => c.cluster_id));
    expect(out.every((c) => c.score >= 0 && c.score <= 1 && c.explain_json !== undefined)).toBe(true);
    const quiet = await scorer.score(batch, { explain: false });
    expect(model.explained).toBe(1);
    expect(quiet.some((c) => 'explain_json' in c)).toBe(false);
  });
});
