/**
 * Turns a TreeSHAP contribution row into the explain_json of docs/api.md: the top features by absolute
 * contribution (ties by name so the text is deterministic) and the base value.
 */
import type { FeatureContribution, RowExplanation } from './model-contract.js';

export const DEFAULT_TOP_FEATURES = 5;

export function topContributions(
  names: readonly string[],
  values: ArrayLike<number>,
  valueOffset: number,
  contributions: ArrayLike<number>,
  contributionOffset: number,
  topK: number,
): FeatureContribution[] {
  const order: number[] = [];
  for (let c = 0; c < names.length; c++) if (contributions[contributionOffset + c] !== 0) order.push(c);
  order.sort((a, b) => {
    const d =
      Math.abs(contributions[contributionOffset + b]) - Math.abs(contributions[contributionOffset + a]);
    return d !== 0 ? d : names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0;
  });
  return order.slice(0, topK).map((c) => {
    const v = values[valueOffset + c];
    return {
      name: names[c],
      value: Number.isNaN(v) ? null : v,
      contribution: contributions[contributionOffset + c],
    };
  });
}

export function explanationJson(explanation: RowExplanation): string {
  return JSON.stringify({
    top_features: explanation.topFeatures.map((f) => ({
      name: f.name,
      value: f.value,
      contribution: f.contribution,
    })),
    base_value: explanation.baseValue,
  });
}
