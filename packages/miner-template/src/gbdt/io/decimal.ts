/**
 * Reads a plain decimal number ([+-] digits [. digits] [e [+-] digits]) straight from the bytes
 * of a text (ASCII or UTF-8), without making a string for Number(): the CSV loader's hot path
 * (a byte array is several times cheaper to walk than a string's charCodeAt).
 * The result is always the double Number() gives for the same text (round to nearest, ties to
 * even), because it only answers when it can be sure and returns NaN otherwise (the caller then
 * falls back to Number()):
 * - up to 2^53 significant value and |exp10| <= 22: Clinger's fast path, one exactly rounded
 *   multiplication or division of two exact doubles;
 * - up to 19 significant digits: the Eisel-Lemire algorithm (Go's strconv/eisel_lemire.go; see
 *   Nigel Tao's "The Eisel-Lemire ParseNumberF64 Algorithm"), with 64-bit integer arithmetic done
 *   on 32-bit words, and a 128-bit truncated power-of-ten table computed lazily with BigInt;
 * - anything else (more digits, subnormal or overflowing results, the rare undecidable product,
 *   text that is not a plain decimal) returns NaN.
 */

/** Index just after the number the last scanDecimal call read (valid when it returned a number). */
export let scanEnd = 0;

/**
 * readDecimal's result. A typed array rather than a returned number: a double returned from a
 * function V8 does not inline is boxed in a fresh heap object, one per cell, which made the CSV
 * loader allocate more young-generation memory than its whole table (and the young generation grow).
 */
export const scanned = new Float64Array(1);

const TWO32 = 4294967296;
const TWO52 = 4503599627370496;
const TWO53 = 9007199254740992;
/** 10^0 .. 10^22: exact doubles. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Decimal exponents the power table covers (beyond them a 19-digit value is 0 or infinite). */
const MIN_EXP10 = -342;
const MAX_EXP10 = 308;
/** 128-bit mantissas of 10^q, four 32-bit words each (most significant first), filled on demand. */
const powWords = new Uint32Array((MAX_EXP10 - MIN_EXP10 + 1) * 4);
const powReady = new Uint8Array(MAX_EXP10 - MIN_EXP10 + 1);

/** 10^q scaled by a power of two into [2^127, 2^128), truncated (the table Eisel-Lemire needs). */
function powerWords(q: number): number {
  const at = q - MIN_EXP10;
  if (powReady[at] === 0) {
    let m: bigint;
    if (q >= 0) {
      m = 10n ** BigInt(q);
      const bits = m.toString(2).length;
      m = bits > 128 ? m >> BigInt(bits - 128) : m << BigInt(128 - bits);
    } else {
      const d = 10n ** BigInt(-q);
      m = (1n << BigInt(127 + d.toString(2).length)) / d;
    }
    for (let w = 3; w >= 0; w--) {
      powWords[at * 4 + w] = Number(m & 0xffffffffn);
      m >>= 32n;
    }
    powReady[at] = 1;
  }
  return at * 4;
}

/**
 * The 128-bit product of two 64-bit numbers as four 32-bit words, most significant first (a typed
 * array: module-level number variables would box every double stored in them).
 */
const product = new Float64Array(4);

/** (aHi, aLo) * (bHi, bLo) into `product`; each 32x32 product splits into exact halves. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  // low half of a 32x32 product from imul; the high half is the rounded double product minus it,
  // off from the true high half by at most 2^11 / 2^32, so rounding gives it exactly
  const l00 = Math.imul(aLo, bLo) >>> 0;
  const h00 = Math.round((aLo * bLo - l00) / TWO32);
  const l01 = Math.imul(aLo, bHi) >>> 0;
  const h01 = Math.round((aLo * bHi - l01) / TWO32);
  const l10 = Math.imul(aHi, bLo) >>> 0;
  const h10 = Math.round((aHi * bLo - l10) / TWO32);
  const l11 = Math.imul(aHi, bHi) >>> 0;
  const h11 = Math.round((aHi * bHi - l11) / TWO32);
  const t1 = h00 + l01 + l10;
  const c1 = Math.floor(t1 / TWO32);
  const t2 = h01 + h10 + l11 + c1;
  const c2 = Math.floor(t2 / TWO32);
  product[3] = l00;
  product[2] = t1 - c1 * TWO32;
  product[1] = t2 - c2 * TWO32;
  product[0] = h11 + c2;
}

/** Whether the 64-bit sum (aHi, aLo) + (bHi, bLo) overflows. */
function addOverflows(aHi: number, aLo: number, bHi: number, bLo: number): boolean {
  return aHi + bHi + (aLo + bLo >= TWO32 ? 1 : 0) >= TWO32;
}

