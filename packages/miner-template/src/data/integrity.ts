/**
 * Batch integrity (docs/data-contracts.md): the checks a schema cannot express because they span rows or tables.
 * Issues are data, a union discriminated on `code`, each naming the offending ids and the JSON path
 * in the request body; the message text is derived apart (formatIntegrityIssue). One pass over each
 * table with hash sets, so 100k alerts cost linear time. An alert whose address has no features row
 * is allowed (its features are NaN), so it is not an issue.
 */
import { amlError, ERRORS } from '../errors.js';
import type { BatchRequest } from '../schemas/batch.js';
import type { Batch } from './batch.js';

export type JsonPath = (string | number)[];

export type IntegrityIssue =
  | { code: 'empty_alert_id'; path: JsonPath }
  | { code: 'duplicate_alert_id'; alert_id: string; path: JsonPath; first_path: JsonPath }
  | { code: 'empty_cluster_id'; path: JsonPath }
  | { code: 'duplicate_cluster_id'; cluster_id: string; path: JsonPath; first_path: JsonPath }
  | { code: 'cluster_unknown_alert'; cluster_id: string; alert_id: string; path: JsonPath }
  | { code: 'empty_feature_address'; path: JsonPath }
  | { code: 'duplicate_feature_address'; address: string; path: JsonPath; first_path: JsonPath }
  | { code: 'feature_column_length'; column: string; expected: number; actual: number; path: JsonPath };

export type IntegrityIssueCode = IntegrityIssue['code'];

/** At most this many issues go into an error's details (the count says how many there were). */
export const MAX_REPORTED_ISSUES = 1000;

/** Ids are compared as given; an id that is empty or only whitespace is "empty". */
function isBlank(id: string): boolean {
  return id.trim() === '';
}

export function checkBatchIntegrity(batch: Batch | BatchRequest): IntegrityIssue[] {
  const issues: IntegrityIssue[] = [];

  const alertIndex = new Map<string, number>();
  batch.alerts.forEach((alert, i) => {
    const id = alert.alert_id;
    if (isBlank(id)) {
      issues.push({ code: 'empty_alert_id', path: ['alerts', i, 'alert_id'] });
      return;
    }
    const first = alertIndex.get(id);
    if (first === undefined) alertIndex.set(id, i);
    else
      issues.push({
        code: 'duplicate_alert_id',
        alert_id: id,
        path: ['alerts', i, 'alert_id'],
        first_path: ['alerts', first, 'alert_id'],
      });
  });

  const clusterIndex = new Map<string, number>();
  batch.clusters.forEach((cluster, i) => {
    const id = cluster.cluster_id;
    if (isBlank(id)) issues.push({ code: 'empty_cluster_id', path: ['clusters', i, 'cluster_id'] });
    else {
      const first = clusterIndex.get(id);
      if (first === undefined) clusterIndex.set(id, i);
      else
        issues.push({
          code: 'duplicate_cluster_id',
          cluster_id: id,
          path: ['clusters', i, 'cluster_id'],
          first_path: ['clusters', first, 'cluster_id'],
        });
    }
    const primary = cluster.primary_alert_id;
    if (primary !== undefined && primary !== '' && !alertIndex.has(primary)) {
      issues.push({
        code: 'cluster_unknown_alert',
        cluster_id: id,
        alert_id: primary,
        path: ['clusters', i, 'primary_alert_id'],
      });
    }
    cluster.related_alert_ids.forEach((alertId, k) => {
      if (!alertIndex.has(alertId)) {
        issues.push({
          code: 'cluster_unknown_alert',
          cluster_id: id,
          alert_id: alertId,
          path: ['clusters', i, 'related_alert_ids', k],
        });
      }
    });
  });

  const addresses = Array.isArray(batch.features)
    ? batch.features.map((row) => row.address)
    : batch.features.address;
  const addressIndex = new Map<string, number>();
  addresses.forEach((address, i) => {
    if (isBlank(address)) {
      issues.push({ code: 'empty_feature_address', path: ['features', i, 'address'] });
      return;
    }
    const first = addressIndex.get(address);
    if (first === undefined) addressIndex.set(address, i);
    else
      issues.push({
        code: 'duplicate_feature_address',
        address,
        path: ['features', i, 'address'],
        first_path: ['features', first, 'address'],
      });
  });

  if (!Array.isArray(batch.features)) {
    for (const [column, values] of batch.features.columns) {
      if (values.length !== addresses.length) {
        issues.push({
          code: 'feature_column_length',
          column,
          expected: addresses.length,
          actual: values.length,
          path: ['features', column],
        });
      }
    }
  }
  return issues;
}

/** `alerts[12].alert_id` from ['alerts', 12, 'alert_id']. */
export function formatJsonPath(path: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

export function formatIntegrityIssue(issue: IntegrityIssue): string {
  const at = formatJsonPath(issue.path);
  switch (issue.code) {
    case 'empty_alert_id':
      return `${at}: alert_id is empty`;
    case 'duplicate_alert_id':
      return `${at}: duplicate alert_id "${issue.alert_id}" (first at ${formatJsonPath(issue.first_path)})`;
    case 'empty_cluster_id':
      return `${at}: cluster_id is empty`;
    case 'duplicate_cluster_id':
      return `${at}: duplicate cluster_id "${issue.cluster_id}" (first at ${formatJsonPath(issue.first_path)})`;
    case 'cluster_unknown_alert':
      return `${at}: cluster "${issue.cluster_id}" names alert "${issue.alert_id}", which is not in the batch`;
    case 'empty_feature_address':
      return `${at}: address is empty`;
    case 'duplicate_feature_address':
      return `${at}: duplicate features row for address "${issue.address}" (first at ${formatJsonPath(issue.first_path)})`;
    case 'feature_column_length':
      return `${at}: column has ${issue.actual} values, expected ${issue.expected}`;
  }
}

/** Throws AML_ERR_BATCH_INTEGRITY (422) listing the issues (capped) when there are any. */
export function assertBatchIntegrity(batch: Batch | BatchRequest): void {
  const issues = checkBatchIntegrity(batch);
  if (issues.length === 0) return;
  const shown = issues.slice(0, 3).map(formatIntegrityIssue).join('; ');
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  throw amlError(ERRORS.AML_ERR_BATCH_INTEGRITY, [`${shown}${more}`], {
    issue_count: issues.length,
    issues: issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({
      ...issue,
      message: formatIntegrityIssue(issue),
    })),
  });
}
