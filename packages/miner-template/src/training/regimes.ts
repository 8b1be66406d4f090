/**
 * The worlds the shipped models train on: generator regimes drawn at random over difficulty,
 * typology mix, network size, amount level, rounding, missingness, column subsets and window
 * length, plus one fixed regime that training never sees (outside the drawn ranges on purpose),
 * on which the models are judged. Pure functions of the seed.
 */

import type { Rng } from '../random.js';
import { FEATURE_COLUMN_SETS } from '../synthetic/export-style.js';
import type { GenerateOptions } from '../synthetic/generate.js';
import { TYPOLOGIES } from '../synthetic/typologies.js';

export type RegimeDraw = Required<Pick<GenerateOptions, 'difficulty' | 'windowDays' | 'network' | 'regime'>>;

const NETWORKS = ['torus', 'ethereum', 'bitcoin', 'polkadot'] as const;
const WINDOWS = [7, 7, 7, 3, 14] as const;
const DECIMALS = [undefined, undefined, 2, 0] as const;

/** One training regime. Amount scale is log-uniform in [0.4, 2.5]; difficulty in [0.15, 0.85]. */
export function drawTrainingRegime(rng: Rng): RegimeDraw {
  const typologyMix = Object.fromEntries(TYPOLOGIES.map((t) => [t, rng.uniform(0.2, 1.8)]));
  const amountDecimals = rng.choice(DECIMALS);
  return {
    difficulty: rng.uniform(0.15, 0.85),
    windowDays: rng.choice(WINDOWS),
    network: rng.choice(NETWORKS),
    regime: {
      amountScale: Math.exp(rng.uniform(Math.log(0.4), Math.log(2.5))),
      retailPerAlert: rng.uniform(2, 6),
      typologyMix,
      export: {
        featureColumns: rng.choice(FEATURE_COLUMN_SETS),
        missingRate: rng.uniform(0, 0.3),
        ...(amountDecimals === undefined ? {} : { amountDecimals }),
      },
    },
  };
}

/**
 * The held-out regime: harder, richer in everyday money and longer-windowed than anything drawn
 * for training, with a typology mix training never weights this way and heavier gaps.
 */
export const HELDOUT_REGIME: RegimeDraw = {
  difficulty: 0.9,
  windowDays: 30,
  network: 'ethereum',
  regime: {
    amountScale: 3.5,
    retailPerAlert: 8,
    typologyMix: {
      peel_chain: 3,
      cycle: 3,
      layering: 0.3,
      fan_in: 0.3,
      fan_out: 0.3,
      structuring: 0.3,
      mixer_interaction: 0.3,
    },
    export: { featureColumns: 'all', missingRate: 0.35, amountDecimals: 0 },
  },
};
