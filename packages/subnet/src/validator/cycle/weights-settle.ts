/**
 * Settles a weights submission whose outcome the store does not know (a crash, a timeout) from the
 * chain, so weights are sent exactly once. A submission records its signed extrinsic's hash and
 * mortal era before it is sent; afterwards the chain decides: found in a block of its era → it
 * landed (or failed on chain); not found once the era has closed → it can never land and may be
 * sent again; era still open → wait for it to close, then decide. An intent with no hash was never
 * signed, so nothing was sent. Rows from before mortal eras keep the older rule (LastUpdate, then
 * the rate-limit window).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { eraClosed } from '../../chain/era.js';
import type { ExtrinsicInclusion, MortalEra } from '../../chain/types.js';
import type { WeightSubmission } from '../store/types.js';
import type { CycleContext } from './context.js';

export const DEFAULT_ERA_POLL_MS = 2_000;
export const DEFAULT_ERA_WAIT_MS = 15 * 60_000;

/** 'landed': on chain and succeeded; 'gone': never landed or failed on chain, may be sent again; 'open': undecided. */
export type Settlement = 'landed' | 'gone' | 'open';

/** Polls until the extrinsic is found or its era has closed, or `eraWaitMs` has passed. */
async function awaitEra(
  ctx: CycleContext,
  txHash: string,
  era: MortalEra,
): Promise<ExtrinsicInclusion | 'closed' | 'open'> {
  const deadline = Date.now() + (ctx.settings.eraWaitMs ?? DEFAULT_ERA_WAIT_MS);
  let logged = false;
  for (;;) {
    // Best block first: a search made after it covers every block up to it.
    const best = await ctx.chain.block();
    const found = await ctx.chain.findExtrinsic(txHash, era);
    if (found) return found;
    if (eraClosed(era, best)) return 'closed';
    if (Date.now() >= deadline) return 'open';
    if (!logged) {
      ctx.logger.info({ txHash, era, best }, 'waiting for an earlier submission’s era to close');
      logged = true;
    }
    await sleep(ctx.settings.eraPollMs ?? DEFAULT_ERA_POLL_MS);
  }
}

/** Pre-era rows: a set_weights that landed moved LastUpdate; otherwise wait out the rate limit. */
async function settleLegacy(
  ctx: CycleContext,
  w: WeightSubmission,
  lastUpdate: number,
  block: number,
  rateLimit: number,
): Promise<Settlement> {
  if (w.kind === 'set' && lastUpdate >= w.block) {
    await ctx.store.resolveWeightSubmission(
      w.id,
      'included',
      `found on chain: LastUpdate ${lastUpdate} >= intent block ${w.block}`,
    );
    return 'landed';
  }
  if (block < w.block + rateLimit) return 'open';
  await ctx.store.resolveWeightSubmission(
    w.id,
    'unknown',
    `no outcome recorded; window passed at block ${block}`,
  );
  return 'gone';
}

export async function settleSubmission(
  ctx: CycleContext,
  w: WeightSubmission,
  own: { lastUpdate: number; rateLimit: number },
): Promise<Settlement> {
  const { store, logger } = ctx;
  if (!w.mortal) return settleLegacy(ctx, w, own.lastUpdate, await ctx.chain.block(), own.rateLimit);
  if (!w.txHash || !w.era) {
    await store.resolveWeightSubmission(w.id, 'unsent', 'stopped before signing; nothing was sent');
    logger.info({ submission: w.id, kind: w.kind }, 'earlier submission was never sent');
    return 'gone';
  }
  const outcome = await awaitEra(ctx, w.txHash, w.era);
  if (outcome === 'open') return 'open';
  if (outcome === 'closed') {
    const last = w.era.birth + w.era.period - 1;
    await store.resolveWeightSubmission(w.id, 'expired', `not on chain; its era ended at block ${last}`);
    logger.info({ submission: w.id, kind: w.kind, txHash: w.txHash }, 'earlier submission expired unsent');
    return 'gone';
  }
  const where = `found on chain in block ${outcome.blockNumber} (${w.txHash})${
    outcome.outcomeUnknown ? `; its events are gone (${outcome.outcomeUnknown}), counted as landed` : ''
  }`;
  if (!outcome.success) {
    await store.resolveWeightSubmission(w.id, 'failed', `${where}: ${outcome.error ?? 'dispatch failed'}`);
    return 'gone';
  }
  await store.resolveWeightSubmission(w.id, 'included', where);
  logger.info(
    { submission: w.id, kind: w.kind, block: outcome.blockNumber },
    'earlier weights found on chain',
  );
  return 'landed';
}
