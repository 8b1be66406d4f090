import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainErrorReason } from './errors.js';
import type { MetagraphNeuron, MetagraphSnapshot } from './types.js';
import { normaliseWeights, precheckWeights, roundHalfEven } from './weights.js';

const weightsArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 4095 }), { minLength: 1, maxLength: 64 })
  .chain((uids) =>
    fc.tuple(
      fc.constant(uids),
      fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), {
        minLength: uids.length,
        maxLength: uids.length,
      }),
    ),
  );

describe('normaliseWeights', () => {
  it('matches hand-computed values (Python round, half to even)', () => {
    expect(normaliseWeights([3, 1, 2], [1, 2, 0.5])).toEqual({
      uids: [3, 1, 2],
      values: [32768, 65535, 16384],
    });
    // 1/2 · 65535 = 32767.5 → 32768 (even); 1/6 · 65535 = 10922.5 → 10922 (even)
    expect(normaliseWeights([0, 1], [1, 2]).values).toEqual([32768, 65535]);
    expect(normaliseWeights([0, 1], [1, 6]).values).toEqual([10922, 65535]);
    expect(normaliseWeights([0, 1, 2], [0, 5, 1e-9])).toEqual({ uids: [1], values: [65535] });
    expect(normaliseWeights([0, 1], [0, 0])).toEqual({ uids: [], values: [] });
  });

  it('rejects bad input with a named error', () => {
    expect(() => normaliseWeights([0, 0], [1, 1])).toThrow(/twice/);
    expect(() => normaliseWeights([0], [Number.NaN])).toThrow(/finite/);
    expect(() => normaliseWeights([0], [-1])).toThrow(/>= 0/);
    expect(() => normaliseWeights([0, 1], [1])).toThrow(/one weight per uid/);
    expect(() => normaliseWeights([70000], [1])).toThrow(/u16/);
  });

  it('roundHalfEven agrees with a brute-force reference', () => {
    for (const [x, want] of [
      [0.5, 0],
      [1.5, 2],
      [2.5, 2],
      [2.4999, 2],
      [2.5001, 3],
      [65534.5, 65534],
    ] as const) {
      expect(roundHalfEven(x)).toBe(want);
    }
  });

  it('properties: max is 65535, zeros dropped, bounded, order preserved, proportional', () => {
    fc.assert(
      fc.property(weightsArb, ([uids, weights]) => {
        const out = normaliseWeights(uids, weights);
        const max = Math.max(...weights);
        if (max === 0) return out.uids.length === 0;
        expect(Math.max(...out.values)).toBe(65535);
        for (const v of out.values) {
          expect(Number.isInteger(v) && v >= 1 && v <= 65535).toBe(true);
        }
        // every kept uid comes from the input with its relative order preserved
        let cursor = 0;
        for (let k = 0; k < out.uids.length; k++) {
          while (uids[cursor] !== out.uids[k]) cursor++;
          const exact = (weights[cursor] / max) * 65535;
          expect(Math.abs(out.values[k] - exact)).toBeLessThanOrEqual(0.5 + 1e-9);
          cursor++;
        }
        // dropped entries are exactly the ones that round to zero
        const kept = new Set(out.uids);
        uids.forEach((uid, i) => {
          expect(kept.has(uid)).toBe((weights[i] / max) * 65535 > 0.5);
        });
        // monotone: a larger input never gets a smaller output
        for (let a = 0; a < out.uids.length; a++) {
          for (let b = 0; b < out.uids.length; b++) {
            const wa = weights[uids.indexOf(out.uids[a])];
            const wb = weights[uids.indexOf(out.uids[b])];
            if (wa < wb) expect(out.values[a]).toBeLessThanOrEqual(out.values[b]);
          }
        }
        return true;
      }),
    );
  });
});

function neuron(uid: number, extra: Partial<MetagraphNeuron> = {}): MetagraphNeuron {
  return {
    uid,
    hotkey: `hk${uid}`,
    stake: 1,
    validatorPermit: false,
    active: true,
    lastUpdate: 0,
    axon: null,
    ...extra,
  };
}

