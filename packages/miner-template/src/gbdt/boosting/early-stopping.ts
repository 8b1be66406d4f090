/**
 * Early stopping as LightGBM's GBDT::EvalAndCheckEarlyStopping: each validation metric keeps its
 * best value and iteration; training stops when any tracked metric (only the first with
 * first_metric_only) has not improved for `rounds` iterations, and the model is cut back to that
 * metric's best iteration.
 */

export class EarlyStopping {
  private readonly best: number[];
  private readonly bestIteration: number[];

  constructor(
    private readonly rounds: number,
    private readonly higherIsBetter: readonly boolean[],
    firstMetricOnly: boolean,
  ) {
    const tracked = firstMetricOnly ? Math.min(1, higherIsBetter.length) : higherIsBetter.length;
    this.best = new Array(tracked).fill(Number.NaN);
    this.bestIteration = new Array(tracked).fill(-1);
  }

  get active(): boolean {
    return this.rounds > 0 && this.best.length > 0;
  }

  /** Records `values` for `iteration` (0-based); returns the best iteration to stop at, or -1. */
  update(iteration: number, values: readonly number[]): number {
    if (!this.active) return -1;
    for (let m = 0; m < this.best.length; m++) {
      const v = values[m];
      const better =
        !Number.isNaN(v) &&
        (Number.isNaN(this.best[m]) || (this.higherIsBetter[m] ? v > this.best[m] : v < this.best[m]));
      if (better) {
        this.best[m] = v;
        this.bestIteration[m] = iteration;
      }
    }
    for (let m = 0; m < this.best.length; m++) {
      if (iteration - this.bestIteration[m] >= this.rounds) return this.bestIteration[m];
    }
    return -1;
  }
}
