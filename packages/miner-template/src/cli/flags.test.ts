import { InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERRORS, hasErrorCode } from '../errors.js';
import {
  checkedFlag,
  choiceFlag,
  dateFlag,
  httpUrlFlag,
  integerFlag,
  listenHostFlag,
  numberFlag,
  portFlag,
} from './flags.js';

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidArgumentError);
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('flag parsers', () => {
  it('integerFlag: takes exactly the integers within its bounds, written in decimal', () => {
    const parse = integerFlag('--traps', 1, 100);
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        if (n >= 1 && n <= 100) expect(parse(String(n))).toBe(n);
        else
          expect(refusal(() => parse(String(n)))).toBe(
            `--traps must be an integer >= 1 and <= 100, got "${n}"`,
          );
      }),
    );
    for (const bad of ['', ' ', '1.5', 'abc', 'NaN', 'Infinity'])
      expect(refusal(() => parse(bad))).toContain('must be an integer');
    expect(refusal(() => integerFlag('--seed')('x'))).toBe('--seed must be an integer, got "x"');
  });

  it('numberFlag: refuses what is not finite or out of its bound, naming the bound', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
        (x) => {
          expect(numberFlag('--a', 'any')(String(x))).toBe(x);
          if (x > 0 && x <= 1) expect(numberFlag('--share', 'share')(String(x))).toBe(x);
          else
            expect(refusal(() => numberFlag('--share', 'share')(String(x)))).toContain('a number in (0, 1]');
          if (x < 0) expect(refusal(() => numberFlag('--t')(String(x)))).toContain('a non-negative number');
        },
      ),
    );
    expect(refusal(() => numberFlag('--t', 'positive')('0'))).toBe('--t must be a number > 0, got "0"');
    expect(refusal(() => numberFlag('--t', 'any')(''))).toBe('--t must be a number, got ""');
  });

  it('portFlag, dateFlag, httpUrlFlag, listenHostFlag, choiceFlag', () => {
    expect(portFlag('--p')('0')).toBe(0);
    expect(portFlag('--p')('65535')).toBe(65535);
    expect(refusal(() => portFlag('--p')('65536'))).toBe('--p must be a port number 0-65535, got "65536"');
    expect(dateFlag('2026-01-15')).toBe('2026-01-15');
    expect(refusal(() => dateFlag('2026-13-01'))).toBe('expected YYYY-MM-DD, got "2026-13-01"');
    expect(httpUrlFlag('https://x.example:8000')).toBe('https://x.example:8000');
    expect(refusal(() => httpUrlFlag('localhost:8000'))).toContain('did you mean http://localhost:8000?');
    expect(listenHostFlag('--h')('::1')).toBe('::1');
    expect(listenHostFlag('--h')('localhost')).toBe('localhost');
    expect(refusal(() => listenHostFlag('--h')('example.com'))).toContain(
      'must be an IP address or localhost',
    );
    expect(choiceFlag('--e', ['arrow', 'json'])('json')).toBe('json');
    expect(refusal(() => choiceFlag('--e', ['arrow', 'json'])('csv'))).toBe(
      '--e must be one of arrow, json, got "csv"',
    );
  });

  it('checkedFlag: the same refusal as AML_ERR_CONFIG_INVALID, for values read after parsing', () => {
    expect(checkedFlag(integerFlag('--folds', 2), '5')).toBe(5);
    try {
      checkedFlag(integerFlag('--folds', 2), '1');
      expect.unreachable();
    } catch (err) {
      expect(hasErrorCode(err, ERRORS.AML_ERR_CONFIG_INVALID)).toBe(true);
      expect((err as Error).message).toBe('invalid configuration: --folds must be an integer >= 2, got "1"');
    }
  });
});
