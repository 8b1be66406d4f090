import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIp, encodeIp } from './ip.js';

describe('ip encoding', () => {
  it('matches hand-computed values', () => {
    expect(encodeIp('1.2.3.4')).toEqual({ ip: 0x01020304n, ipType: 4 });
    expect(encodeIp('255.255.255.255')).toEqual({ ip: 4294967295n, ipType: 4 });
    expect(decodeIp(16909060n, 4)).toBe('1.2.3.4');
    // IPv4 reads the low 32 bits only
    expect(decodeIp((1n << 100n) | 0x0a000001n, 4)).toBe('10.0.0.1');
    expect(encodeIp('::1')).toEqual({ ip: 1n, ipType: 6 });
    expect(encodeIp('2001:db8::1')).toEqual({ ip: 0x20010db8000000000000000000000001n, ipType: 6 });
    expect(encodeIp('[::ffff:1.2.3.4]')).toEqual({ ip: 0xffff01020304n, ipType: 6 });
    expect(decodeIp(0x20010db8000000000000000000000001n, 6)).toBe('2001:db8::1');
    expect(decodeIp(0n, 6)).toBe('::');
    // RFC 5952: one zero group is not compressed; the first of equal runs is
    expect(decodeIp(0x20010db8000000010001000100010001n, 6)).toBe('2001:db8:0:1:1:1:1:1');
    expect(decodeIp(0x20010000000000010000000000010001n, 6)).toBe('2001::1:0:0:1:1');
    expect(decodeIp(0x20010000000000010000000000000001n, 6)).toBe('2001:0:0:1::1');
  });

  it('rejects malformed text and unknown ip types', () => {
    for (const bad of [
      '1.2.3',
      '256.1.1.1',
      '1.2.3.4.5',
      'a::b::c',
      '12345::',
      'host.example',
      '1:2:3:4:5:6:7:8:9',
    ]) {
      expect(() => encodeIp(bad), bad).toThrow(/invalid axon ip/);
    }
    expect(() => decodeIp(1n, 5)).toThrow(/ip_type 5/);
  });

  it('round-trips IPv4 (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        const { ip, ipType } = encodeIp(text);
        expect(ipType).toBe(4);
        expect(decodeIp(ip, 4)).toBe(text);
      }),
    );
  });

  it('round-trips u128 values through IPv6 text, and IPv6 text through u128 (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (value) => {
        expect(encodeIp(decodeIp(value, 6))).toEqual({ ip: value, ipType: 6 });
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const { ip, ipType } = encodeIp(text);
        expect(ipType).toBe(6);
        expect(encodeIp(decodeIp(ip, 6)).ip).toBe(ip);
      }),
    );
  });
});
