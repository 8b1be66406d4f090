/**
 * parseBatchRequest (fast path, zod fallback) against the live zod schema alone: the same
 * accept/reject decision, the same parsed value, and on rejection the same error message and issue
 * paths. (docs/wire-schemas.json pins the schema itself: its test fails when the contract moves.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAmlError } from '../errors.js';
import { BatchRequestSchema } from '../schemas/batch.js';
import {
  bodyArb,
  canon,
  featureRowArb,
  notATable,
  validBodyArb,
} from '../schemas/wire-arbitraries.test-support.js';
import { batchKeyArb } from './batch-arbitraries.test-support.js';
import { batchFromRequest, parseBatchBody, parseBatchRequest, schemaError } from './parse-request.js';

type Outcome = { ok: true; value: string } | { ok: false; message: string; details: unknown };

/** A run's value as canonical text, or its AmlError's message and details. */
function outcomeOf(run: () => unknown): Outcome {
  try {
    return { ok: true, value: canon(run()) };
  } catch (err) {
    if (!isAmlError(err)) throw err;
    return { ok: false, message: err.message, details: err.details };
  }
}

const outcome = (body: unknown): Outcome => outcomeOf(() => parseBatchRequest(body));

function referenceOutcome(body: unknown): Outcome {
  const ref = BatchRequestSchema.safeParse(body);
  if (ref.success) return { ok: true, value: canon(ref.data) };
  const err = schemaError('batch request', ref.error);
  return { ok: false, message: err.message, details: err.details };
}

describe('parseBatchRequest equals the zod schema alone', () => {
  it('on random bodies, valid or not: decision, value, message and issue paths', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(bodyArb, (body) => {
        const got = outcome(body);
        expect(got).toEqual(referenceOutcome(body));
        if (got.ok) accepted++;
        else rejected++;
      }),
      { numRuns: 800 },
    );
    expect(accepted).toBeGreaterThan(20);
    expect(rejected).toBeGreaterThan(200);
  });

  it('on valid bodies, mostly accepted', () => {
    let accepted = 0;
    fc.assert(
      fc.property(validBodyArb, (body) => {
        const got = outcome(body);
        expect(got).toEqual(referenceOutcome(body));
        if (got.ok) accepted++;
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(150);
  });

  it('on a valid body with one table replaced by something else', () => {
    const tableName = fc.constantFrom('alerts', 'features', 'clusters', 'money_flows');
    fc.assert(
      fc.property(validBodyArb, tableName, notATable, (body, name, value) => {
        const edited = { ...body, [name]: value };
        expect(outcome(edited)).toEqual(referenceOutcome(edited));
      }),
      { numRuns: 300 },
    );
  });

  it('names the same paths for an invalid row deep in a large table', () => {
    const alerts = Array.from({ length: 50 }, (_, i) => ({ alert_id: `a${i}`, address: `x${i}` }));
    const body = { alerts: [...alerts, { alert_id: 'bad', address: '', volume_usd: 'lots' }] };
    const got = outcome(body);
    expect(got.ok).toBe(false);
    expect(got).toEqual(referenceOutcome(body));
  });
});

describe('parseBatchBody equals batchFromRequest(parseBatchRequest(body))', () => {
  const keyArb = fc.option(
    fc.oneof(
      batchKeyArb,
      fc.constant({ network: 'Bad Name', processing_date: '2025-01-01', window_days: 1 }),
    ),
    { nil: undefined },
  );
  const check = (body: unknown, key: Parameters<typeof parseBatchBody>[1]) => {
    const expected = outcomeOf(() => batchFromRequest(parseBatchRequest(body), key));
    expect(outcomeOf(() => parseBatchBody(body, key))).toEqual(expected);
    return expected.ok;
  };

  it('on random and valid bodies, with and without a key (features become the same columns)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(bodyArb, validBodyArb), keyArb, (body, key) => {
        if (check(body, key)) accepted++;
      }),
      { numRuns: 800 },
    );
    expect(accepted).toBeGreaterThan(150);
  });

  it('on feature tables with varied, missing and non-numeric columns', () => {
    const rows = fc.array(featureRowArb, { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(rows, (features) => {
        check({ alerts: [], features }, undefined);
      }),
      { numRuns: 500 },
    );
  });
});
