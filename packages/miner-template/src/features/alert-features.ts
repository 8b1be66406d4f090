/**
 * buildAlertFeatures: one row per alert, in request order, with a column list fixed by the
 * options alone (never by which optional columns a batch happens to carry), so a model trained on
 * one batch can be served on any other. Families, in column order: alert fields, address
 * behaviour, derived address views, batch-relative, clusters, money flows, flow profile. Lookups (address → features row, alert_id →
 * index, address → flows) are built once per batch; everything else is linear.
 */
import type { Batch } from '../data/batch.js';
import { flowColumnsOf, flowCount } from '../data/money-flow-columns.js';
import { ADDRESS_DERIVED_COLUMNS, writeAddressDerived } from './address-derived.js';
import {
  addressFeatureColumns,
  addressSourceColumns,
  indexFeatureRows,
  writeAddressFeatures,
} from './address-features.js';
import { ALERT_CLUSTER_COLUMNS, writeAlertClusters } from './alert-clusters.js';
import { ALERT_FIELD_COLUMNS, writeAlertFields } from './alert-fields.js';
import { FLOW_PROFILE_COLUMNS, writeFlowProfile } from './alert-flow-profile.js';
import { ALERT_FLOW_COLUMNS, writeAlertFlows } from './alert-flows.js';
import { BATCH_RELATIVE_COLUMNS, writeBatchRelative } from './batch-relative.js';
import { indexAlerts, resolveClusterMembership } from './cluster-membership.js';
import { buildFlowGraph } from './flow-graph.js';
import { allocateMatrix } from './matrix.js';
import type { AlertFeatureOptions, FeatureMatrix } from './types.js';

/** The column names buildAlertFeatures produces with these options, in order; no batch needed. */
export function alertFeatureNames(options: AlertFeatureOptions = {}): string[] {
  return [
    ...ALERT_FIELD_COLUMNS,
    ...addressFeatureColumns(options.extraFeatureColumns),
    ...ADDRESS_DERIVED_COLUMNS,
    ...BATCH_RELATIVE_COLUMNS,
    ...ALERT_CLUSTER_COLUMNS,
    ...ALERT_FLOW_COLUMNS,
    ...FLOW_PROFILE_COLUMNS,
  ];
}

export function buildAlertFeatures(batch: Batch, options: AlertFeatureOptions = {}): FeatureMatrix {
  const { alerts } = batch;
  const names = alertFeatureNames(options);
  const matrix = allocateMatrix(
    names,
    alerts.map((a) => a.alert_id),
  );

  let offset = 0;
  writeAlertFields(alerts, matrix, offset);
  offset += ALERT_FIELD_COLUMNS.length;

  const featureRows = indexFeatureRows(batch.features);
  const featureRowOf = new Int32Array(alerts.length);
  for (let r = 0; r < alerts.length; r++) featureRowOf[r] = featureRows.get(alerts[r]!.address) ?? -1;
  const sourceColumns = addressSourceColumns(options.extraFeatureColumns);
  writeAddressFeatures(batch.features, featureRowOf, sourceColumns, matrix, offset);
  offset += sourceColumns.length + 1;

  writeAddressDerived(batch, featureRowOf, matrix, offset);
  offset += ADDRESS_DERIVED_COLUMNS.length;

  writeBatchRelative(alerts, matrix, offset);
  offset += BATCH_RELATIVE_COLUMNS.length;

  const alertIndex = batch.clusters.length > 0 ? indexAlerts(alerts) : new Map<string, number>();
  const membership = resolveClusterMembership(batch.clusters, alertIndex);
  writeAlertClusters(alerts, batch.clusters, membership, matrix, offset);
  offset += ALERT_CLUSTER_COLUMNS.length;

  const flows = flowCount(batch) > 0 ? flowColumnsOf(batch) : undefined;
  const graph = flows === undefined ? undefined : buildFlowGraph(flows);
  writeAlertFlows(alerts, graph, matrix, offset);
  offset += ALERT_FLOW_COLUMNS.length;

  if (flows !== undefined) writeFlowProfile(alerts, flows, matrix, offset);
  offset += FLOW_PROFILE_COLUMNS.length;

  return matrix;
}
