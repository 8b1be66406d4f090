/** A batch source that serves one batch and its labels for any key: cycles in tests without I/O. */
import type { AddressLabel, Batch } from '@aml/miner-template';
import type { BatchSource } from '../../../src/validator/batch-source.js';

export function fixedBatchSource(batch: Batch, labels: readonly AddressLabel[]): BatchSource {
  return {
    async load() {
      return { batch, source: 'test' };
    },
    async labels() {
      return [...labels];
    },
  };
}