/**
 * The significand's two 32-bit words for eiselLemire: passed in a typed array, as a number above
 * 2^30 passed to a function V8 does not inline becomes a heap object.
 */
const significand = new Float64Array(2);

/**
 * significand (high word, low word; nonzero) * 10^exp10 correctly rounded into scanned[0]; false
 * when undecided or not normal.
 */
function eiselLemire(exp10: number): boolean {
  if (exp10 < MIN_EXP10 || exp10 > MAX_EXP10) return false;
  let mHi = significand[0] as number;
  let mLo = significand[1] as number;
  // normalize: the mantissa's top bit at bit 63
  const clz = mHi !== 0 ? Math.clz32(mHi) : 32 + Math.clz32(mLo);
  if (clz >= 32) {
    mHi = mLo;
    mLo = 0;
  }
  const s = clz & 31;
  if (s !== 0) {
    mHi = ((mHi << s) | (mLo >>> (32 - s))) >>> 0;
    mLo = (mLo << s) >>> 0;
  }
  let exp2 = ((217706 * exp10) >> 16) + 64 + 1023 - clz;
  const p = powerWords(exp10);
  mul64(mHi, mLo, powWords[p] as number, powWords[p + 1] as number);
  let xHi3 = product[0] as number;
  let xHi2 = product[1] as number;
  let xLo1 = product[2] as number;
  let xLo0 = product[3] as number;
  if ((xHi2 & 0x1ff) === 0x1ff && addOverflows(xLo1, xLo0, mHi, mLo)) {
    // the product's low bits are too close to a carry: bring in the next 64 bits of the power
    const hi3 = xHi3;
    const hi2 = xHi2;
    const lo1 = xLo1;
    const lo0 = xLo0;
    mul64(mHi, mLo, powWords[p + 2] as number, powWords[p + 3] as number);
    const yHi3 = product[0] as number;
    const yLo1 = product[2] as number;
    const yLo0 = product[3] as number;
    // merged = x + (y >> 64)
    let sum0 = lo0 + (product[1] as number);
    let carry = sum0 >= TWO32 ? 1 : 0;
    sum0 -= carry * TWO32;
    let sum1 = lo1 + yHi3 + carry;
    carry = sum1 >= TWO32 ? 1 : 0;
    sum1 -= carry * TWO32;
    let m2 = hi2 + carry;
    carry = m2 >= TWO32 ? 1 : 0;
    m2 -= carry * TWO32;
    const m3 = hi3 + carry;
    if (
      (m2 & 0x1ff) === 0x1ff &&
      sum1 === TWO32 - 1 &&
      sum0 === TWO32 - 1 &&
      addOverflows(yLo1, yLo0, mHi, mLo)
    )
      return false;
    xHi3 = m3;
    xHi2 = m2;
    xLo1 = sum1;
    xLo0 = sum0;
  }
  // shift the high 64 bits down to 54 bits
  const msb = xHi3 >>> 31;
  const shift = 9 + msb;
  const rHi = xHi3 >>> shift;
  const rLo = ((xHi3 << (32 - shift)) | (xHi2 >>> shift)) >>> 0;
  exp2 -= 1 ^ msb;
  // exactly half-way between two doubles: only a full-precision method can round it
  if (xLo1 === 0 && xLo0 === 0 && (xHi2 & 0x1ff) === 0 && (rLo & 3) === 1) return false;
  // 54 to 53 bits, rounding half up (ties to even were ruled out above)
  let mantissa = rHi * 2147483648 + (rLo >>> 1) + (rLo & 1);
  if (mantissa >= TWO53) {
    mantissa = TWO52;
    exp2 += 1;
  }
  if (exp2 < 1 || exp2 >= 0x7ff) return false;
  composeDouble(exp2, mantissa - TWO52);
  return true;
}

const bitsF64 = new Float64Array(1);
const bitsU32 = new Uint32Array(bitsF64.buffer);
/** Index of the word holding sign and exponent (the machine's byte order). */
const HIGH = (() => {
  bitsF64[0] = 1;
  return bitsU32[1] === 0x3ff00000 ? 1 : 0;
})();

/** The positive normal double with biased exponent exp2 and 52-bit fraction, into scanned[0]. */
function composeDouble(exp2: number, fraction: number): void {
  const fracHi = Math.floor(fraction / TWO32);
  bitsU32[HIGH] = (exp2 << 20) | fracHi;
  bitsU32[1 - HIGH] = fraction - fracHi * TWO32;
  scanned[0] = bitsF64[0] as number;
}

