/**
 * Scoring in two steps, features then model: `prepareMatrix` builds the model's input from the
 * batch, `scoreMatrix` predicts and explains from that input alone. A caller holding a large batch
 * can let it go between the two (the scoring worker does, before TreeSHAP: docs/api.md, "Memory");
 * calling both in a row is what the scorers' `score` does, so the answers are the same either way.
 */
import type { FeatureMatrix } from '../features/types.js';
import { explanationJson } from './explanation.js';
import type { BaseModel, ScoreOptions } from './model-contract.js';

/** A model's input built from a batch, and when building started (latency_ms counts it). */
export interface PreparedMatrix {
  readonly matrix: FeatureMatrix;
  readonly started: number;
}

export function prepareMatrix(build: () => FeatureMatrix): PreparedMatrix {
  const started = performance.now();
  return { matrix: build(), started };
}

/** What the scorers answer per row, keyed by the row's id field (alert_id, cluster_id). */
export type ScoredRow<K extends string> = Record<K, string> & {
  score: number;
  model_version: string;
  latency_ms: number;
  explain_json?: string;
};

/**
 * Scores clamped to 0..1, and with explanations unless `explain: false` (TreeSHAP is most of the
 * model time). `idKey` names the row's id field; it comes first, as the API documents the entry.
 */
export async function scoreMatrix<K extends string>(
  model: BaseModel,
  prepared: PreparedMatrix,
  options: ScoreOptions,
  idKey: K,
): Promise<ScoredRow<K>[]> {
  const { matrix } = prepared;
  const scores = await model.predict(matrix);
  const explanations = options.explain === false ? undefined : model.explain(matrix);
  const latency = matrix.numRows === 0 ? 0 : (performance.now() - prepared.started) / matrix.numRows;
  const out: ScoredRow<K>[] = new Array(matrix.numRows);
  for (let i = 0; i < matrix.numRows; i++) {
    const row = {
      [idKey]: matrix.rowIds[i],
      score: Math.min(1, Math.max(0, scores[i])),
      model_version: model.version,
      latency_ms: latency,
    } as ScoredRow<K>;
    if (explanations) row.explain_json = explanationJson(explanations[i]);
    out[i] = row;
  }
  return out;
}
