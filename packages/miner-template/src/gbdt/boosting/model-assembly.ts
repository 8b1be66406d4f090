/** Assembles the GbdtModel header around the trained trees, as LightGBM's model text header reads. */
import { featureInfo } from '../dataset/bin-mapper.js';
import type { BinnedDataset } from '../dataset/binned-dataset.js';
import type { GbdtModel, GbdtTree } from '../model.js';
import type { Objective } from '../objective/objective.js';
import { type GbdtParams, paramsToModelBlock } from '../params.js';

export function assembleModel(
  trees: GbdtTree[],
  objective: Objective,
  params: GbdtParams,
  featureNames: string[],
  dataset: BinnedDataset,
): GbdtModel {
  return {
    version: 'v4',
    numClass: 1,
    numTreePerIteration: 1,
    labelIndex: 0,
    maxFeatureIdx: featureNames.length - 1,
    objective: objective.name,
    objectiveLine: objective.objectiveLine,
    sigmoid: params.sigmoid,
    featureNames: [...featureNames],
    featureInfos: dataset.mappers.map(featureInfo),
    averageOutput: false,
    trees,
    parameters: paramsToModelBlock(params),
    // LightGBM writes the constraints into the header as well when they were given
    ...(params.monotone_constraints !== undefined && params.monotone_constraints.length > 0
      ? { monotoneConstraints: params.monotone_constraints.join(' ') }
      : {}),
  };
}
