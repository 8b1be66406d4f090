import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAmlError } from '../errors.js';
import type { Alert } from '../schemas/alert.js';
import type { BatchRequest } from '../schemas/batch.js';
import type { Cluster } from '../schemas/cluster.js';
import type { Batch } from './batch.js';
import { alertArb, clusterArb } from './batch-arbitraries.test-support.js';
import { featureRowsToTable } from './feature-table.js';
import {
  assertBatchIntegrity,
  checkBatchIntegrity,
  formatIntegrityIssue,
  formatJsonPath,
} from './integrity.js';

function alert(alert_id: string, address = 'addr'): Alert {
  return {
    alert_id,
    address,
    typology_type: 'unknown',
    pattern_id: undefined,
    pattern_type: undefined,
    severity: 'medium',
    suspected_address_type: 'unknown',
    suspected_address_subtype: undefined,
    alert_confidence_score: Number.NaN,
    description: undefined,
    volume_usd: Number.NaN,
    evidence_json: undefined,
    risk_indicators: [],
  };
}

function cluster(cluster_id: string, related: string[], primary?: string): Cluster {
  return {
    cluster_id,
    cluster_type: undefined,
    primary_address: undefined,
    pattern_id: undefined,
    primary_alert_id: primary,
    related_alert_ids: related,
    addresses_involved: [],
    total_alerts: Number.NaN,
    total_volume_usd: Number.NaN,
    severity_max: undefined,
    confidence_avg: Number.NaN,
    earliest_alert_timestamp: Number.NaN,
    latest_alert_timestamp: Number.NaN,
  };
}

function request(parts: Partial<BatchRequest>): BatchRequest {
  return { alerts: [], features: [], clusters: [], money_flows: [], ...parts };
}

