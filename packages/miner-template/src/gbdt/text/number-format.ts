/**
 * printf/fmt-compatible `%g` formatting of doubles, as LightGBM writes numbers into model files
 * (fmt "{:.17g}" for thresholds and leaf values, "{:g}" — six significant digits — for gains,
 * internal values and weights, iostream's default for shrinkage). JavaScript's toPrecision breaks
 * exact decimal ties upwards while printf and fmt round half to even, so this works on the exact
 * binary value with BigInt. Pure; no I/O.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Exact decimal expansion: value = digits × 10^exp10, digits without leading zeros. */
function exactDecimal(x: number): { digits: string; exp10: number } {
  f64[0] = x;
  const hi = u32[LITTLE_ENDIAN ? 1 : 0] as number;
  const lo = u32[LITTLE_ENDIAN ? 0 : 1] as number;
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (biased === 0) {
    exp2 = -1074;
  } else {
    mantissa |= 1n << 52n;
    exp2 = biased - 1075;
  }
  if (exp2 >= 0) return { digits: (mantissa << BigInt(exp2)).toString(), exp10: 0 };
  // m × 2^-k = m × 5^k × 10^-k
  return { digits: (mantissa * 5n ** BigInt(-exp2)).toString(), exp10: exp2 };
}

/** Rounds the exact decimal of |x| (x finite, non-zero) to `precision` significant digits, half to even. */
function roundSignificant(x: number, precision: number): { digits: string; exponent: number } {
  const { digits, exp10 } = exactDecimal(Math.abs(x));
  let exponent = digits.length - 1 + exp10;
  if (digits.length <= precision) return { digits: digits.padEnd(precision, '0'), exponent };
  let kept = digits.slice(0, precision);
  const first = digits.charCodeAt(precision) - 48;
  let roundUp: boolean;
  if (first !== 5) roundUp = first > 5;
  else if (/[1-9]/.test(digits.slice(precision + 1))) roundUp = true;
  else roundUp = (kept.charCodeAt(precision - 1) - 48) % 2 === 1;
  if (roundUp) {
    const bumped = (BigInt(kept) + 1n).toString();
    if (bumped.length > precision) {
      exponent += 1;
      kept = bumped.slice(0, precision);
    } else {
      kept = bumped;
    }
  }
  return { digits: kept, exponent };
}

/**
 * roundSignificant through V8's correctly rounded toExponential, which differs from printf only on
 * an exact decimal tie (it rounds those up). A tie needs |x|'s exact decimal to end in 5 at digit
 * precision + 1, where toExponential(precision) is exact and shows that 5: then undefined, and the
 * caller takes the exact BigInt path. A quarter less CPU for predictions written by the line.
 * That one conversion, with one digit more than wanted, also gives the answer: it is within half a
 * unit of its last digit d of the exact value, so when d is not 5 the exact value lies on the same
 * side of the halfway point as d does (below for d <= 4, above for d >= 6), and dropping d with a
 * carry when d > 5 rounds as printf does: one conversion a number instead of two.
 */
function roundSignificantFast(
  x: number,
  precision: number,
): { digits: string; exponent: number } | undefined {
  const longer = Math.abs(x).toExponential(precision);
  const last = longer.charCodeAt(precision + 1);
  if (last === 53) return undefined;
  let exponent = Number(longer.slice(longer.indexOf('e') + 1));
  let digits = longer[0] + longer.slice(2, precision + 1);
  if (last > 53) {
    // add one unit in the last kept place: trailing 9s become 0s, the digit before them goes up
    let i = precision - 1;
    while (i >= 0 && digits.charCodeAt(i) === 57) i--;
    if (i < 0) {
      digits = `1${'0'.repeat(precision - 1)}`;
      exponent += 1;
    } else {
      digits =
        digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) + '0'.repeat(precision - 1 - i);
    }
  }
  return { digits, exponent };
}

function stripFraction(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/** C's `%.{precision}g` (also fmt's "{:.Ng}" and iostream's default with setprecision(N)). */
export function formatG(x: number, precision = 6): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  const p = precision === 0 ? 1 : precision;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0`;
  const { digits, exponent } = (p <= 99 ? roundSignificantFast(x, p) : undefined) ?? roundSignificant(x, p);
  if (exponent < -4 || exponent >= p) {
    const mantissa = stripFraction(p > 1 ? `${digits[0]}.${digits.slice(1)}` : digits);
    const expAbs = Math.abs(exponent);
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${expAbs < 10 ? `0${expAbs}` : expAbs}`;
  }
  let fixed: string;
  if (exponent >= 0) {
    const intPart = digits.slice(0, exponent + 1);
    const frac = digits.slice(exponent + 1);
    fixed = frac.length > 0 ? `${intPart}.${frac}` : intPart;
  } else {
    fixed = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  return sign + stripFraction(fixed);
}

/** LightGBM's high-precision form for doubles (fmt "{:.17g}"). */
export function formatDouble17(x: number): string {
  return formatG(x, 17);
}
