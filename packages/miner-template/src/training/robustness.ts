/**
 * How a trained model holds up where training cannot help it: on batches of a held-out regime,
 * whole, with each column group removed (its core columns too), and cut to the core columns. The
 * figures go into model_metadata.json's `performance` as `heldout_*` keys, so whoever serves a
 * model can see what it is worth on a batch that lacks a group.
 */

import { COLUMN_GROUPS, coreColumnsOnly, dropColumnGroups } from './column-dropout.js';
import type { Metrics } from './evaluate.js';
import { evaluateOnBatches, type ModelUnderTest } from './generalization.js';
import type { LabelledBatch } from './training-set.js';

/** The metrics reported per condition: AUC and AP for the scorers, NDCG@10 and AUC for the ranker. */
function headline(m: ModelUnderTest, metrics: Metrics): Record<string, number | null> {
  if (m.task === 'alert_ranker')
    return { ndcg_at_10: metrics.ndcg_at_10 ?? null, auc_high_risk: metrics.auc_high_risk ?? null };
  return { auc: metrics.auc ?? null, average_precision: metrics.average_precision ?? null };
}

function prefixed(prefix: string, values: Record<string, number | null>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));
}

export function robustnessReport(
  m: ModelUnderTest,
  heldOut: readonly LabelledBatch[],
): Record<string, number | null> {
  const on = (transform: (b: LabelledBatch['batch']) => LabelledBatch['batch']) =>
    headline(
      m,
      evaluateOnBatches(
        m,
        heldOut.map((b) => ({ batch: transform(b.batch), labels: b.labels })),
      ),
    );
  const out: Record<string, number | null> = {
    ...prefixed(
      'heldout_',
      on((b) => b),
    ),
  };
  Object.assign(out, prefixed('heldout_core_only_', on(coreColumnsOnly)));
  for (const group of COLUMN_GROUPS) {
    Object.assign(
      out,
      prefixed(
        `heldout_without_${group}_`,
        on((b) => dropColumnGroups(b, [group], { includeCore: true })),
      ),
    );
  }
  return out;
}
