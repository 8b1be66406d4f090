import { describe, expect, it } from 'vitest';
import { generateBatch } from '../../synthetic/generate.js';
import { trainModel } from '../train-model.js';
import type { LabelledBatch } from '../training-set.js';
import { mergeParams } from './params-file.js';
import { parseSearchSpace } from './space.js';
import { formatTrialsCsv } from './trials-table.js';
import { tuneModel } from './tune-model.js';

const generated = generateBatch({ date: '2026-01-01', alerts: 300, seed: 5 });
const batches: LabelledBatch[] = [{ batch: generated.batch, labels: generated.labels }];

describe('tuneModel', () => {
  it('tunes the ranker on NDCG@10 and the cluster scorer on AUC-PR, scores within [0, 1]', () => {
    for (const [task, metric] of [
      ['alert_ranker', 'ndcg_at_10'],
      ['cluster_scorer', 'average_precision'],
    ] as const) {
      const result = tuneModel({ task, batches, trials: 2, folds: 2, seed: 1, tpe: { nStartup: 1 } });
      expect(result.metric).toBe(metric);
      expect(result.trials).toHaveLength(2);
      for (const t of result.trials) {
        expect(t.error).toBeUndefined();
        expect(t.folds.length).toBeGreaterThan(0);
        for (const s of t.folds) expect(s >= 0 && s <= 1).toBe(true);
      }
      expect(result.best.mean).toBe(Math.max(...result.trials.map((t) => t.mean)));
    }
  });

  it('CV holds out the same test rows train does, so tuning never sees them', () => {
    const space = parseSearchSpace({ num_leaves: { type: 'fixed', value: 7 } });
    const tuned = tuneModel({ task: 'alert_scorer', batches, space, trials: 1, folds: 2, seed: 3 });
    const trained = trainModel({
      task: 'alert_scorer',
      batches,
      version: '1.0.0',
      seed: 3,
      params: { num_iterations: 5 },
    });
    const total = trained.metadata.training_data.num_samples;
    expect(tuned.data.held_out_samples).toBe(trained.metrics.num_samples);
    expect(tuned.data.num_samples).toBe(total - (trained.metrics.num_samples as number));
    expect(tuned.trials[0].params).toEqual({ num_leaves: 7 });
  });
});

describe('trials table and params merging', () => {
  it('quotes cells with commas, leaves NaN empty, adds completion-only columns', () => {
    const space = parseSearchSpace({ bagging_fraction: { type: 'float', low: 0.5, high: 1 } });
    const csv = formatTrialsCsv(
      [
        {
          id: 1,
          sampler: 'random',
          params: { bagging_fraction: 0.7, bagging_freq: 1 },
          mean: 0.5,
          std: 0.1,
          folds: [],
          seconds: 1.23456,
        },
        {
          id: 2,
          sampler: 'tpe',
          params: { bagging_fraction: 1 },
          mean: Number.NaN,
          std: Number.NaN,
          folds: [],
          seconds: 0,
          error: 'bad, "x"',
        },
      ],
      space,
      'average_precision',
    );
    expect(csv).toBe(
      'id,sampler,bagging_fraction,bagging_freq,metric,mean,std,seconds,error\n' +
        '1,random,0.7,1,average_precision,0.5,0.1,1.235,\n' +
        '2,tpe,1,,average_precision,,,0.000,"bad, ""x"""\n',
    );
  });

  it('explicit parameters override file ones, aliases included', () => {
    expect(mergeParams({ eta: 0.1, num_leaves: 15 }, { learning_rate: '0.3' })).toEqual({
      learning_rate: '0.3',
      num_leaves: 15,
    });
  });
});
