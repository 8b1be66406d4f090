/** Builds the objective named by the parameters for a training set. */
import type { TrainData } from '../dataset/train-data.js';
import { defaultLabelGain, type GbdtParams } from '../params.js';
import { BinaryObjective } from './binary.js';
import { LambdarankObjective } from './lambdarank.js';
import type { Objective } from './objective.js';
import { RegressionObjective } from './regression.js';

export { BinaryObjective, sigmoidProbability } from './binary.js';
export { LambdarankObjective } from './lambdarank.js';
export type { Objective } from './objective.js';
export { RegressionObjective } from './regression.js';

export function createObjective(params: GbdtParams, data: TrainData): Objective {
  switch (params.objective) {
    case 'binary':
      return new BinaryObjective(data.label, data.weight, {
        sigmoid: params.sigmoid,
        scalePosWeight: params.scale_pos_weight,
      });
    case 'lambdarank':
      return new LambdarankObjective(data.label, data.weight, data.group, {
        sigmoid: params.sigmoid,
        labelGain: params.label_gain ?? defaultLabelGain(),
        truncationLevel: params.lambdarank_truncation_level,
        norm: params.lambdarank_norm,
      });
    default:
      return new RegressionObjective(data.label, data.weight);
  }
}
