/**
 * A correctly rounded natural logarithm. V8's Math.log can be one ulp off where glibc's log (which
 * LightGBM calls) is right, and the binary objective's initial score log(p / (1 − p)) lands in
 * every leaf of the first tree: one ulp there is a different model file. Computed once per
 * training run with 160-bit fixed-point BigInt arithmetic, then rounded to the nearest double.
 */
const BITS = 160n;
const ONE = 1n << BITS;

/** 2·atanh(z) for a fixed-point z (|z| <= 1/3), by its odd power series. */
function twoAtanh(z: bigint): bigint {
  const z2 = (z * z) >> BITS;
  let term = z;
  let sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k;
    term = (term * z2) >> BITS;
  }
  return 2n * sum;
}

/** ln 2 = 2·atanh(1/3). */
const LN2 = twoAtanh(ONE / 3n);

/** ln(x) for finite x > 0, the double nearest to the exact value. */
export function exactLog(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
  // x = m · 2^e with m in [1, 2): both parts exact in fixed point
  let e = Math.floor(Math.log2(x));
  let m = x / 2 ** e;
  if (m >= 2) {
    m /= 2;
    e += 1;
  } else if (m < 1) {
    m *= 2;
    e -= 1;
  }
  // m has at most 53 significant bits: m · 2^52 is an integer
  const mFixed = (BigInt(m * 2 ** 52) << BITS) >> 52n;
  // ln m = 2·atanh((m − 1) / (m + 1)), with (m − 1)/(m + 1) in [0, 1/3)
  const z = ((mFixed - ONE) << BITS) / (mFixed + ONE);
  const value = BigInt(e) * LN2 + twoAtanh(z);
  // Number(bigint) rounds to nearest; the power-of-two scaling is exact
  return Number(value) / 2 ** Number(BITS);
}
