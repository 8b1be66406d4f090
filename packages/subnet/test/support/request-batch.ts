/**
 * The batch a synapse request carries, whichever way it travels (the JSON tables or batch_arrow),
 * decoded and validated as the miner API does it: for stand-in miners and query clients in tests.
 */
import type { Batch } from '@aml/miner-template';
import { requestFromBody } from '@aml/miner-template/api';

/** Tests hold small batches: no real cap on what batch_arrow may inflate to. */
const NO_CAP = 2 ** 31;

export function requestBatch(body: unknown): Batch {
  return requestFromBody(body, NO_CAP).batch;
}
