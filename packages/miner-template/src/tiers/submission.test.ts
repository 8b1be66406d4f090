import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Batch } from '../data/batch.js';
import { loadModels } from '../models/model-loader.js';
import { type SubmissionScorer, validateSubmission } from './submission.js';

const MODELS = fileURLToPath(new URL('../../../../trained_models', import.meta.url));
const options = { alerts: 300, traps: 20, seed: 3, date: '2026-01-05' };

const answer = (batch: Batch, score: (i: number) => number) =>
  batch.alerts.map((a, i) => ({
    alert_id: a.alert_id,
    score: score(i),
    model_version: 'x',
    latency_ms: 1,
    explain_json: '{}',
  }));

describe('validateSubmission', () => {
  it('passes the shipped alert scorer: tier 1, traps separated, bit-identical reruns', async () => {
    const models = await loadModels({ modelsDir: MODELS });
    const scorer = models.alertScorer!;
    const report = await validateSubmission(
      { description: 'shipped', scoreAlerts: (b) => scorer.score(b) },
      options,
    );
    await scorer.model.close();
    expect(report.tier1.passed).toBe(true);
    expect(report.tier2!.trapAuc).toBeGreaterThan(0.9);
    expect(report.deterministic.ok).toBe(true);
    expect(report.passed).toBe(true);
    expect(report.immediate).toBeCloseTo(0.2 + 0.3 * report.tier2!.t2, 12);
    // On our own generator's labels it ranks real alerts far better than the upstream detector.
    expect(report.tier3!.aucRoc).toBeGreaterThan(0.9);
    expect(report.score).toBeCloseTo(0.2 + 0.3 * report.t2Settled! + 0.5 * report.tier3!.t3, 12);
    expect(report.excess).toBeCloseTo(report.score - report.reference.score, 12);
    expect(report.excess).toBeGreaterThan(0.1);
    expect(report.verdict).toMatch(/^beats the reference/);
  });

  it('calls an answer that is the upstream confidence a copy of the reference, worth 0', async () => {
    const echo: SubmissionScorer = {
      description: 'echo',
      scoreAlerts: async (b) => answer(b, (i) => b.alerts[i].alert_confidence_score ** 2),
    };
    const report = await validateSubmission(echo, { ...options, producer: 'foreign' });
    expect(report.tier1.passed).toBe(true);
    expect(report.referenceAgreement!.copy).toBe(true);
    expect(report.score).toBe(0);
    expect(report.verdict).toMatch(/^copy of the reference/);
  });

  it('puts a random scorer below the reference on a batch of the foreign producer', async () => {
    const random: SubmissionScorer = {
      description: 'random',
      scoreAlerts: async (b) => answer(b, (i) => ((i * 7919 + 13) % 1009) / 1009),
    };
    const report = await validateSubmission(random, { ...options, producer: 'foreign' });
    expect(report.producer).toBe('foreign');
    expect(report.tier2!.behaviour).toBe(1);
    expect(report.excess).toBeLessThan(0);
    expect(report.verdict).toBe('at or below the reference: no weight');
  });

  it('fails a miner whose answers change between two runs of the same batch', async () => {
    let run = 0;
    const flaky: SubmissionScorer = {
      description: 'flaky',
      scoreAlerts: async (b) => answer(b, (i) => ((i * 7 + run++) % 100) / 100),
    };
    const report = await validateSubmission(flaky, options);
    expect(report.tier1.passed).toBe(true);
    expect(report.deterministic.ok).toBe(false);
    expect(report.passed).toBe(false);
  });

  it('fails tier 1 for an answer that drops an alert, and skips tier 2', async () => {
    const short: SubmissionScorer = {
      description: 'short',
      scoreAlerts: async (b) => answer(b, () => 0.5).slice(1),
    };
    const report = await validateSubmission(short, options);
    expect(report.tier1.failure?.code).toBe('count_mismatch');
    expect(report.tier2).toBeUndefined();
    expect(report.immediate).toBe(0);
    expect(report.passed).toBe(false);
  });
});
