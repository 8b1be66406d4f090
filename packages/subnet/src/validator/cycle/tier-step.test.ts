import { describe, expect, it } from 'vitest';
import type { AnswerRecord } from '../store/types.js';
import { computeTiers, REFERENCE_HOTKEY, type TierInputs } from './tier-step.js';

const alertIds = Array.from({ length: 40 }, (_, i) => `a${i}`);
// a0..a9 are traps: even = planted (1), odd = benign (0); a10..a39 are real.
const trapTruth = new Map<string, 0 | 1>(alertIds.slice(0, 10).map((id, i) => [id, i % 2 === 0 ? 1 : 0]));
const realAliases = alertIds.slice(10);

function answer(
  hotkey: string,
  uid: number,
  scores: readonly number[],
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
    })),
    ...extra,
  };
}

function inputs(answers: AnswerRecord[], extra: Partial<TierInputs> = {}): TierInputs {
  return { answers, alertIds, realAliases, trapTruth, timeoutMs: 120_000, registeredAt: new Map(), ...extra };
}

// A good miner: traps perfectly separated, real alerts spread out.
const good = alertIds.map((_, i) => (i < 10 ? (i % 2 === 0 ? 0.9 : 0.1) : 0.05 + ((i * 13) % 30) / 31));
// An unrelated honest scorer: a different ordering of the real alerts.
const other = alertIds.map((_, i) => (i < 10 ? (i % 2 === 0 ? 0.8 : 0.2) : 0.05 + ((i * 7) % 30) / 31));

describe('computeTiers', () => {
  it('gives a good miner t2 = 1 and 0.2 + 0.3 this cycle, and fails a timed-out one on tier 1', () => {
    const tiers = computeTiers(
      inputs([
        answer('good', 1, good),
        { ...answer('slow', 2, good), statusCode: 408, answer: null, error: 'timeout' },
      ]),
    );
    expect(tiers[0]).toMatchObject({ hotkey: 'good', t1: 1, t2: 1, copyOf: null });
    expect(tiers[0].immediate).toBeCloseTo(0.5, 12);
    expect(tiers[1]).toMatchObject({ hotkey: 'slow', t1: 0, t2: null, immediate: 0 });
    expect(tiers[1].t1Failure).toMatch(/^timeout/);
  });

  it('zeroes the whole cycle of a monotone copy (s^0.25) registered later, and leaves the original alone', () => {
    const copy = good.map((s) => s ** 0.25);
    const tiers = computeTiers(
      inputs([answer('aaa-copier', 2, copy), answer('zzz-author', 1, good)], {
        registeredAt: new Map([
          ['zzz-author', 100],
          ['aaa-copier', 200],
        ]),
      }),
    );
    const author = tiers.find((t) => t.hotkey === 'zzz-author')!;
    const copier = tiers.find((t) => t.hotkey === 'aaa-copier')!;
    expect(author).toMatchObject({ t2: 1, copyOf: null });
    expect(copier.copyOf).toBe('zzz-author');
    expect(copier.immediate).toBe(0);
    expect(copier.t1).toBe(1); // it answered correctly: tier 1 is reported, but the cycle pays 0
  });

  it('does not flag two honest, differently ordered scorers', () => {
    const tiers = computeTiers(inputs([answer('one', 1, good), answer('two', 2, other)]));
    expect(tiers.map((t) => t.copyOf)).toEqual([null, null]);
  });

  it("treats a replay of the previous canonical scores as a copy, except for that ensemble's own members", () => {
    const canonical = new Map(alertIds.map((id, i) => [id, good[i]]));
    const tiers = computeTiers(
      inputs(
        [
          answer('echo', 3, good),
          answer(
            'member',
            4,
            good.map((s) => s * 0.98 + 0.01),
          ),
        ],
        {
          registeredAt: new Map([
            ['member', 1],
            ['echo', 2],
          ]),
          previousCanonical: { scores: canonical, contributors: new Set(['member']) },
        },
      ),
    );
    const echo = tiers.find((t) => t.hotkey === 'echo')!;
    expect(echo.copyOf).not.toBeNull();
    expect(echo.immediate).toBe(0);
    expect(tiers.find((t) => t.hotkey === 'member')!.copyOf).toBeNull();
  });

  it("treats a copy of the reference's scores as a copy of the reference", () => {
    const reference = alertIds.map((_, i) => ((i * 11) % 40) / 40 + 0.001);
    const tiers = computeTiers(
      inputs([
        answer(REFERENCE_HOTKEY, -1, reference),
        answer(
          'lazy',
          5,
          reference.map((s) => s / 2),
        ),
      ]),
    );
    expect(tiers.find((t) => t.hotkey === 'lazy')!.copyOf).toBe(REFERENCE_HOTKEY);
    expect(tiers.find((t) => t.hotkey === REFERENCE_HOTKEY)!.copyOf).toBeNull();
  });

  it('gives constant scores no tier-2 credit (chance AUC, near-constant and coarse)', () => {
    const tiers = computeTiers(
      inputs([
        answer(
          'flat',
          4,
          alertIds.map(() => 0.95),
        ),
      ]),
    );
    expect(tiers[0].t2).toBe(0);
  });
});
