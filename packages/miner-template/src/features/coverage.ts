/**
 * Feature coverage (docs/api.md): the share of a model's input columns that the batch actually
 * carried. A column is carried when every table column it is computed from is present with at
 * least one value (a column sent as all nulls carries nothing); flow columns need money_flows.
 * Columns computed from the alerts and clusters alone are always carried. Below the warning
 * threshold the server names the missing column groups, so an operator sees which part of the
 * upstream table a producer does not send.
 */
import type { Batch } from '../data/batch.js';
import { flowCount } from '../data/money-flow-columns.js';
import { upstreamColumnMeta } from '../schemas/upstream-features.js';
import { DERIVED_SOURCES, RANK_PREFIX } from './address-derived.js';
import { ADDRESS_PREFIX } from './address-features.js';

/** Below this share the server logs a warning naming the missing groups. */
export const COVERAGE_WARNING_THRESHOLD = 0.8;

const MEMBER_PREFIX = 'members_mean_addr_';
const FLOW_PREFIXES = ['flow_', 'flowp_', 'cluster_flow_'];

export interface FeatureCoverage {
  /** Carried input columns / all input columns, in [0, 1] (1 for a model without inputs). */
  coverage: number;
  /** The model's input columns the batch did not carry, in the model's order. */
  missingColumns: string[];
  /** Their groups (upstream groups, `money_flows`, `extra`), in first-missing order. */
  missingGroups: string[];
}

/** Where a model input column comes from: feature-table columns, money_flows, or nothing optional. */
export function columnSources(name: string): { featureColumns: readonly string[]; flows: boolean } {
  if (FLOW_PREFIXES.some((p) => name.startsWith(p))) return { featureColumns: [], flows: true };
  const derived = DERIVED_SOURCES[name];
  if (derived) return { featureColumns: derived, flows: false };
  for (const prefix of [RANK_PREFIX, MEMBER_PREFIX, ADDRESS_PREFIX]) {
    if (name.startsWith(prefix)) return { featureColumns: [name.slice(prefix.length)], flows: false };
  }
  return { featureColumns: [], flows: false };
}

function hasValue(values: Float64Array | undefined): boolean {
  if (values === undefined) return false;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) return true;
  return false;
}

export function featureCoverage(batch: Batch, inputColumns: readonly string[]): FeatureCoverage {
  const carriedColumn = new Map<string, boolean>();
  const carries = (c: string) => {
    let known = carriedColumn.get(c);
    if (known === undefined) {
      known = hasValue(batch.features.columns.get(c));
      carriedColumn.set(c, known);
    }
    return known;
  };
  const hasFlows = flowCount(batch) > 0;
  const missingColumns: string[] = [];
  const groups = new Set<string>();
  for (const name of inputColumns) {
    const { featureColumns, flows } = columnSources(name);
    const lacking = featureColumns.filter((c) => !carries(c));
    if (flows && !hasFlows) {
      missingColumns.push(name);
      groups.add('money_flows');
    } else if (lacking.length > 0) {
      missingColumns.push(name);
      for (const c of lacking) groups.add(upstreamColumnMeta(c)?.group ?? 'extra');
    }
  }
  const total = inputColumns.length;
  return {
    coverage: total === 0 ? 1 : (total - missingColumns.length) / total,
    missingColumns,
    missingGroups: [...groups],
  };
}
