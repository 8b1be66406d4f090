/**
 * The report of the shipped models on a generated batch: what each model's section holds (the
 * ranker has NDCG and no calibration), that the figures agree with the curves drawn, and that the
 * HTML is self-contained (inline SVG, no script, no external resource) and deterministic.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODEL_NAMES } from '../../schemas/api.js';
import { generateBatch } from '../../synthetic/generate.js';
import { modelInputSet } from '../model-input.js';
import { readServedModel } from '../served-model.js';
import { trapezoidArea } from './curves.js';
import { formatModelQuality } from './format.js';
import { renderQualityReport } from './html.js';
import { type ModelQuality, modelQuality } from './model-quality.js';

const SHIPPED = fileURLToPath(new URL('../../../../../trained_models', import.meta.url));
const { batch, labels } = generateBatch({ date: '2026-03-01', alerts: 400, seed: 11 });

async function qualities(): Promise<ModelQuality[]> {
  const out: ModelQuality[] = [];
  for (const task of MODEL_NAMES) {
    const m = await readServedModel(SHIPPED, task);
    if (!m) throw new Error(`no shipped ${task}`);
    const set = modelInputSet(task, m.model.featureNames, m.meta, [{ batch, labels }]);
    out.push(modelQuality({ task, version: m.version, model: m.model, set }));
  }
  return out;
}

describe('modelQuality and the report', async () => {
  const all = await qualities();
  const [scorer, ranker, cluster] = all;

  it('reports each model with the figures its kind has', () => {
    for (const q of all) {
      expect(q.rows).toBeGreaterThan(0);
      expect(q.positives).toBeGreaterThan(0);
      expect(q.topK.map((t) => t.fraction)).toEqual([0.01, 0.05, 0.1]);
      expect(q.topFeatures.length).toBeGreaterThan(3);
      const shares = q.topFeatures.map((f) => f.share);
      expect(shares).toEqual([...shares].sort((a, b) => b - a));
      expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-12);
      // the AUC printed is the area of the curve drawn (thinned to ≤ 400 points)
      expect(trapezoidArea(q.roc)).toBeCloseTo(q.auc ?? Number.NaN, 2);
    }
    expect(ranker.calibration).toBeNull();
    expect(ranker.ndcgAt10).toBeGreaterThan(0);
    for (const q of [scorer, cluster]) {
      expect(q.ndcgAt10).toBeUndefined();
      expect(q.calibration?.bins.reduce((n, b) => n + b.count, 0)).toBe(q.rows);
    }
    // our generator's batches are the easy case for the shipped models
    expect(scorer.auc).toBeGreaterThan(0.9);
  });

  it('prints a table per model', () => {
    const text = formatModelQuality(scorer);
    expect(text).toMatch(/^alert_scorer v\d+\.\d+\.\d+: \d+ labelled rows/);
    expect(text).toMatch(/AUC-ROC\s+0\.\d{3}/);
    expect(text).toMatch(/top 5%\s+\d+\s+\d\.\d{3}\s+\d\.\d{3}/);
    expect(formatModelQuality(ranker)).toContain('n/a (ranking scores)');
  });

  it('renders a self-contained page with the charts of each model', () => {
    const html = renderQualityReport({ title: 'Q <test>', source: 'here', models: all });
    expect(html).toContain('<title>Q &lt;test&gt;</title>');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    // the only URL is the SVG namespace
    expect(new Set(html.match(/https?:\/\/[^"]+/g))).toEqual(new Set(['http://www.w3.org/2000/svg']));
    const ids = [...html.matchAll(/<svg [^>]*id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual([
      'alert_scorer-roc',
      'alert_scorer-pr',
      'alert_scorer-calibration',
      'alert_scorer-importance',
      'alert_ranker-roc',
      'alert_ranker-pr',
      'alert_ranker-importance',
      'cluster_scorer-roc',
      'cluster_scorer-pr',
      'cluster_scorer-calibration',
      'cluster_scorer-importance',
    ]);
    expect(renderQualityReport({ title: 'Q <test>', source: 'here', models: all })).toBe(html);
  });
});
