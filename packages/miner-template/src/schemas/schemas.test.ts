import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlertSchema } from './alert.js';
import { BatchRequestSchema } from './batch.js';
import { FeatureRowSchema } from './features.js';
import { MoneyFlowSchema } from './money-flow.js';
import { decimal, optionalDecimal } from './primitives.js';

describe('primitives', () => {
  it('reads decimal strings and numbers as the same float64', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(decimal.parse(x)).toBe(x);
        // String(-0) is "0": the text form cannot carry the sign of zero
        expect(decimal.parse(String(x))).toBe(Object.is(x, -0) ? 0 : x);
      }),
    );
    expect(decimal.parse('150000.00')).toBe(150000);
  });

  it('turns missing values into NaN, never 0', () => {
    expect(optionalDecimal.parse(null)).toBeNaN();
    expect(optionalDecimal.parse(undefined)).toBeNaN();
    expect(optionalDecimal.parse('')).toBeNaN();
  });

  it('rejects non-numeric strings', () => {
    expect(decimal.safeParse('12abc').success).toBe(false);
    expect(decimal.safeParse('Infinity').success).toBe(false);
  });
});

describe('AlertSchema', () => {
  it('applies defaults and coerces amounts', () => {
    const a = AlertSchema.parse({ alert_id: 'a1', address: '0xabc', volume_usd: '1200.50' });
    expect(a.severity).toBe('medium');
    expect(a.suspected_address_type).toBe('unknown');
    expect(a.volume_usd).toBe(1200.5);
    expect(a.alert_confidence_score).toBeNaN();
    expect(a.risk_indicators).toEqual([]);
  });

  it('accepts risk_indicators as a JSON-encoded list', () => {
    const a = AlertSchema.parse({ alert_id: 'a1', address: 'x', risk_indicators: '["mixer","burst"]' });
    expect(a.risk_indicators).toEqual(['mixer', 'burst']);
  });

  it('names the path of a bad field', () => {
    const r = BatchRequestSchema.safeParse({
      alerts: [
        { alert_id: 'a', address: 'x' },
        { alert_id: 'b', address: 'y', alert_confidence_score: 3 },
      ],
      features: [],
      clusters: [],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['alerts', 1, 'alert_confidence_score']);
  });

  it('rejects an unknown severity', () => {
    expect(AlertSchema.safeParse({ alert_id: 'a', address: 'x', severity: 'extreme' }).success).toBe(false);
    expect(AlertSchema.parse({ alert_id: 'a', address: 'x', severity: 'HIGH' }).severity).toBe('high');
  });
});

describe('FeatureRowSchema', () => {
  it('keeps unknown numeric columns, drops non-numeric ones, maps booleans to 0/1 and null to NaN', () => {
    const row = FeatureRowSchema.parse({
      address: 'x',
      degree_in: '3',
      is_mixer_like: true,
      is_new_address: 0,
      custom_signal: 0.25,
      note: 'hello',
      pagerank: null,
    });
    expect(row).toMatchObject({
      address: 'x',
      degree_in: 3,
      is_mixer_like: 1,
      is_new_address: 0,
      custom_signal: 0.25,
    });
    expect(row.pagerank).toBeNaN();
    expect('note' in row).toBe(false);
  });
});

describe('MoneyFlowSchema', () => {
  it('reads is_bidirectional from 0/1 and strings', () => {
    expect(
      MoneyFlowSchema.parse({ from_address: 'a', to_address: 'b', is_bidirectional: 1 }).is_bidirectional,
    ).toBe(true);
    expect(
      MoneyFlowSchema.parse({ from_address: 'a', to_address: 'b', is_bidirectional: 'false' })
        .is_bidirectional,
    ).toBe(false);
  });
});

describe('BatchRequestSchema', () => {
  it('defaults money_flows to an empty list', () => {
    const b = BatchRequestSchema.parse({ alerts: [], features: [], clusters: [] });
    expect(b.money_flows).toEqual([]);
  });
});
