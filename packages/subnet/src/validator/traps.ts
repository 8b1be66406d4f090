/**
 * Pattern traps (SPEC §3) for the validator: a fresh set per cycle from the synthetic generator's
 * typologies, mixed in with the template's shared `mixTraps` (the same code
 * `aml-miner validate-submission` uses), and never published.
 */
import type { Batch, Traps } from '@aml/miner-template';
import { generateTraps } from '@aml/miner-template';

export type { MixedBatch } from '@aml/miner-template';
export { mixTraps } from '@aml/miner-template';

export interface TrapFactory {
  /** Deterministic in `seed`; the validator draws a fresh secret seed every cycle. */
  make(options: { seed: number; count: number; batch: Batch }): Traps;
}

/** Traps from the synthetic generator's typologies, shaped like the batch they join. */
export const syntheticTraps: TrapFactory = {
  make: ({ seed, count, batch }) =>
    generateTraps({
      seed,
      count,
      date: batch.key.processing_date,
      network: batch.key.network,
      template: batch,
    }),
};
