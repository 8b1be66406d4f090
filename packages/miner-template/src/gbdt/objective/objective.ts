/**
 * The objective contract (after LightGBM's include/LightGBM/objective_function.h): first and second
 * derivatives of the loss with respect to the raw score, the initial score when boosting from the
 * average, and the header line LightGBM writes for it.
 */
import type { ObjectiveName } from '../model.js';

export interface Objective {
  readonly name: ObjectiveName;
  /** The model header's objective text, e.g. "binary sigmoid:1". */
  readonly objectiveLine: string;
  /** Fills grad/hess (length numRows) for the current raw scores. */
  gradients(scores: Float64Array, grad: Float64Array, hess: Float64Array): void;
  /** The constant raw score that minimises the loss (boost_from_average), or 0 when not defined. */
  initScore(): number;
}
