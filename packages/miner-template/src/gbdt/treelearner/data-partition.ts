/**
 * Row indices grouped by leaf (LightGBM's DataPartition): one Int32Array where leaf l owns the slice
 * [begin[l], begin[l] + count[l]). Splitting a leaf partitions its slice stably into left rows then
 * right rows; the left child keeps the leaf's index and the right child takes a new one, matching
 * how the tree numbers leaves.
 */
import type { BinArray } from '../dataset/binned-dataset.js';
import type { HistogramKernel } from './histogram-kernel.js';

export class DataPartition {
  readonly indices: Int32Array;
  readonly leafBegin: Int32Array;
  readonly leafCount: Int32Array;
  private readonly scratch: Int32Array;

  /** With a kernel the indices live in its memory and numerical splits of its bins run there. */
  constructor(
    numRows: number,
    maxLeaves: number,
    private readonly kernel?: HistogramKernel,
  ) {
    this.indices = kernel?.indices ?? new Int32Array(numRows);
    this.scratch = new Int32Array(numRows);
    this.leafBegin = new Int32Array(maxLeaves);
    this.leafCount = new Int32Array(maxLeaves);
  }

  /** Puts `rows` (or all rows 0..numRows-1 when null) into leaf 0. */
  reset(rows: Int32Array | null, numRows: number): void {
    this.leafBegin.fill(0);
    this.leafCount.fill(0);
    // the counts before the loop: V8 compiles the first call's loop on its own (on-stack
    // replacement) and, with no feedback yet for what follows it, threw that code away at the
    // loop's end on every later call (200 times in a 200-tree run)
    this.leafCount[0] = rows === null ? numRows : rows.length;
    if (rows === null) for (let i = 0; i < numRows; i++) this.indices[i] = i;
    else this.indices.set(rows);
  }

  /**
   * Splits `leaf` on a feature column: rows whose bin is <= thresholdBin go left; the missing bin
   * (NaN bin, or the zero bin under zero_as_missing) goes where defaultLeft says. Returns the left
   * count.
   */
  split(
    leaf: number,
    newLeaf: number,
    bins: BinArray,
    columnStart: number,
    thresholdBin: number,
    missingBin: number,
    defaultLeft: boolean,
  ): number {
    const begin = this.leafBegin[leaf] as number;
    const count = this.leafCount[leaf] as number;
    const leftCount =
      this.kernel !== undefined && bins === this.kernel.bins
        ? this.kernel.split(begin, count, columnStart, thresholdBin, missingBin, defaultLeft)
        : this.splitRows(begin, count, bins, columnStart, thresholdBin, missingBin, defaultLeft);
    this.leafCount[leaf] = leftCount;
    this.leafBegin[newLeaf] = begin + leftCount;
    this.leafCount[newLeaf] = count - leftCount;
    return leftCount;
  }

  private splitRows(
    begin: number,
    count: number,
    bins: BinArray,
    columnStart: number,
    thresholdBin: number,
    missingBin: number,
    defaultLeft: boolean,
  ): number {
    const idx = this.indices;
    const tmp = this.scratch;
    let write = begin;
    let right = 0;
    for (let k = begin; k < begin + count; k++) {
      const r = idx[k] as number;
      const b = bins[columnStart + r] as number;
      const goLeft = b === missingBin ? defaultLeft : b <= thresholdBin;
      if (goLeft) idx[write++] = r;
      else tmp[right++] = r;
    }
    idx.set(tmp.subarray(0, right), write);
    return write - begin;
  }

  /** Splits `leaf` on a categorical column: rows whose bin has leftBins[bin] = 1 go left. */
  splitByMask(
    leaf: number,
    newLeaf: number,
    bins: BinArray,
    columnStart: number,
    leftBins: Uint8Array,
  ): number {
    const idx = this.indices;
    const tmp = this.scratch;
    const begin = this.leafBegin[leaf] as number;
    const end = begin + (this.leafCount[leaf] as number);
    let write = begin;
    let right = 0;
    for (let k = begin; k < end; k++) {
      const r = idx[k] as number;
      if (leftBins[bins[columnStart + r] as number] === 1) idx[write++] = r;
      else tmp[right++] = r;
    }
    idx.set(tmp.subarray(0, right), write);
    this.leafCount[leaf] = write - begin;
    this.leafBegin[newLeaf] = write;
    this.leafCount[newLeaf] = right;
    return write - begin;
  }
}