describe('checkBatchIntegrity', () => {
  it('accepts a clean batch, including an alert whose address has no features row', () => {
    const req = request({
      alerts: [alert('a1', 'x'), alert('a2', 'no-features')],
      features: [{ address: 'x', degree_in: 1 }],
      clusters: [cluster('c1', ['a1', 'a2'], 'a1')],
    });
    expect(checkBatchIntegrity(req)).toEqual([]);
  });

  it('flags a duplicate alert_id with both paths', () => {
    const issues = checkBatchIntegrity(request({ alerts: [alert('a'), alert('b'), alert('a')] }));
    expect(issues).toEqual([
      {
        code: 'duplicate_alert_id',
        alert_id: 'a',
        path: ['alerts', 2, 'alert_id'],
        first_path: ['alerts', 0, 'alert_id'],
      },
    ]);
  });

  it('flags empty and blank alert_ids', () => {
    const issues = checkBatchIntegrity(request({ alerts: [alert(''), alert('  '), alert('ok')] }));
    expect(issues).toEqual([
      { code: 'empty_alert_id', path: ['alerts', 0, 'alert_id'] },
      { code: 'empty_alert_id', path: ['alerts', 1, 'alert_id'] },
    ]);
  });

  it('flags duplicate and empty cluster_ids', () => {
    const issues = checkBatchIntegrity(
      request({ clusters: [cluster('c', []), cluster('', []), cluster('c', [])] }),
    );
    expect(issues).toEqual([
      { code: 'empty_cluster_id', path: ['clusters', 1, 'cluster_id'] },
      {
        code: 'duplicate_cluster_id',
        cluster_id: 'c',
        path: ['clusters', 2, 'cluster_id'],
        first_path: ['clusters', 0, 'cluster_id'],
      },
    ]);
  });

  it('flags a cluster naming an alert not in the batch, in related_alert_ids or primary_alert_id', () => {
    const issues = checkBatchIntegrity(
      request({ alerts: [alert('a1')], clusters: [cluster('c1', ['a1', 'ghost'], 'phantom')] }),
    );
    expect(issues).toEqual([
      {
        code: 'cluster_unknown_alert',
        cluster_id: 'c1',
        alert_id: 'phantom',
        path: ['clusters', 0, 'primary_alert_id'],
      },
      {
        code: 'cluster_unknown_alert',
        cluster_id: 'c1',
        alert_id: 'ghost',
        path: ['clusters', 0, 'related_alert_ids', 1],
      },
    ]);
  });

  it('flags duplicate and empty feature addresses, in requests and in columnar batches alike', () => {
    const features = [
      { address: 'x', degree_in: 1 },
      { address: 'y', degree_in: 2 },
      { address: 'x', degree_in: 3 },
      { address: ' ', degree_in: 4 },
    ];
    const expected = [
      {
        code: 'duplicate_feature_address',
        address: 'x',
        path: ['features', 2, 'address'],
        first_path: ['features', 0, 'address'],
      },
      { code: 'empty_feature_address', path: ['features', 3, 'address'] },
    ];
    expect(checkBatchIntegrity(request({ features }))).toEqual(expected);
    const batch: Batch = {
      key: { network: 'n', processing_date: '2025-01-01', window_days: 1 },
      alerts: [],
      features: featureRowsToTable(features),
      clusters: [],
      money_flows: [],
    };
    expect(checkBatchIntegrity(batch)).toEqual(expected);
  });

  it('flags a feature column whose length differs from the address list', () => {
    const batch: Batch = {
      key: { network: 'n', processing_date: '2025-01-01', window_days: 1 },
      alerts: [],
      features: { address: ['a', 'b'], columns: new Map([['kcore', new Float64Array(3)]]) },
      clusters: [],
      money_flows: [],
    };
    expect(checkBatchIntegrity(batch)).toEqual([
      { code: 'feature_column_length', column: 'kcore', expected: 2, actual: 3, path: ['features', 'kcore'] },
    ]);
  });

  it('matches a brute-force reference on random batches', () => {
    const smallId = fc.constantFrom('', 'a', 'b', 'c', 'd');
    const arb = fc.record({
      alerts: fc
        .array(
          alertArb.map((a) => a),
          { maxLength: 8 },
        )
        .chain((as) =>
          fc.tuple(...as.map(() => smallId)).map((ids) => as.map((a, i) => ({ ...a, alert_id: ids[i] }))),
        ),
      clusters: fc.array(
        fc.tuple(
          clusterArb,
          smallId,
          fc.array(smallId, { maxLength: 3 }),
          fc.option(smallId, { nil: undefined }),
        ),
        { maxLength: 5 },
      ),
    });
    fc.assert(
      fc.property(arb, ({ alerts, clusters: raw }) => {
        const clusters = raw.map(([c, id, related, primary]) => ({
          ...c,
          cluster_id: id,
          related_alert_ids: related,
          primary_alert_id: primary,
        }));
        const issues = checkBatchIntegrity(request({ alerts, clusters }));
        const count = (code: string) => issues.filter((i) => i.code === code).length;
        // brute force: an id is a duplicate when an earlier row has it
        const dupAlerts = alerts.filter(
          (a, i) => a.alert_id !== '' && alerts.slice(0, i).some((b) => b.alert_id === a.alert_id),
        );
        const dupClusters = clusters.filter(
          (c, i) => c.cluster_id !== '' && clusters.slice(0, i).some((d) => d.cluster_id === c.cluster_id),
        );
        const known = (id: string) => alerts.some((a) => a.alert_id === id && id !== '');
        let unknown = 0;
        for (const c of clusters) {
          if (c.primary_alert_id !== undefined && c.primary_alert_id !== '' && !known(c.primary_alert_id))
            unknown++;
          unknown += c.related_alert_ids.filter((id) => !known(id)).length;
        }
        expect(count('duplicate_alert_id')).toBe(dupAlerts.length);
        expect(count('empty_alert_id')).toBe(alerts.filter((a) => a.alert_id === '').length);
        expect(count('duplicate_cluster_id')).toBe(dupClusters.length);
        expect(count('empty_cluster_id')).toBe(clusters.filter((c) => c.cluster_id === '').length);
        expect(count('cluster_unknown_alert')).toBe(unknown);
      }),
    );
  });
});

describe('assertBatchIntegrity', () => {
  it('passes a clean batch', () => {
    expect(() => assertBatchIntegrity(request({ alerts: [alert('a')] }))).not.toThrow();
  });

  it('throws AML_ERR_BATCH_INTEGRITY (422) listing every issue in details', () => {
    try {
      assertBatchIntegrity(
        request({ alerts: [alert('a'), alert('a'), alert('')], clusters: [cluster('c', ['zz'])] }),
      );
      expect.unreachable();
    } catch (err) {
      expect(isAmlError(err)).toBe(true);
      if (!isAmlError(err)) return;
      expect(err.code).toBe('AML_ERR_BATCH_INTEGRITY');
      expect(err.status).toBe(422);
      expect(err.message).toContain('alerts[1].alert_id');
      const details = err.details as { issue_count: number; issues: { code: string; message: string }[] };
      expect(details.issue_count).toBe(3);
      expect(details.issues.map((i) => i.code)).toEqual([
        'duplicate_alert_id',
        'empty_alert_id',
        'cluster_unknown_alert',
      ]);
      expect(details.issues[2].message).toContain('"zz"');
    }
  });
});

describe('formatting', () => {
  it('writes JSON paths the way the API reports them', () => {
    expect(formatJsonPath(['alerts', 12, 'alert_id'])).toBe('alerts[12].alert_id');
    expect(formatJsonPath([3, 'volume_usd'])).toBe('[3].volume_usd');
    expect(formatJsonPath([])).toBe('(root)');
    expect(formatIntegrityIssue({ code: 'empty_cluster_id', path: ['clusters', 0, 'cluster_id'] })).toBe(
      'clusters[0].cluster_id: cluster_id is empty',
    );
  });
});
