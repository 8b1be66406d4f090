/**
 * NaN-aware column statistics used by the builders (batch-relative features) and the selector
 * (variance, correlation). Pure functions over typed arrays; NaN means "missing" and is skipped,
 * never counted as 0. Sums run in index order so results are bit-reproducible.
 */

/**
 * Percentile rank of each value among the non-NaN values: averageRank / n, with ranks 1-based and
 * ties sharing the mean of their ranks (pandas' `rank(pct=True)`). In (0, 1]; NaN stays NaN.
 */
export function percentileRanks(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  // A native numeric sort of the present values, then two binary searches per value: no
  // comparator callbacks, which dominate at 100k rows.
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  const n = sorted.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    const below = lowerBound(sorted, v);
    const upTo = upperBound(sorted, v);
    // Equal values occupy ranks below+1 .. upTo; their mean is (below + 1 + upTo) / 2.
    out[i] = (below + 1 + upTo) / 2 / n;
  }
  return out;
}

/** Number of elements of `sorted` (ascending) strictly less than v: the first index whose value is ≥ v. */
export function lowerBound(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements of `sorted` less than or equal to v. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Mean and population standard deviation of the non-NaN values (NaN, NaN when there are none). */
export function meanAndStd(values: Float64Array): { mean: number; std: number; count: number } {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    sum += v;
    count++;
  }
  if (count === 0) return { mean: Number.NaN, std: Number.NaN, count };
  const mean = sum / count;
  // Two-pass variance (accurate for large USD amounts where E[x²]−E[x]² would cancel), with the
  // deviations scaled by the largest one so squaring neither underflows nor overflows.
  let scale = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) scale = Math.max(scale, Math.abs(v - mean));
  }
  if (scale === 0 || !Number.isFinite(scale)) return { mean, std: scale === 0 ? 0 : Number.NaN, count };
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    const d = (v - mean) / scale;
    squares += d * d;
  }
  return { mean, std: scale * Math.sqrt(squares / count), count };
}

/**
 * (x − mean) / std over the non-NaN values, population std. When every present value is equal
 * (std 0) the z-score is 0: the value is exactly average. NaN stays NaN.
 */
export function zScores(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  const { mean, std, count } = meanAndStd(values);
  if (count === 0) return out;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) out[i] = std > 0 ? (v - mean) / std : 0;
  }
  return out;
}

/**
 * Pearson correlation over the rows where both values are present. NaN when fewer than two such
 * rows or when either side is constant on them (correlation is undefined, not zero).
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let count = 0;
  let sumA = 0;
  let sumB = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    sumA += x;
    sumB += y;
    count++;
  }
  if (count < 2) return Number.NaN;
  const meanA = sumA / count;
  const meanB = sumB / count;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    const dx = x - meanA;
    const dy = y - meanB;
    sab += dx * dy;
    saa += dx * dx;
    sbb += dy * dy;
  }
  if (saa === 0 || sbb === 0) return Number.NaN;
  const r = sab / Math.sqrt(saa * sbb);
  return Math.max(-1, Math.min(1, r));
}
