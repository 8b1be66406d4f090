/**
 * The flag value parsers every bin shares (aml-miner, aml-miner-proxy, aml-validator): each is a
 * commander argument parser, so a bad value is refused while the command line is parsed, before
 * anything slow starts, as one usage line (`option '--traps <n>' argument '0' is invalid. --traps
 * must be an integer >= 1, got "0"`). `checkedFlag` runs one on a value read later (a flag that
 * stays text until the command runs), as AML_ERR_CONFIG_INVALID with the same message.
 */
import { isIP } from 'node:net';
import { InvalidArgumentError } from 'commander';
import { amlError, ERRORS } from '../errors.js';

export type FlagParser<T> = (text: string) => T;

/** An integer, at least `min` and at most `max` when given. */
export function integerFlag(name: string, min?: number, max?: number): FlagParser<number> {
  const bounds = [min === undefined ? '' : ` >= ${min}`, max === undefined ? '' : ` <= ${max}`]
    .filter(Boolean)
    .join(' and');
  return (text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < (min ?? -Infinity) || n > (max ?? Infinity))
      throw new InvalidArgumentError(`${name} must be an integer${bounds}, got "${text}"`);
    return n;
  };
}

/** How a number flag is bounded; the message names the bound. */
export type NumberBound = 'any' | 'non-negative' | 'positive' | 'share';

const NUMBER_BOUNDS: Record<NumberBound, [test: (n: number) => boolean, what: string]> = {
  any: [() => true, 'a number'],
  'non-negative': [(n) => n >= 0, 'a non-negative number'],
  positive: [(n) => n > 0, 'a number > 0'],
  share: [(n) => n > 0 && n <= 1, 'a number in (0, 1]'],
};

/** A finite number within `bound`. */
export function numberFlag(name: string, bound: NumberBound = 'non-negative'): FlagParser<number> {
  const [test, what] = NUMBER_BOUNDS[bound];
  return (text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || !test(n))
      throw new InvalidArgumentError(`${name} must be ${what}, got "${text}"`);
    return n;
  };
}

/** A TCP port, 0 (any free port) to 65535. */
export function portFlag(name: string): FlagParser<number> {
  return (text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535)
      throw new InvalidArgumentError(`${name} must be a port number 0-65535, got "${text}"`);
    return n;
  };
}

/** A calendar date written YYYY-MM-DD. */
export const dateFlag: FlagParser<string> = (text) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`)))
    throw new InvalidArgumentError(`expected YYYY-MM-DD, got "${text}"`);
  return text;
};

/** An http:// or https:// base URL; `localhost:8000` parses as a URL with scheme "localhost:". */
export const httpUrlFlag: FlagParser<string> = (text) => {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new InvalidArgumentError(
      `expected an http:// or https:// URL, got "${text}" (did you mean http://${text}?)`,
    );
  return text;
};

/** A literal IP address or `localhost`: a host name would need resolving and could bind elsewhere. */
export function listenHostFlag(name: string): FlagParser<string> {
  return (text) => {
    if (text !== 'localhost' && isIP(text) === 0)
      throw new InvalidArgumentError(`${name} must be an IP address or localhost, got "${text}"`);
    return text;
  };
}

/** One of a fixed set of words. */
export function choiceFlag<const T extends string>(name: string, choices: readonly T[]): FlagParser<T> {
  return (text) => {
    if (!(choices as readonly string[]).includes(text))
      throw new InvalidArgumentError(`${name} must be one of ${choices.join(', ')}, got "${text}"`);
    return text as T;
  };
}

/** Runs a parser on a value read after parsing; a refusal is AML_ERR_CONFIG_INVALID, same words. */
export function checkedFlag<T>(parser: FlagParser<T>, text: string): T {
  try {
    return parser(text);
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [err.message]);
    throw err;
  }
}
