/**
 * Parzen estimators for the TPE sampler (Bergstra et al., "Algorithms for Hyper-Parameter
 * Optimization", NeurIPS 2011): a density over one parameter built from the values observed in a
 * set of trials. Numeric parameters get a mixture of Gaussians truncated to the parameter's internal
 * range, one per observation plus a broad prior component; choices get smoothed category
 * frequencies. Pure math, seeded sampling through our Rng; nothing here knows about GBDTs.
 */
import type { Rng } from '../../random.js';

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): plenty for ratios of densities. */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

const normalCdf = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export interface TruncatedMixture {
  low: number;
  high: number;
  mus: Float64Array;
  sigmas: Float64Array;
  /** Normalised component weights. */
  weights: Float64Array;
  /** Each component's probability mass inside [low, high] (its truncation normaliser). */
  mass: Float64Array;
}

/**
 * One component per observation plus a prior centred on the range with the range as its width, so
 * the density never vanishes anywhere in the range (unexplored regions keep a chance). Bandwidths
 * follow the distance to the neighbouring observations, clipped so few points do not give spikes
 * and many points do not give one flat blob.
 */
export function fitTruncatedMixture(
  observations: readonly number[],
  low: number,
  high: number,
  priorWeight = 1,
): TruncatedMixture {
  const range = high - low;
  const points = [
    ...observations.map((x) => ({ x, w: 1, prior: false })),
    { x: (low + high) / 2, w: priorWeight, prior: true },
  ].sort((a, b) => a.x - b.x || Number(a.prior) - Number(b.prior));
  const n = points.length;
  const minSigma = range / Math.min(100, 1 + n);
  const mus = new Float64Array(n);
  const sigmas = new Float64Array(n);
  const weights = new Float64Array(n);
  const mass = new Float64Array(n);
  let totalWeight = 0;
  for (const p of points) totalWeight += p.w;
  for (let i = 0; i < n; i++) {
    const mu = points[i].x;
    const left = mu - (i > 0 ? points[i - 1].x : low);
    const right = (i < n - 1 ? points[i + 1].x : high) - mu;
    const sigma = points[i].prior ? range : Math.min(range, Math.max(minSigma, left, right));
    mus[i] = mu;
    sigmas[i] = sigma;
    weights[i] = points[i].w / totalWeight;
    mass[i] = normalCdf((high - mu) / sigma) - normalCdf((low - mu) / sigma);
  }
  return { low, high, mus, sigmas, weights, mass };
}

export function mixtureDensity(m: TruncatedMixture, x: number): number {
  if (x < m.low || x > m.high) return 0;
  let p = 0;
  for (let i = 0; i < m.mus.length; i++) {
    const z = (x - m.mus[i]) / m.sigmas[i];
    p += (m.weights[i] * INV_SQRT_2PI * Math.exp(-0.5 * z * z)) / (m.sigmas[i] * m.mass[i]);
  }
  return p;
}

/** Picks a component by weight, then a normal draw from it, rejected until it lands in range. */
export function sampleMixture(m: TruncatedMixture, rng: Rng): number {
  const i = rng.weightedIndex(m.weights);
  for (let attempt = 0; attempt < 64; attempt++) {
    const x = rng.normal(m.mus[i], m.sigmas[i]);
    if (x >= m.low && x <= m.high) return x;
  }
  // Every component's mean lies in range, so a run of 64 misses is (vanishingly) rare; clamp then.
  return Math.min(m.high, Math.max(m.low, rng.normal(m.mus[i], m.sigmas[i])));
}

/** Category probabilities: observed counts plus `prior` pseudo-counts spread evenly (Laplace-style). */
export function fitCategorical(observed: readonly number[], categories: number, prior = 1): Float64Array {
  const p = new Float64Array(categories).fill(prior / categories);
  for (const c of observed) p[c] += 1;
  const total = observed.length + prior;
  for (let c = 0; c < categories; c++) p[c] /= total;
  return p;
}
