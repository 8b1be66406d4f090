/**
 * The quality of one model on labelled rows, as the report shows it: AUC-ROC and AUC-PR (the
 * metrics of gbdt/metric/auc.ts), precision/recall at the top k % of the queue, calibration (the
 * binary models only: the ranker's scores are not probabilities), the ROC and PR curves thinned
 * for drawing, and the model's top features by split gain. The binary models are judged against
 * their training label weighted by label confidence, as training evaluates them; the ranker
 * against "high or critical" (relevance ≥ 2), unweighted, plus NDCG@10 per batch. Pure.
 */
import { queryBoundaries } from '../../gbdt/dataset/train-data.js';
import { auc, averagePrecision } from '../../gbdt/metric/auc.js';
import { ndcgAtK } from '../../gbdt/metric/ranking.js';
import type { GbdtModel } from '../../gbdt/model.js';
import { defaultLabelGain } from '../../gbdt/params.js';
import { predictBatch } from '../../gbdt/predict/predict.js';
import type { ModelName } from '../../schemas/api.js';
import { featureImportance } from '../importance.js';
import type { TrainingSet } from '../training-set.js';
import {
  type CalibrationBin,
  type CurvePoint,
  calibrationBins,
  expectedCalibrationError,
  prCurve,
  rocCurve,
  type TopKPoint,
  thinCurve,
  topKPrecisionRecall,
} from './curves.js';

export const DEFAULT_TOP_FRACTIONS: readonly number[] = [0.01, 0.05, 0.1];
const CURVE_POINTS = 400;
const TOP_FEATURES = 15;

export interface FeatureShare {
  feature: string;
  gain: number;
  /** Share of the model's total split gain. */
  share: number;
  split: number;
}

export interface ModelQuality {
  task: ModelName;
  version: string;
  rows: number;
  positives: number;
  /** What counts as a positive row. */
  positive: string;
  auc: number | null;
  aucPr: number | null;
  /** Ranker only: NDCG@10 averaged over batches. */
  ndcgAt10?: number | null;
  topK: TopKPoint[];
  calibration: { bins: CalibrationBin[]; ece: number | null } | null;
  roc: CurvePoint[];
  pr: CurvePoint[];
  topFeatures: FeatureShare[];
}

export interface QualityInput {
  task: ModelName;
  version: string;
  model: GbdtModel;
  /** The model's input rows (training/model-input.ts): columns in the model's order. */
  set: TrainingSet;
  topFractions?: readonly number[];
}

const POSITIVE: Record<ModelName, string> = {
  alert_scorer: 'address risk high or critical; weighted by label confidence',
  alert_ranker: 'address risk high or critical; unweighted',
  cluster_scorer: 'an alert of the cluster positive',
};

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function topFeatures(model: GbdtModel, count = TOP_FEATURES): FeatureShare[] {
  const all = featureImportance(model);
  const total = all.reduce((s, f) => s + f.gain, 0);
  return all
    .filter((f) => f.split > 0)
    .slice(0, count)
    .map((f) => ({ ...f, share: total > 0 ? f.gain / total : 0 }));
}

export function modelQuality(input: QualityInput): ModelQuality {
  const { task, model, set } = input;
  const scores = predictBatch(model, set.values, set.numRows);
  const ranker = task === 'alert_ranker';
  const binary = ranker ? Float64Array.from(set.label, (y) => (y >= 2 ? 1 : 0)) : set.label;
  const weight = ranker ? undefined : set.weight;
  let positives = 0;
  for (const y of binary) if (y > 0) positives++;
  const bins = ranker ? undefined : calibrationBins(scores, binary, weight);
  return {
    task,
    version: input.version,
    rows: set.numRows,
    positives,
    positive: POSITIVE[task],
    auc: orNull(auc(scores, binary, weight)),
    aucPr: orNull(averagePrecision(scores, binary, weight)),
    ...(ranker
      ? {
          ndcgAt10: orNull(
            ndcgAtK(
              scores,
              set.label,
              queryBoundaries(set.group ?? Int32Array.of(set.numRows)),
              10,
              defaultLabelGain(),
            ),
          ),
        }
      : {}),
    topK: topKPrecisionRecall(scores, binary, input.topFractions ?? DEFAULT_TOP_FRACTIONS),
    calibration: bins ? { bins, ece: orNull(expectedCalibrationError(bins)) } : null,
    roc: thinCurve(rocCurve(scores, binary, weight), CURVE_POINTS),
    pr: thinCurve(prCurve(scores, binary, weight), CURVE_POINTS),
    topFeatures: topFeatures(model),
  };
}
