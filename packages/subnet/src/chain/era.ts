/**
 * Mortal eras, as substrate's `sp_runtime::generic::Era` computes them: the period is a power of
 * two in 4..65536, the phase is the signing block modulo the period (quantised for long periods),
 * and the extrinsic is valid only in blocks birth .. birth + period − 1. A signed extrinsic whose
 * era has passed can never be included, which is what lets the validator decide, after a crash,
 * that a submission it cannot find on chain will never land and may be sent again. Pure functions.
 */
import type { MortalEra } from './types.js';

export const MIN_ERA_PERIOD = 4;
export const MAX_ERA_PERIOD = 65_536;
/** Our default: 32 blocks (about 6.4 min at 12 s), long enough to be included, short to wait out. */
export const DEFAULT_ERA_PERIOD = 32;

/** The period substrate encodes for a requested one: the next power of two, clamped to 4..65536. */
export function eraPeriod(requested: number = DEFAULT_ERA_PERIOD): number {
  if (!Number.isFinite(requested) || requested <= 0) {
    throw new RangeError(`an era period must be a positive number of blocks, got ${requested}`);
  }
  let period = MIN_ERA_PERIOD;
  while (period < requested && period < MAX_ERA_PERIOD) period *= 2;
  return period;
}

/** The phase substrate stores for an era signed at `current` (`Era::mortal`). */
export function eraPhase(current: number, period: number): number {
  const quantizeFactor = Math.max(period >> 12, 1);
  return Math.floor((current % period) / quantizeFactor) * quantizeFactor;
}

/** `Era::birth`: the first block of the era with this phase and period that contains `current`. */
export function eraBirth(phase: number, period: number, current: number): number {
  return Math.floor((Math.max(current, phase) - phase) / period) * period + phase;
}

/** The era an extrinsic signed at block `current` with a requested period carries. */
export function mortalEra(current: number, requestedPeriod?: number): MortalEra {
  const period = eraPeriod(requestedPeriod);
  return { birth: eraBirth(eraPhase(current, period), period, current), period };
}

/** The last block the extrinsic may be included in. */
export function eraLastBlock(era: MortalEra): number {
  return era.birth + era.period - 1;
}

/** True when a block of this number may include the extrinsic. */
export function eraAllows(era: MortalEra, block: number): boolean {
  return block >= era.birth && block <= eraLastBlock(era);
}

/**
 * True once the chain is past the era's last block by one more block, so the search of
 * birth..last block is complete and nothing can land any more (the extra block covers a reorg of
 * the last block that includes the extrinsic in its replacement).
 */
export function eraClosed(era: MortalEra, bestBlock: number): boolean {
  return bestBlock > eraLastBlock(era) + 1;
}
