/** Feature importance from the trees: total split gain and split count per feature (LightGBM's two kinds). */
import type { GbdtModel } from '../gbdt/model.js';

export interface FeatureImportance {
  feature: string;
  gain: number;
  split: number;
}

export function featureImportance(model: GbdtModel): FeatureImportance[] {
  const gain = new Float64Array(model.featureNames.length);
  const split = new Int32Array(model.featureNames.length);
  for (const tree of model.trees) {
    for (let node = 0; node < tree.numLeaves - 1; node++) {
      const f = tree.splitFeature[node];
      gain[f] += tree.splitGain[node];
      split[f]++;
    }
  }
  return model.featureNames
    .map((feature, f) => ({ feature, gain: gain[f], split: split[f] }))
    .sort((a, b) => b.gain - a.gain || (a.feature < b.feature ? -1 : 1));
}
