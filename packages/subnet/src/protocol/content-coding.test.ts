import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAmlError } from '../errors.js';
import { contentCodingOf, decodeBody, encodeAnswer, gzipMember, parseCodingList } from './content-coding.js';

describe('content codings', () => {
  it('reads coding lists as RFC 9110 writes them: weights, case, x-gzip, junk skipped', () => {
    const cases: [string | string[] | undefined, string[]][] = [
      [undefined, []],
      ['', []],
      ['gzip, br', ['gzip', 'br']],
      ['GZip;q=0.5 , br;q=0', ['gzip']],
      [
        ['x-gzip', 'identity'],
        ['gzip', 'identity'],
      ],
      ['gzip;q=0.000, br;q=1.0, *', ['br', '*']],
      ['g zip, , ;q=1, br', ['br']],
    ];
    for (const [header, expected] of cases)
      expect([...parseCodingList(header)], String(header)).toEqual(expected);
  });

  it('never throws on any header text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(parseCodingList(text)).toBeInstanceOf(Set);
      }),
    );
  });

  it('names a body coding, with identity and nothing as none', () => {
    expect(contentCodingOf(undefined)).toBeUndefined();
    expect(contentCodingOf(' Identity ')).toBeUndefined();
    expect(contentCodingOf('X-GZIP')).toBe('gzip');
    expect(contentCodingOf('gzip, br')).toBe('gzip, br');
  });

  it('decodes concatenated gzip members as one body, within a cap', async () => {
    const body = Buffer.concat([await gzipMember(Buffer.from('{"a":')), await gzipMember(Buffer.from('1}'))]);
    expect((await decodeBody(body, 'gzip', 100)).toString()).toBe('{"a":1}');
    const refusal = await decodeBody(gzipSync(Buffer.alloc(1000)), 'gzip', 999).catch((e: unknown) => e);
    expect(isAmlError(refusal) && refusal.code).toBe('AML_ERR_PROTOCOL_TOO_LARGE');
    const garbage = await decodeBody(Buffer.from('nope'), 'br', 999).catch((e: unknown) => e);
    expect(isAmlError(garbage) && [garbage.status, garbage.message]).toEqual([
      400,
      expect.stringMatching(/Content-Encoding br, but the body is not br data/),
    ]);
  });

  it('compresses answers only for callers that accept gzip, and only past 1 KiB', async () => {
    const big = Buffer.from('x'.repeat(2048));
    expect((await encodeAnswer(big, 'gzip')).coding).toBe('gzip');
    expect((await encodeAnswer(big, 'br, *')).coding).toBe('gzip');
    expect((await encodeAnswer(big, 'gzip;q=0, br')).coding).toBeUndefined();
    expect((await encodeAnswer(big, undefined)).body).toBe(big);
    expect((await encodeAnswer(Buffer.from('{}'), 'gzip')).coding).toBeUndefined();
  });
});
