/**
 * Ascending sort of doubles without NaN, in place: an LSD radix sort over the doubles' bit
 * patterns (16-bit digits, four passes), about 1.5× faster in V8 than Float64Array.sort on the
 * 200k-value samples the bin finder sorts per feature. The order is the numeric one (-0 before +0,
 * as Float64Array.sort has it). Below 64k values the built-in sort is the faster one (its cost
 * grows as n log n, the radix sort's four 65536-entry count tables do not shrink: 30 columns of
 * 20k values sort in about 50 ms against 60–70 ms, of 50k in 140 ms against 190 ms).
 */

const RADIX_MIN = 1 << 16;
const DIGITS = 1 << 16;

export function sortDoubles(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const lo = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 0 : 1;
  const hi = 1 - lo;
  // a sortable key: flip every bit of a negative number, only the sign bit of a positive one
  for (let i = 0; i < 2 * n; i += 2) {
    const h = words[i + hi] as number;
    if (h >>> 31 === 1) {
      words[i + hi] = ~h;
      words[i + lo] = ~(words[i + lo] as number);
    } else words[i + hi] = h | 0x80000000;
  }
  let from: Uint32Array = words;
  let to: Uint32Array = new Uint32Array(n * 2);
  const count = new Uint32Array(DIGITS);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((from[2 * i + word] as number) >>> shift) & 0xffff]++;
    let start = 0;
    for (let k = 0; k < DIGITS; k++) {
      const c = count[k] as number;
      count[k] = start;
      start += c;
    }
    for (let i = 0; i < n; i++) {
      const d = count[((from[2 * i + word] as number) >>> shift) & 0xffff]++ as number;
      to[2 * d] = from[2 * i] as number;
      to[2 * d + 1] = from[2 * i + 1] as number;
    }
    const t = from;
    from = to;
    to = t;
  }
  // four passes: the sorted keys are back in `values`' own buffer
  for (let i = 0; i < 2 * n; i += 2) {
    const h = words[i + hi] as number;
    if (h >>> 31 === 1) words[i + hi] = h & 0x7fffffff;
    else {
      words[i + hi] = ~h;
      words[i + lo] = ~(words[i + lo] as number);
    }
  }
  return values;
}
