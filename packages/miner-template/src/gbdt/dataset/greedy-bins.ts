/**
 * Bin boundaries for one sign range of a numerical feature, LightGBM's way (src/io/bin.cpp,
 * GreedyFindBin), re-derived so that trained trees carry the same thresholds as LightGBM's:
 * - few distinct values (≤ maxBin): a boundary after each value once the bin holds minDataInBin;
 * - many: values holding at least a mean bin's worth of samples ("big" values) get a bin of their
 *   own, the rest are cut greedily at the running mean size of what is left, and a bin is closed
 *   early (at half the mean) when a big value comes next.
 * A boundary is the double just above the midpoint of the two values it separates; boundaries
 * within one ulp of the previous one are dropped. The last bound is always +Infinity.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the low and high 32-bit words of a double in this platform's byte order. */
const LO = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** The next representable double above x (LightGBM's GetDoubleUpperBound, std::nextafter). */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  // the bit pattern of a double is monotone in its magnitude: step it by one unit
  if (x > 0) {
    if (u32[LO] === 0xffffffff) {
      u32[LO] = 0;
      u32[HI] = (u32[HI] as number) + 1;
    } else u32[LO] = (u32[LO] as number) + 1;
  } else if (u32[LO] === 0) {
    u32[LO] = 0xffffffff;
    u32[HI] = (u32[HI] as number) - 1;
  } else u32[LO] = (u32[LO] as number) - 1;
  return f64[0] as number;
}

/** b is at most one ulp above a (a ≤ b assumed): LightGBM treats such doubles as one value. */
export function withinOneUlp(a: number, b: number): boolean {
  return b <= nextUp(a);
}

function pushBound(bounds: number[], lowerValue: number, upperValue: number): void {
  const bound = nextUp((lowerValue + upperValue) / 2);
  if (bounds.length === 0 || !withinOneUlp(bounds[bounds.length - 1] as number, bound)) bounds.push(bound);
}

/**
 * Upper bounds for the distinct sorted `values` (with their sample `counts`) from index `start`,
 * `length` of them, into at most `maxBin` bins; `total` is their summed count.
 */
export function greedyFindBin(
  values: ArrayLike<number>,
  counts: ArrayLike<number>,
  start: number,
  length: number,
  maxBin: number,
  total: number,
  minDataInBin: number,
): number[] {
  const bounds: number[] = [];
  const v = (i: number) => values[start + i] as number;
  const c = (i: number) => counts[start + i] as number;
  if (length <= maxBin) {
    let inBin = 0;
    for (let i = 0; i < length - 1; i++) {
      inBin += c(i);
      if (inBin >= minDataInBin) {
        const before = bounds.length;
        pushBound(bounds, v(i), v(i + 1));
        if (bounds.length > before) inBin = 0;
      }
    }
    bounds.push(Number.POSITIVE_INFINITY);
    return bounds;
  }
  let bins = maxBin;
  if (minDataInBin > 0) bins = Math.max(1, Math.min(bins, Math.trunc(total / minDataInBin)));
  let mean = total / bins;
  let restBins = bins;
  let restCount = total;
  const big = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    if (c(i) >= mean) {
      big[i] = 1;
      restBins--;
      restCount -= c(i);
    }
  }
  mean = restCount / restBins;
  // a closed bin is remembered by its last value and the first value of the next bin
  const lastOfBin: number[] = [];
  const firstOfNext: number[] = [];
  let inBin = 0;
  for (let i = 0; i < length - 1; i++) {
    if (big[i] === 0) restCount -= c(i);
    inBin += c(i);
    if (big[i] === 1 || inBin >= mean || (big[i + 1] === 1 && inBin >= Math.max(1, mean * 0.5))) {
      lastOfBin.push(v(i));
      firstOfNext.push(v(i + 1));
      if (lastOfBin.length >= bins - 1) break;
      inBin = 0;
      if (big[i] === 0) {
        restBins--;
        mean = restCount / restBins;
      }
    }
  }
  for (let k = 0; k < lastOfBin.length; k++) {
    pushBound(bounds, lastOfBin[k] as number, firstOfNext[k] as number);
  }
  bounds.push(Number.POSITIVE_INFINITY);
  return bounds;
}
