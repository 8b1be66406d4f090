import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDouble17, formatG } from './number-format.js';

/** V8's toPrecision, rewritten into C's %g layout: an independent reference away from exact ties. */
function referenceG(x: number, p: number): string {
  const s = Math.abs(x).toPrecision(p);
  const sign = x < 0 ? '-' : '';
  const [mant, exp] = s.split('e') as [string, string | undefined];
  const e =
    exp === undefined
      ? mant.startsWith('0.')
        ? -(mant.slice(2).search(/[1-9]/) + 1)
        : mant.split('.')[0]!.length - 1
      : Number(exp);
  const strip = (m: string) => (m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m);
  if (e < -4 || e >= p) {
    const digits = mant.replace('.', '').replace(/^0+/, '');
    const m = strip(p > 1 ? `${digits[0]}.${digits.slice(1, p)}` : digits.slice(0, 1));
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return sign + strip(mant);
}

/** True when |x| lies exactly halfway between two p-digit decimals (toPrecision(100) is exact there). */
function isDecimalTie(x: number, p: number): boolean {
  const digits = Math.abs(x).toPrecision(100).split('e')[0]?.replace('.', '').replace(/^0+/, '') ?? '';
  return digits[p] === '5' && /^0*$/.test(digits.slice(p + 1));
}

describe('formatG', () => {
  it('matches C printf on known values (from CPython %-formatting)', () => {
    const cases: [number, number, string][] = [
      [1e-35, 17, '1e-35'],
      [0.1, 17, '0.10000000000000001'],
      [2 ** 51, 17, '2251799813685248'],
      [2 ** 50 + 0.25, 17, '1125899906842624.2'], // exact tie: V8's toPrecision gives ...4.3
      [2 ** 50 + 0.75, 17, '1125899906842624.8'],
      [0.0078125, 6, '0.0078125'],
      [123456.5, 6, '123456'], // exact tie: half to even
      [1234565, 6, '1.23456e+06'], // exact tie: half to even
      [-0.000012345678, 6, '-1.23457e-05'],
      [1e21, 17, '1e+21'],
      [1e-5, 6, '1e-05'],
      [0.00012345, 6, '0.00012345'],
      [0.5078125, 6, '0.507812'], // exact tie
      [2.5, 1, '2'],
      [1e100, 17, '1e+100'],
      [5e-324, 17, '4.9406564584124654e-324'],
      [-0, 6, '-0'],
      [123456789012345680, 17, '1.2345678901234568e+17'],
      [1, 6, '1'],
      [0.1, 6, '0.1'],
    ];
    for (const [x, p, want] of cases) expect(formatG(x, p), `${x} %.${p}g`).toBe(want);
  });

  it('rounds exact decimal ties half to even, as printf does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e12 }), (k) => {
        const p = String(k).length;
        fc.pre(String(k + 1).length === p);
        expect(formatG(k + 0.5, p)).toBe(String(k % 2 === 0 ? k : k + 1));
        expect(formatG(-(k + 0.5), p)).toBe(`-${k % 2 === 0 ? k : k + 1}`);
      }),
    );
  });

  it('writes inf and nan as fmt does', () => {
    expect(formatG(Number.POSITIVE_INFINITY)).toBe('inf');
    expect(formatG(Number.NEGATIVE_INFINITY)).toBe('-inf');
    expect(formatG(Number.NaN)).toBe('nan');
  });

  it('%.17g round-trips every double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Number(formatDouble17(x))).toBe(x);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with toPrecision-based formatting away from exact decimal ties', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 1, max: 17 }),
        (x, p) => {
          fc.pre(x !== 0 && !isDecimalTie(x, p));
          expect(formatG(x, p)).toBe(referenceG(x, p));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees with toPrecision-based formatting where rounding carries through nines', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 19 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: -320, max: 300 }),
        fc.integer({ min: 1, max: 17 }),
        fc.boolean(),
        (nines, tail, exp, p, negative) => {
          const x = Number(`${negative ? '-' : ''}${'9'.repeat(nines)}${tail}e${exp}`);
          fc.pre(x !== 0 && Number.isFinite(x) && !isDecimalTie(x, p));
          expect(formatG(x, p)).toBe(referenceG(x, p));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
