/**
 * The copy thresholds must never catch honest work: models trained independently (other data, other
 * seeds, other features) are compared on a batch neither saw, the way the validator compares them.
 */
import { describe, expect, it } from 'vitest';
import { buildAlertFeatures } from '../features/alert-features.js';
import { train } from '../gbdt/boosting/gbdt.js';
import { predictBatch } from '../gbdt/predict/index.js';
import { generateBatch } from '../synthetic/generate.js';
import { alertTruth } from '../training/labels.js';
import { COPY_MAX_MEAN_ABS_DIFF, COPY_MIN_RANK_CORRELATION, compareAnswers } from './copies.js';

function trainOn(seed: number, params: Record<string, unknown>, dropPrefix?: string) {
  const generated = generateBatch({ date: '2026-02-01', alerts: 1500, seed });
  const m = buildAlertFeatures(generated.batch);
  const truth = alertTruth(generated.batch, generated.labels);
  const keep = m.names.map((_, j) => j).filter((j) => !dropPrefix || !m.names[j].startsWith(dropPrefix));
  const rows: number[] = [];
  for (let i = 0; i < m.numRows; i++) if (!Number.isNaN(truth.binary[i])) rows.push(i);
  const features = new Float64Array(rows.length * m.names.length);
  rows.forEach((i, r) => {
    for (let j = 0; j < m.names.length; j++)
      features[r * m.names.length + j] = keep.includes(j) ? m.values[i * m.names.length + j] : Number.NaN;
  });
  return train(
    {
      features,
      numRows: rows.length,
      featureNames: m.names,
      label: Float64Array.from(rows, (i) => truth.binary[i]),
    },
    { objective: 'binary', num_iterations: 60, learning_rate: 0.1, num_leaves: 15, verbosity: -1, ...params },
  ).model;
}

describe('copy detection leaves honest models alone', () => {
  it('two independently trained scorers stay below both thresholds on an unseen batch', () => {
    const a = trainOn(101, { seed: 1, feature_fraction: 0.8, bagging_fraction: 0.8, bagging_freq: 1 });
    const b = trainOn(202, { seed: 2, num_leaves: 31, min_data_in_leaf: 40 }, 'addr_');
    const c = trainOn(303, { seed: 3, learning_rate: 0.05, num_iterations: 120 });
    const unseen = buildAlertFeatures(generateBatch({ date: '2026-02-09', alerts: 2000, seed: 404 }).batch);
    const score = (model: typeof a) => predictBatch(model, Float64Array.from(unseen.values), unseen.numRows);
    const answers = [score(a), score(b), score(c)];
    for (let i = 0; i < answers.length; i++)
      for (let j = i + 1; j < answers.length; j++) {
        const agreement = compareAnswers(answers[i], answers[j]);
        expect(agreement.rankCorrelation).toBeLessThan(COPY_MIN_RANK_CORRELATION);
        expect(agreement.meanAbsDiff).toBeGreaterThan(COPY_MAX_MEAN_ABS_DIFF);
      }
  }, 60_000);
});
