/**
 * The in-memory batch. Alerts, clusters and money flows are small parsed rows; features are kept
 * columnar (one Float64Array per column) because they are the wide table (about a hundred columns)
 * and the models read them column by column.
 */
import type { AddressLabel } from '../schemas/address-label.js';
import type { Alert } from '../schemas/alert.js';
import type { BatchKey } from '../schemas/batch.js';
import type { Cluster } from '../schemas/cluster.js';
import type { MoneyFlow } from '../schemas/money-flow.js';

/** Columnar features: row i is `address[i]`; every column has the same length; NaN = missing. */
export interface FeatureTable {
  address: string[];
  /** Column name -> values. Insertion order is the canonical column order. */
  columns: Map<string, Float64Array>;
}

export interface Batch {
  key: BatchKey;
  alerts: Alert[];
  features: FeatureTable;
  clusters: Cluster[];
  money_flows: MoneyFlow[];
}

/** Ground truth for a batch's date (docs/data-contracts.md: stored apart from the batch, never sent to miners). */
export type AddressLabels = AddressLabel[];
