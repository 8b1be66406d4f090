import { describe, expect, it } from 'vitest';
import { isAmlError } from '../errors.js';
import { batchFromRequest, parseBatchRequest } from './parse-request.js';

function catchError(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (isAmlError(err)) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('parseBatchRequest', () => {
  it('parses and coerces a wire body', () => {
    const req = parseBatchRequest({
      alerts: [{ alert_id: 'a1', address: 'x', volume_usd: '150000.00' }],
      features: [{ address: 'x', degree_in: '3', is_mixer_like: true }],
      clusters: [{ cluster_id: 'c', related_alert_ids: '["a1"]' }],
    });
    expect(req.alerts[0].volume_usd).toBe(150000);
    expect(req.features[0]).toMatchObject({ address: 'x', degree_in: 3, is_mixer_like: 1 });
    expect(req.clusters[0].related_alert_ids).toEqual(['a1']);
    expect(req.money_flows).toEqual([]);
  });

  it('throws AML_ERR_SCHEMA_INVALID (400) naming the first paths, with every issue in details', () => {
    const alerts = Array.from({ length: 6 }, (_, i) => ({
      alert_id: `a${i}`,
      address: 'x',
      volume_usd: 'lots',
    }));
    const err = catchError(() => parseBatchRequest({ alerts }));
    expect(err.code).toBe('AML_ERR_SCHEMA_INVALID');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(
      /^invalid batch request: alerts\[0\]\.volume_usd: .+; alerts\[1\]\.volume_usd/,
    );
    expect(err.message).toContain('(and 3 more)');
    const details = err.details as { issues: { path: string }[] };
    expect(details.issues.map((i) => i.path)).toEqual(alerts.map((_, i) => `alerts[${i}].volume_usd`));
  });

  it('rejects a body that is not an object', () => {
    expect(catchError(() => parseBatchRequest('nope')).code).toBe('AML_ERR_SCHEMA_INVALID');
    expect(catchError(() => parseBatchRequest({})).message).toContain('alerts');
  });
});

describe('batchFromRequest', () => {
  it('makes the features columnar and keeps the given key', () => {
    const req = parseBatchRequest({
      alerts: [{ alert_id: 'a', address: 'x' }],
      features: [{ address: 'x', kcore: 2 }, { address: 'y' }],
    });
    const key = { network: 'torus', processing_date: '2025-05-01', window_days: 30 };
    const batch = batchFromRequest(req, key);
    expect(batch.key).toEqual(key);
    expect(batch.features.address).toEqual(['x', 'y']);
    expect(Array.from(batch.features.columns.get('kcore')!)).toEqual([2, Number.NaN]);
  });

  it('infers the date and window from the alerts when no key is given', () => {
    const req = parseBatchRequest({
      alerts: [
        { alert_id: 'a', address: 'x' },
        { alert_id: 'b', address: 'x', processing_date: '2025-02-03', window_days: 7 },
      ],
    });
    expect(batchFromRequest(req).key).toEqual({
      network: 'unknown',
      processing_date: '2025-02-03',
      window_days: 7,
    });
    expect(batchFromRequest(parseBatchRequest({ alerts: [] })).key).toEqual({
      network: 'unknown',
      processing_date: '1970-01-01',
      window_days: 1,
    });
  });

  it('rejects an invalid key', () => {
    const req = parseBatchRequest({ alerts: [] });
    expect(
      catchError(() =>
        batchFromRequest(req, { network: 'Bad Name', processing_date: '2025-01-01', window_days: 1 }),
      ).code,
    ).toBe('AML_ERR_SCHEMA_INVALID');
  });
});
