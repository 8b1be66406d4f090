/**
 * Proposes the next trial's parameters: uniform random search over the space's internal
 * coordinates, or TPE (Tree-structured Parzen Estimator, Bergstra et al. 2011), which after
 * `nStartup` random trials splits the history into the best `gamma` fraction ("good") and the rest,
 * fits a density l(x) to the good trials and g(x) to the bad ones per parameter, draws candidates
 * from l and keeps the one with the largest l(x)/g(x): the point most typical of good trials
 * relative to bad ones. Parameters are modelled independently (the original TPE). Scores are
 * maximised. All randomness comes from the Rng passed in, so a seed fixes the proposals.
 */
import type { Rng } from '../../random.js';
import {
  fitCategorical,
  fitTruncatedMixture,
  mixtureDensity,
  sampleMixture,
  type TruncatedMixture,
} from './parzen.js';
import type { SamplerName } from './sampler-names.js';
import {
  decodeValue,
  encodeValue,
  internalBounds,
  type ParamSpec,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
} from './space.js';

export { SAMPLERS, type SamplerName } from './sampler-names.js';

export interface Observation {
  params: ParamValues;
  /** Higher is better; NaN for a failed trial (counted as bad). */
  score: number;
}

export interface TpeOptions {
  /** Random trials before TPE takes over. */
  nStartup: number;
  /** Fraction of trials counted as good. */
  gamma: number;
  /** Candidates drawn from l(x) per proposal. */
  nCandidates: number;
}

export const DEFAULT_TPE: TpeOptions = { nStartup: 10, gamma: 0.25, nCandidates: 24 };

function sampleUniform(spec: ParamSpec, rng: Rng): ParamValue {
  if (spec.type === 'fixed') return spec.value;
  if (spec.type === 'choice') return rng.choice(spec.values);
  if (spec.type === 'float' && spec.zero_prob > 0 && rng.next() < spec.zero_prob) return 0;
  const [lo, hi] = internalBounds(spec);
  return decodeValue(spec, rng.uniform(lo, hi));
}

export function sampleRandom(space: SearchSpace, rng: Rng): ParamValues {
  const out: ParamValues = {};
  for (const { name, spec } of space) out[name] = sampleUniform(spec, rng);
  return out;
}

/** A fitted density over one parameter's values, able to draw from itself. */
interface ParamDensity {
  sample(rng: Rng): ParamValue;
  density(value: ParamValue): number;
}

function numericDensity(spec: ParamSpec & { type: 'float' | 'int' }, values: ParamValue[]): ParamDensity {
  const [lo, hi] = internalBounds(spec);
  const zeroAllowed = spec.type === 'float' && spec.zero_prob > 0;
  const nums = values.filter((v): v is number => typeof v === 'number');
  const nonZero = zeroAllowed ? nums.filter((v) => v !== 0) : nums;
  const mixture: TruncatedMixture = fitTruncatedMixture(
    nonZero.map((v) => encodeValue(spec, v)),
    lo,
    hi,
  );
  // The zero option is a two-way choice (zero or the range) smoothed like a categorical.
  const pZero = zeroAllowed
    ? fitCategorical(
        nums.map((v) => (v === 0 ? 1 : 0)),
        2,
      )[1]
    : 0;
  return {
    sample(rng) {
      if (zeroAllowed && rng.next() < pZero) return 0;
      return decodeValue(spec, sampleMixture(mixture, rng));
    },
    density(value) {
      if (zeroAllowed && value === 0) return pZero;
      return (1 - pZero) * mixtureDensity(mixture, encodeValue(spec, value as number));
    },
  };
}

function choiceDensity(values: readonly ParamValue[], observed: ParamValue[]): ParamDensity {
  const index = observed.map((v) => values.indexOf(v)).filter((i) => i >= 0);
  const p = fitCategorical(index, values.length);
  return {
    sample: (rng) => values[rng.weightedIndex(p)],
    density: (value) => p[values.indexOf(value)] ?? 0,
  };
}

function fitDensity(spec: ParamSpec, observed: ParamValue[]): ParamDensity {
  if (spec.type === 'fixed') return { sample: () => spec.value, density: () => 1 };
  if (spec.type === 'choice') return choiceDensity(spec.values, observed);
  return numericDensity(spec, observed);
}

/** Best first; failed (NaN) trials last; ties keep their order (the earlier trial first). */
function rankObservations(history: readonly Observation[]): Observation[] {
  const score = (o: Observation) => (Number.isNaN(o.score) ? Number.NEGATIVE_INFINITY : o.score);
  return history
    .map((o, i) => ({ o, i }))
    .sort((a, b) => score(b.o) - score(a.o) || a.i - b.i)
    .map(({ o }) => o);
}

export function sampleTpe(
  space: SearchSpace,
  history: readonly Observation[],
  rng: Rng,
  options: TpeOptions = DEFAULT_TPE,
): { params: ParamValues; by: SamplerName } {
  if (history.length < Math.max(2, options.nStartup))
    return { params: sampleRandom(space, rng), by: 'random' };
  const ranked = rankObservations(history);
  const nGood = Math.min(ranked.length - 1, Math.max(1, Math.ceil(options.gamma * ranked.length)));
  const good = ranked.slice(0, nGood);
  const bad = ranked.slice(nGood);
  const densities = space.map(({ name, spec }) => ({
    name,
    l: fitDensity(
      spec,
      good.map((o) => o.params[name]),
    ),
    g: fitDensity(
      spec,
      bad.map((o) => o.params[name]),
    ),
  }));
  let best: ParamValues = {};
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < options.nCandidates; c++) {
    const candidate: ParamValues = {};
    let logRatio = 0;
    for (const { name, l, g } of densities) {
      const value = l.sample(rng);
      candidate[name] = value;
      // g is never 0 inside the range (it has a prior component), the floor only guards rounding.
      logRatio += Math.log(l.density(value) + 1e-300) - Math.log(g.density(value) + 1e-300);
    }
    if (logRatio > bestScore) {
      bestScore = logRatio;
      best = candidate;
    }
  }
  return { params: best, by: 'tpe' };
}

/** The sampler's proposal for the next trial, with the strategy that produced it. */
export function suggestParams(
  sampler: SamplerName,
  space: SearchSpace,
  history: readonly Observation[],
  rng: Rng,
  tpe: TpeOptions = DEFAULT_TPE,
): { params: ParamValues; by: SamplerName } {
  if (sampler === 'random') return { params: sampleRandom(space, rng), by: 'random' };
  return sampleTpe(space, history, rng, tpe);
}
