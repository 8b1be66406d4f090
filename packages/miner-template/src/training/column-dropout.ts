/**
 * Column-group dropout for training: blank whole column groups of a batch (the upstream table's
 * groups, docs/data-contracts.md, and the money_flows table), as a producer that does not compute a group would
 * send it. Trained on such batches, a model learns a useful answer for "this group is missing"
 * instead of one missing-value branch it never saw, so a batch lacking a group degrades
 * gracefully. Pure: the input batch is not modified.
 */
import type { Batch } from '../data/batch.js';
import type { Rng } from '../random.js';
import { FEATURE_GROUPS, type FeatureGroup, upstreamColumnMeta } from '../schemas/upstream-features.js';

/** What can be dropped: a feature-table group, or the money_flows table. */
export type ColumnGroup = FeatureGroup | 'money_flows';
export const COLUMN_GROUPS: readonly ColumnGroup[] = [...FEATURE_GROUPS, 'money_flows'];

export interface DropOptions {
  /** Also blank the core columns of the dropped groups (an evaluation of "group missing"). */
  includeCore?: boolean;
}

/** The batch without the given groups (their feature columns removed, or no money_flows). */
export function dropColumnGroups(
  batch: Batch,
  groups: Iterable<ColumnGroup>,
  options: DropOptions = {},
): Batch {
  const drop = new Set(groups);
  const columns = new Map<string, Float64Array>();
  for (const [name, values] of batch.features.columns) {
    const meta = upstreamColumnMeta(name);
    const dropped = meta !== undefined && drop.has(meta.group) && (options.includeCore || !meta.core);
    if (!dropped) columns.set(name, values);
  }
  return {
    ...batch,
    features: { address: batch.features.address, columns },
    money_flows: drop.has('money_flows') ? [] : batch.money_flows,
  };
}

/** The batch with only the core feature columns (money_flows kept). */
export function coreColumnsOnly(batch: Batch): Batch {
  return dropColumnGroups(batch, FEATURE_GROUPS);
}

export interface DropoutPlan {
  /** Share of batches left whole. */
  keepWhole: number;
  /** Share of batches cut to the core columns. */
  coreOnly: number;
  /** Otherwise each non-core group is dropped with this probability. */
  groupRate: number;
  /** Probability of dropping money_flows (optional in a request) from a batch. */
  flowsRate: number;
}

export const DEFAULT_DROPOUT: DropoutPlan = {
  keepWhole: 0.35,
  coreOnly: 0.25,
  groupRate: 0.5,
  flowsRate: 0.08,
};

/** The groups to drop from one training batch, drawn from `rng` (deterministic for a seed). */
export function drawDropout(rng: Rng, plan: DropoutPlan = DEFAULT_DROPOUT): ColumnGroup[] {
  const out: ColumnGroup[] = [];
  const r = rng.next();
  if (r >= plan.keepWhole) {
    const coreOnly = r < plan.keepWhole + plan.coreOnly;
    for (const g of FEATURE_GROUPS) if (coreOnly || rng.bool(plan.groupRate)) out.push(g);
  }
  if (rng.bool(plan.flowsRate)) out.push('money_flows');
  return out;
}
