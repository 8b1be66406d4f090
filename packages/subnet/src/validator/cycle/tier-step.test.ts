import { describe, expect, it } from 'vitest';
import type { AnswerRecord } from '../store/types.js';
import { alignedScores, computeTiers } from './tier-step.js';

const alertIds = Array.from({ length: 20 }, (_, i) => `a${i}`);
// a0..a5 are traps: even = planted (1), odd = benign (0)
const trapTruth = new Map<string, 0 | 1>(alertIds.slice(0, 6).map((id, i) => [id, i % 2 === 0 ? 1 : 0]));

function answer(
  hotkey: string,
  uid: number,
  scores: number[],
  extra: Partial<AnswerRecord> = {},
): AnswerRecord {
  return {
    hotkey,
    uid,
    statusCode: 200,
    elapsedMs: 50,
    modelVersion: `${hotkey}-v1`,
    answer: alertIds.map((alert_id, i) => ({
      alert_id,
      score: scores[i],
      model_version: `${hotkey}-v1`,
      latency_ms: 1,
      explain_json: '{}',
    })),
    ...extra,
  };
}

// A good miner: traps perfectly separated, spread-out scores.
const good = alertIds.map((_, i) => (i < 6 ? (i % 2 === 0 ? 0.9 : 0.1) : 0.2 + (i % 7) * 0.1));

describe('computeTiers', () => {
  it('scores a good miner 0.5 immediately and fails a timed-out one on tier 1', () => {
    const tiers = computeTiers({
      answers: [
        answer('good', 1, good),
        { ...answer('slow', 2, good), statusCode: 408, answer: null, error: 'timeout' },
      ],
      alertIds,
      trapTruth,
      timeoutMs: 120_000,
      firstSeen: new Map(),
    });
    expect(tiers[0]).toMatchObject({ hotkey: 'good', t1: 1, t2: 1, immediate: 0.5 });
    expect(tiers[1]).toMatchObject({ hotkey: 'slow', t1: 0, t2: null, immediate: 0 });
    expect(tiers[1].t1Failure).toMatch(/^timeout/);
  });

  it('gives the copy of an earlier model zero tier 2 and leaves the original alone', () => {
    const copy = good.map((s) => s * 0.999);
    const tiers = computeTiers({
      answers: [answer('copier', 2, copy), answer('author', 1, good)],
      alertIds,
      trapTruth,
      timeoutMs: 120_000,
      firstSeen: new Map([
        ['author', 100],
        ['copier', 200],
      ]),
    });
    expect(tiers.find((t) => t.hotkey === 'author')!.t2).toBe(1);
    const copier = tiers.find((t) => t.hotkey === 'copier')!;
    expect(copier.t2).toBe(0);
    expect(copier.immediate).toBeCloseTo(0.2, 15);
    expect((copier.t2Detail as { plagiarism: string }).plagiarism).toMatch(/copies author/);
  });

  it('treats a miner that returns the previous canonical ensemble as a plagiarist', () => {
    const canonical = new Map(alertIds.map((id, i) => [id, good[i]]));
    const tiers = computeTiers({
      answers: [answer('echo', 3, good)],
      alertIds,
      trapTruth,
      timeoutMs: 120_000,
      firstSeen: new Map(),
      previousCanonical: canonical,
    });
    expect(tiers[0].t2).toBe(0);
    expect((tiers[0].t2Detail as { plagiarism: string }).plagiarism).toMatch(/canonical/);
  });

  it('takes behaviour points from constant scores (t2 = 0.5·0 + 0.5·(1 − 2/3) with AUC 0.5)', () => {
    const tiers = computeTiers({
      answers: [
        answer(
          'flat',
          4,
          alertIds.map(() => 0.95),
        ),
      ],
      alertIds,
      trapTruth,
      timeoutMs: 120_000,
      firstSeen: new Map(),
    });
    expect(tiers[0].t2).toBeCloseTo(0.5 * (1 / 3), 12);
  });
});

describe('alignedScores', () => {
  it('aligns entries by alert id and leaves gaps NaN', () => {
    const out = alignedScores(
      [{ alert_id: 'b', score: 0.2 }, { alert_id: 'zz', score: 1 }, 'junk'],
      ['a', 'b'],
    );
    expect(out[0]).toBeNaN();
    expect(out[1]).toBe(0.2);
  });
});
