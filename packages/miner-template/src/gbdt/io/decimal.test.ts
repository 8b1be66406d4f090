import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanDecimal, scanEnd } from './decimal.js';

/** scanDecimal on a whole string: NaN unless it read all of it. */
function parseWhole(text: string): number {
  const v = scanDecimal(Buffer.from(text), 0);
  return Number.isNaN(v) || scanEnd !== text.length ? Number.NaN : v;
}

/** Passes when the fast parser either declines (NaN) or gives exactly Number()'s double. */
function agreesWithNumber(text: string): boolean {
  const v = parseWhole(text);
  return Number.isNaN(v) || Object.is(v, Number(text));
}

const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true });

/** A double printed the ways programs print numbers. */
const printed = fc.oneof(
  anyDouble.map(String),
  fc.tuple(anyDouble, fc.integer({ min: 1, max: 17 })).map(([x, p]) => x.toPrecision(p)),
  fc.tuple(anyDouble, fc.integer({ min: 0, max: 16 })).map(([x, p]) => x.toExponential(p)),
  fc
    .tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 20 }))
    .map(([x, p]) => x.toFixed(p)),
  fc.double({ min: -1, max: 1, noNaN: true }).map(String),
);

const digitString = (max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: max }).map((d) => d.join(''));

/** Hand-built decimals: sign, leading zeros, integer and fraction digits, an exponent. */
const composed = fc
  .record({
    sign: fc.constantFrom('', '-', '+'),
    zeros: fc.constantFrom('', '0', '000'),
    int: fc.option(digitString(22), { nil: '' }),
    frac: fc.option(digitString(22), { nil: undefined }),
    exp: fc.option(
      fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 400 })),
      { nil: undefined },
    ),
  })
  .map(
    ({ sign, zeros, int, frac, exp }) =>
      `${sign}${zeros}${int}${frac === undefined ? '' : `.${frac}`}${exp === undefined ? '' : `${exp[0]}${exp[1]}${exp[2]}`}`,
  );

describe('scanDecimal', () => {
  it('gives exactly the double Number() gives for printed doubles', () => {
    fc.assert(fc.property(printed, agreesWithNumber), { numRuns: 30000 });
  });

  it('decides nearly all normal doubles printed shortest (the fallback is rare)', () => {
    let decided = 0;
    const normal = fc
      .double({ min: -1e9, max: 1e9, noNaN: true })
      .filter((x) => x === 0 || Math.abs(x) >= 2.2250738585072014e-308);
    fc.assert(
      fc.property(normal, (x) => {
        if (!Number.isNaN(parseWhole(String(x)))) decided++;
      }),
      { numRuns: 10000 },
    );
    expect(decided).toBeGreaterThan(9900);
  });

  it('gives exactly the double Number() gives for composed decimals', () => {
    fc.assert(fc.property(composed, agreesWithNumber), { numRuns: 20000 });
  });

  it('gives exactly the double Number() gives for integers and 17-digit numbers near halfway points', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 19n), max: 10n ** 19n }),
        fc.integer({ min: -30, max: 30 }),
        (m, e) => agreesWithNumber(`${m}e${e}`),
      ),
      { numRuns: 20000 },
    );
    // decimal expansions of the midpoints between neighbouring doubles, cut to 17..19 digits
    fc.assert(
      fc.property(
        fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
        fc.integer({ min: 17, max: 19 }),
        (x, p) => {
          const next = x + (x * 2 ** -52) / 2;
          return agreesWithNumber(next.toPrecision(Math.min(p, 21)));
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('is exact on the edge cases', () => {
    const cases = [
      '0',
      '-0',
      '+0',
      '0.0',
      '-0.0e10',
      '.5',
      '5.',
      '-.5',
      '1e23',
      '8.98846567431158e307',
      '9007199254740991',
      '9007199254740992',
      '9007199254740993',
      '9007199254740994',
      '9007199254740995',
      '18014398509481985',
      '1.7976931348623157e308',
      '1.7976931348623159e308',
      '2.2250738585072014e-308',
      '2.2250738585072011e-308',
      '4.9e-324',
      '5e-324',
      '1e-400',
      '1e400',
      '0.1',
      '0.2',
      '0.3',
      '123456789012345678',
      '1234567890123456789',
      '12345678901234567890',
      '0.000000000000000000000000000001',
      '7.2057594037927933e16',
      '-0.12345678901234568',
      '2.4703282292062327e-324',
      '1.00000000000000011102230246251565404236316680908203125',
      '0000000000000000000001',
      '3.0000000000000004',
      '0.30000000000000004',
      '1e-22',
      '1e22',
    ];
    for (const text of cases) expect(agreesWithNumber(text), text).toBe(true);
    expect(parseWhole('-0')).toBe(-0);
    // 10^23 lies exactly half-way between two doubles: left to Number()
    expect(parseWhole('1e23')).toBeNaN();
    expect(parseWhole('1e24')).toBe(1e24);
    // 2^53 + 1 too (an exact tie), while 2^53 + 2 is a double
    expect(parseWhole('9007199254740993')).toBeNaN();
    expect(parseWhole('9007199254740994')).toBe(9007199254740994);
    expect(parseWhole('-0.12345678901234568')).toBe(-0.12345678901234568);
  });

  it('declines text that is not a plain decimal, and stops at the first character after one', () => {
    for (const text of ['', '-', '+', '.', 'e5', '-e5', '1e', '1e+', 'nan', 'Infinity', '-Infinity'])
      expect(parseWhole(text), text).toBeNaN();
    expect(scanDecimal(Buffer.from('12.5,3'), 0)).toBe(12.5);
    expect(scanEnd).toBe(4);
    expect(scanDecimal(Buffer.from('x,-7e2\n'), 2)).toBe(-700);
    expect(scanEnd).toBe(6);
    expect(scanDecimal(Buffer.from('0x10'), 0)).toBe(0);
    expect(scanEnd).toBe(1);
  });
});
