import { makeVector, Table, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AmlError, isAmlError } from '../errors.js';
import { decodeBatchArrow, encodeBatchArrow } from './arrow-batch.js';
import { splitArrowFrames, writeArrowFrames } from './arrow-container.js';
import { decodeFeaturesArrow, decodeRowsArrow } from './codec-arrow.js';

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
        expect(jsonShape(decoded.alerts.rows())).toEqual(jsonShape(alerts));
        // one row at a time gives the same rows, keys in the same order
        const single = Array.from({ length: decoded.alerts.length }, (_, i) => decoded.alerts.row(i));
        expect(single.map((r) => Object.keys(r))).toEqual(decoded.alerts.rows().map((r) => Object.keys(r)));
        expect(decoded.clusters.rows()).toEqual([]);
        expect(decoded.money_flows.rows()).toEqual([]);
      }),
    );
  });

  it('decodes features columnar, NaN for missing (±Infinity too, as the schema reads it), finite values bit for bit', () => {
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
            const expected = values.map((v) => (Number.isFinite(v) ? v : Number.NaN));
            expect(decoded.features.columns.get(name)).toEqual(expected);
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
    // canonical column order (core columns first), as the JSON path and stored files give it
    expect([...decoded.features.columns.keys()]).toEqual(['total_in_usd', 'is_mixer_like']);
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

describe('one codec: the same fault reads the same from a request and from a file', () => {
  const fail = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return err as AmlError;
    }
    throw new Error('expected an error');
  };

  it('a features table without an address column', () => {
    const ipc = tableToIPC(new Table({ degree_in: makeVector(Float64Array.of(1, 2)) }), 'stream');
    const fromRequest = fail(() =>
      decodeBatchArrow(
        writeArrowFrames([
          ['alerts', ipc],
          ['features', ipc],
        ]),
      ),
    );
    const fromFile = fail(() => decodeFeaturesArrow(ipc, 'features'));
    expect([fromRequest.code, fromRequest.message]).toEqual([
      'AML_ERR_SCHEMA_INVALID',
      'invalid features: features.address: the column is missing',
    ]);
    expect([fromFile.code, fromFile.message]).toEqual([fromRequest.code, fromRequest.message]);
  });

  it('bytes that are no Arrow table: one reason, the transport names the code', () => {
    const garbage = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    const fromRequest = fail(() => decodeBatchArrow(writeArrowFrames([['alerts', garbage]])));
    const fromFile = fail(() => decodeRowsArrow('alerts', garbage, 'alerts.arrow'));
    expect(fromRequest.code).toBe('AML_ERR_API_ARROW_FORMAT');
    expect(fromFile.code).toBe('AML_ERR_IO_FORMAT');
    const reason = fromRequest.message.replace('invalid Arrow batch body: ', '');
    expect(reason.length).toBeGreaterThan(0);
    expect(fromFile.message).toBe(`cannot read alerts.arrow: ${reason}`);
  });
});
