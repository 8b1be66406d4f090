/**
 * Assembles a training set for one of the three models from labelled batches: the feature matrix
 * (the same builders serving uses, so training and serving cannot drift), labels, weights and, for
 * the ranker, one query group per batch. Rows with unknown truth are dropped.
 */
import type { Batch } from '../data/batch.js';
import { buildAlertFeatures } from '../features/alert-features.js';
import { buildClusterFeatures } from '../features/cluster-features.js';
import type { AlertFeatureOptions, ClusterFeatureOptions, FeatureMatrix } from '../features/types.js';
import type { AddressLabel } from '../schemas/address-label.js';
import type { ModelName } from '../schemas/api.js';
import { alertTruth, clusterTruth } from './labels.js';

export interface LabelledBatch {
  batch: Batch;
  labels: readonly AddressLabel[];
}

export interface TrainingSet {
  names: string[];
  /** Row-major float32, numRows × names.length. */
  values: Float32Array;
  numRows: number;
  rowIds: string[];
  label: Float64Array;
  weight: Float64Array;
  /** Query sizes, one per batch (ranker only). */
  group?: Int32Array;
  /** Which batch each row came from (index into the input list). */
  batchIndex: Int32Array;
}

export interface TrainingSetOptions {
  alert?: AlertFeatureOptions;
  cluster?: ClusterFeatureOptions;
}

interface Part {
  matrix: FeatureMatrix;
  label: Float64Array;
  weight: Float64Array;
}

function partFor(task: ModelName, lb: LabelledBatch, options: TrainingSetOptions): Part {
  const truth = alertTruth(lb.batch, lb.labels);
  if (task === 'cluster_scorer') {
    const label = clusterTruth(lb.batch, truth);
    return {
      matrix: buildClusterFeatures(lb.batch, options.cluster),
      label,
      weight: new Float64Array(label.length).fill(1),
    };
  }
  const matrix = buildAlertFeatures(lb.batch, options.alert);
  return { matrix, label: task === 'alert_ranker' ? truth.relevance : truth.binary, weight: truth.weight };
}

export function buildTrainingSet(
  task: ModelName,
  batches: readonly LabelledBatch[],
  options: TrainingSetOptions = {},
): TrainingSet {
  const parts = batches.map((lb) => partFor(task, lb, options));
  const names = parts[0]?.matrix.names ?? [];
  const width = names.length;
  let rows = 0;
  for (const p of parts) for (let i = 0; i < p.label.length; i++) if (!Number.isNaN(p.label[i])) rows++;
  const values = new Float32Array(rows * width);
  const label = new Float64Array(rows);
  const weight = new Float64Array(rows);
  const rowIds: string[] = new Array(rows);
  const batchIndex = new Int32Array(rows);
  const groups: number[] = [];
  let r = 0;
  parts.forEach((p, b) => {
    const start = r;
    for (let i = 0; i < p.label.length; i++) {
      if (Number.isNaN(p.label[i])) continue;
      values.set(p.matrix.values.subarray(i * width, (i + 1) * width), r * width);
      label[r] = p.label[i];
      weight[r] = Number.isNaN(p.weight[i]) ? 1 : p.weight[i];
      rowIds[r] = p.matrix.rowIds[i];
      batchIndex[r] = b;
      r++;
    }
    if (r > start) groups.push(r - start);
  });
  return {
    names,
    values,
    numRows: rows,
    rowIds,
    label,
    weight,
    batchIndex,
    ...(task === 'alert_ranker' ? { group: Int32Array.from(groups) } : {}),
  };
}

/** The rows `index` of a set (in that order); groups are rebuilt from batchIndex runs. */
export function subsetRows(
  set: TrainingSet,
  index: Int32Array,
  names: readonly string[] = set.names,
): TrainingSet {
  const width = set.names.length;
  const columns = names === set.names ? undefined : Int32Array.from(names, (n) => set.names.indexOf(n));
  const w = columns ? columns.length : width;
  const values = new Float32Array(index.length * w);
  const label = new Float64Array(index.length);
  const weight = new Float64Array(index.length);
  const batchIndex = new Int32Array(index.length);
  const rowIds: string[] = new Array(index.length);
  const groups: number[] = [];
  for (let k = 0; k < index.length; k++) {
    const i = index[k];
    if (columns) for (let c = 0; c < w; c++) values[k * w + c] = set.values[i * width + columns[c]];
    else values.set(set.values.subarray(i * width, (i + 1) * width), k * w);
    label[k] = set.label[i];
    weight[k] = set.weight[i];
    batchIndex[k] = set.batchIndex[i];
    rowIds[k] = set.rowIds[i];
    if (set.group) {
      if (k === 0 || batchIndex[k] !== batchIndex[k - 1]) groups.push(1);
      else groups[groups.length - 1]++;
    }
  }
  return {
    names: [...names],
    values,
    numRows: index.length,
    rowIds,
    label,
    weight,
    batchIndex,
    ...(set.group ? { group: Int32Array.from(groups) } : {}),
  };
}
