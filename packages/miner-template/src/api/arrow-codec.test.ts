import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitArrowFrames } from '../data/arrow-container.js';
import { isAmlError } from '../errors.js';
import { decodeBatchArrow, encodeBatchArrow } from './arrow-codec.js';

const text = fc.string({ minLength: 1, maxLength: 12 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const alertRow = fc.record(
  {
    alert_id: text,
    address: text,
    severity: maybe(fc.constantFrom('low', 'medium', 'high', 'critical')),
    volume_usd: maybe(fc.double({ noNaN: true, noDefaultInfinity: true })),
    risk_indicators: maybe(fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 })),
    is_flagged: maybe(fc.boolean()),
  },
  { requiredKeys: ['alert_id', 'address'] },
);

/** Rows with their undefined keys removed, as a JSON round trip would leave them. */
function jsonShape(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return JSON.parse(JSON.stringify(rows));
}

describe('encodeBatchArrow / decodeBatchArrow', () => {
  it('round-trips row tables to the rows a JSON client would send', () => {
    fc.assert(
      fc.property(fc.array(alertRow, { maxLength: 20 }), (alerts) => {
        const decoded = decodeBatchArrow(encodeBatchArrow({ alerts }));
        // Arrow keeps -0 where JSON writes 0: compare both through JSON, which is what a client sees
        expect(jsonShape(decoded.alerts)).toEqual(jsonShape(alerts));
        expect(decoded.clusters).toEqual([]);
        expect(decoded.money_flows).toEqual([]);
      }),
    );
  });

  it('decodes features columnar, NaN for missing, and keeps column values bit for bit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, fc.double(), fc.double()), { minLength: 1, maxLength: 30 }),
        (rows) => {
          const table = {
            address: rows.map((r) => r[0]),
            columns: new Map([
              ['degree_in', Float64Array.from(rows, (r) => r[1])],
              ['pagerank', Float64Array.from(rows, (r) => r[2])],
            ]),
          };
          const decoded = decodeBatchArrow(encodeBatchArrow({ alerts: [], features: table }));
          expect(decoded.features.address).toEqual(table.address);
          expect([...decoded.features.columns.keys()]).toEqual(['degree_in', 'pagerank']);
          for (const [name, values] of table.columns) {
            expect(decoded.features.columns.get(name)).toEqual(values);
          }
        },
      ),
    );
  });

  it('reads feature rows: booleans as 0/1, decimal strings as numbers, text-only columns dropped', () => {
    const decoded = decodeBatchArrow(
      encodeBatchArrow({
        alerts: [{ alert_id: 'a', address: 'x' }],
        features: [
          { address: 'x', is_mixer_like: true, total_in_usd: '150000.00', label: 'exchange' },
          { address: 'y', is_mixer_like: false, total_in_usd: null, label: 'pool' },
        ],
      }),
    );
    expect(decoded.features.address).toEqual(['x', 'y']);
    expect([...decoded.features.columns.keys()]).toEqual(['is_mixer_like', 'total_in_usd']);
    expect([...decoded.features.columns.get('is_mixer_like')!]).toEqual([1, 0]);
    expect([...decoded.features.columns.get('total_in_usd')!]).toEqual([150000, Number.NaN]);
  });

  it('is deterministic: same input, same bytes', () => {
    const batch = {
      alerts: [{ alert_id: 'a', address: 'x', volume_usd: 1.5 }],
      clusters: [{ cluster_id: 'c' }],
    };
    expect(encodeBatchArrow(batch)).toEqual(encodeBatchArrow(batch));
  });

  it('writes the documented framing', () => {
    const bytes = encodeBatchArrow({ alerts: [{ alert_id: 'a', address: 'x' }], clusters: [] });
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('AMLA');
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(1);
    const nameLength = new DataView(bytes.buffer).getUint16(8, true);
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + nameLength))).toBe('alerts');
    expect([...splitArrowFrames(bytes).keys()]).toEqual(['alerts', 'clusters']);
  });

  it('rejects every malformed input with an AML_ERR_API_ARROW_FORMAT or schema error, never another exception', () => {
    const valid = encodeBatchArrow({
      alerts: [{ alert_id: 'a', address: 'x', risk_indicators: ['r'] }],
      features: [{ address: 'x', degree_in: 3 }],
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(valid.length),
        (flips, cut) => {
          const bytes = valid.slice(0, cut);
          for (const [at, v] of flips) if (at < bytes.length) bytes[at] = v;
          try {
            decodeBatchArrow(bytes);
          } catch (err) {
            expect(isAmlError(err)).toBe(true);
            if (isAmlError(err)) expect(err.status).toBe(400);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('requires the alerts table and refuses unknown or repeated tables', () => {
    const frame = (name: string) => {
      const n = new TextEncoder().encode(name);
      const out = new Uint8Array(2 + n.length + 4);
      new DataView(out.buffer).setUint16(0, n.length, true);
      out.set(n, 2);
      return out;
    };
    const header = new Uint8Array([65, 77, 76, 65, 1, 0, 0, 0]);
    const join = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
    expect(() => splitArrowFrames(header)).toThrow(/alerts table is missing/);
    expect(() => splitArrowFrames(join(header, frame('alertz')))).toThrow(/unknown table/);
    expect(() => splitArrowFrames(join(header, frame('alerts'), frame('alerts')))).toThrow(/appears twice/);
    expect(() => splitArrowFrames(new Uint8Array([65, 77, 76, 65, 2, 0, 0, 0]))).toThrow(/version 1, got 2/);
  });
});