function snapshot(
  overrides: Partial<MetagraphSnapshot['hyperparameters']> = {},
  me: Partial<MetagraphNeuron> = {},
) {
  const neurons = [
    neuron(0, { validatorPermit: true, lastUpdate: 950, ...me }),
    neuron(1),
    neuron(2),
    neuron(3),
  ];
  return {
    netuid: 1,
    block: 1000,
    neurons,
    hyperparameters: {
      tempo: 99,
      weightsSetRateLimit: 100,
      minAllowedWeights: 2,
      maxWeightsLimit: 65535,
      weightsVersionKey: 5,
      commitRevealEnabled: false,
      subnetworkN: 4,
      ...overrides,
    },
    fetchedAt: 0,
  } satisfies MetagraphSnapshot;
}

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return chainErrorReason(err) ?? `unexpected: ${String(err)}`;
  }
  return undefined;
}

describe('precheckWeights', () => {
  const w = { uids: [1, 2], values: [65535, 30000] };

  it('explains each refusal with the runtime error name', () => {
    expect(reasonOf(() => precheckWeights(snapshot(), 'hk0', w, 5, 'set_weights'))).toBe(
      'SettingWeightsTooFast',
    );
    expect(
      reasonOf(() => precheckWeights(snapshot({}, { lastUpdate: 900 }), 'hk0', w, 5, 'set_weights')),
    ).toBe(undefined);
    const ready = { lastUpdate: 900 };
    expect(reasonOf(() => precheckWeights(snapshot({}, ready), 'nobody', w, 5, 'set_weights'))).toBe(
      'HotKeyNotRegisteredInSubNet',
    );
    expect(reasonOf(() => precheckWeights(snapshot({}, ready), 'hk0', w, 4, 'set_weights'))).toBe(
      'IncorrectWeightVersionKey',
    );
    expect(
      reasonOf(() =>
        precheckWeights(snapshot({}, { ...ready, validatorPermit: false }), 'hk0', w, 5, 'set_weights'),
      ),
    ).toBe('NeuronNoValidatorPermit');
    expect(
      reasonOf(() =>
        precheckWeights(snapshot({}, ready), 'hk0', { uids: [1], values: [65535] }, 5, 'set_weights'),
      ),
    ).toBe('WeightVecLengthIsLow');
    expect(
      reasonOf(() =>
        precheckWeights(snapshot({}, ready), 'hk0', { uids: [1, 9], values: [1, 2] }, 5, 'set_weights'),
      ),
    ).toBe('UidVecContainInvalidOne');
    expect(
      reasonOf(() =>
        precheckWeights(snapshot({ commitRevealEnabled: true }, ready), 'hk0', w, 5, 'set_weights'),
      ),
    ).toBe('CommitRevealEnabled');
    expect(reasonOf(() => precheckWeights(snapshot({}, ready), 'hk0', w, 5, 'commit_weights'))).toBe(
      'CommitRevealDisabled',
    );
    expect(
      reasonOf(() =>
        precheckWeights(snapshot({ maxWeightsLimit: 32768 }, ready), 'hk0', w, 5, 'set_weights'),
      ),
    ).toBe('MaxWeightExceeded');
  });

  it('allows a self weight without a permit, and a never-set neuron regardless of the rate limit', () => {
    const self = { uids: [0], values: [65535] };
    expect(
      precheckWeights(
        snapshot({}, { lastUpdate: 900, validatorPermit: false }),
        'hk0',
        self,
        5,
        'set_weights',
      ),
    ).toBe(0);
    expect(precheckWeights(snapshot({}, { lastUpdate: 0 }), 'hk0', w, 5, 'set_weights')).toBe(0);
  });

  it('gives the block to retry at for the rate limit', () => {
    try {
      precheckWeights(snapshot(), 'hk0', w, 5, 'set_weights');
      expect.unreachable();
    } catch (err) {
      expect((err as { details: { retryAtBlock: number } }).details.retryAtBlock).toBe(1050);
    }
  });
});