let viewOf: Uint8Array | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));

/**
 * The four digits at bytes i..i+3 as a number, or -1 when one of them is not a digit: four at a
 * time (as fast_float does eight) costs fewer steps than one by one.
 */
function fourDigits(i: number): number {
  const v = view.getUint32(i, true);
  // every byte 0x30..0x39: high nibble 3, and adding 6 keeps it 3
  if (((v & 0xf0f0f0f0) | (((v + 0x06060606) & 0xf0f0f0f0) >>> 4)) !== 0x33333333) return -1;
  const d = v - 0x30303030;
  return (d & 0xff) * 1000 + ((d >>> 8) & 0xff) * 100 + ((d >>> 16) & 0xff) * 10 + (d >>> 24);
}

/**
 * The plain decimal number starting at byte `from` of `bytes`, read up to the first byte that
 * cannot continue it (scanEnd is set to that index), or NaN when there is none there or it cannot
 * be decided exactly here (then Number() on the text decides).
 */
export function scanDecimal(bytes: Uint8Array, from: number): number {
  return readDecimal(bytes, from) ? (scanned[0] as number) : Number.NaN;
}

/** scanDecimal without a returned double: true and the number in scanned[0], or false. */
export function readDecimal(bytes: Uint8Array, from: number): boolean {
  const n = bytes.length;
  if (bytes !== viewOf) {
    viewOf = bytes;
    view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  let i = from;
  // c stays a small integer (0 past the end) so the loops stay on integers
  let c = i < n ? (bytes[i] as number) : 0;
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    c = ++i < n ? (bytes[i] as number) : 0;
  }
  // the first 15 significant digits go to `head` (exact), up to 4 more to `tail`
  let head = 0;
  let tail = 0;
  let tailDigits = 0;
  let significant = 0;
  let exp10 = 0;
  const digitsFrom = i;
  // index of the decimal point, -1 while there is none
  let dot = -1;
  for (;;) {
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      if (significant === 0) {
        // leading zeros are no significant digits (their places count through `dot`)
        if (d !== 0) {
          head = d;
          significant = 1;
        }
      } else if (significant < 15) {
        head = head * 10 + d;
        significant++;
      } else if (significant < 19) {
        tail = tail * 10 + d;
        tailDigits++;
        significant++;
      } else return false;
      c = ++i < n ? (bytes[i] as number) : 0;
    } else if (c === 46 && dot < 0) {
      dot = i;
      c = ++i < n ? (bytes[i] as number) : 0;
      if (significant === 0) while (c === 48) c = ++i < n ? (bytes[i] as number) : 0;
      // fraction digits four at a time while they fit in `head`
      for (; significant <= 11 && i + 4 <= n; significant += 4) {
        const four = fourDigits(i);
        if (four < 0) break;
        head = head * 10000 + four;
        i += 4;
        c = i < n ? (bytes[i] as number) : 0;
      }
    } else break;
  }
  const digits = i - digitsFrom - (dot >= 0 ? 1 : 0);
  if (dot >= 0) exp10 = dot + 1 - i;
  if (digits === 0) return false;
  if (c === 101 || c === 69) {
    c = ++i < n ? (bytes[i] as number) : 0;
    let expNegative = false;
    if (c === 45 || c === 43) {
      expNegative = c === 45;
      c = ++i < n ? (bytes[i] as number) : 0;
    }
    let e = 0;
    const expFrom = i;
    while (c >= 48 && c <= 57) {
      if (e < 100000) e = e * 10 + (c - 48);
      c = ++i < n ? (bytes[i] as number) : 0;
    }
    if (i === expFrom) return false;
    exp10 += expNegative ? -e : e;
  }
  scanEnd = i;
  let value: number;
  if (significant === 0) value = 0;
  else {
    const whole = tailDigits === 0 ? head : head * (POW10[tailDigits] as number) + tail;
    if (whole < TWO53 && exp10 >= -22 && exp10 <= 22)
      value = exp10 < 0 ? whole / (POW10[-exp10] as number) : whole * (POW10[exp10] as number);
    else {
      // the exact 64-bit significand: head * 10^tailDigits + tail on two 32-bit words
      const scale = POW10[tailDigits] as number;
      const headHi = Math.floor(head / TWO32);
      let lo = (head - headHi * TWO32) * scale + tail;
      const carry = Math.floor(lo / TWO32);
      lo -= carry * TWO32;
      significand[0] = headHi * scale + carry;
      significand[1] = lo;
      if (!eiselLemire(exp10)) return false;
      value = scanned[0] as number;
    }
  }
  scanned[0] = negative ? -value : value;
  return true;
}
