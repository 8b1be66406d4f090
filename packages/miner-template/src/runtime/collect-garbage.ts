/**
 * A full garbage collection where a scoring worker has just let go of most of what it held: the
 * decoding's buffers once the batch is built, the batch's rows once its features are. V8 sizes
 * the next collection by the heap's size after the last one, so without this the dead batch
 * (≈150 MB at 50,000 alerts) was still resident when inference and TreeSHAP grew the heap again:
 * the server peaked at 666 MB on a 50,000-alert batch_arrow, 572 MB with these two collections
 * (~0.1 s each; BENCHMARKS.md). `gc` exists only when node runs with `--expose-gc`, as the
 * `aml-miner` bin starts it; elsewhere (tests, an embedding host) this does nothing.
 */
import { getHeapStatistics } from 'node:v8';

/**
 * Below this much live heap a collection frees too little to matter and would only add its few
 * milliseconds to a small request (an idle worker holds ~20 MB).
 */
const MIN_HEAP_BYTES = 64 * 2 ** 20;

/** Collects when `gc` is exposed and the live heap is at least `minHeapBytes`; true if it did. */
export function collectGarbage(minHeapBytes = MIN_HEAP_BYTES): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined || getHeapStatistics().used_heap_size < minHeapBytes) return false;
  gc();
  return true;
}
