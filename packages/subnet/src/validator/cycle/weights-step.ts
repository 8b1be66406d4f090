/**
 * Step 5 of a cycle: weights on chain, proportional to performance over miners with a serving
 * axon (SPEC §3), set_weights or commit/reveal as the subnet demands. The intent is stored before
 * the chain call and resolved after it, so a crash mid-call is never followed by a second call in
 * the same rate-limit window: an unresolved intent blocks submissions until its window has passed.
 */

import type { MetagraphSnapshot } from '../../chain/types.js';
import { chainWeights } from '../scoring/chain-weights.js';
import { isChainRefusal, isOutcomeUnknown } from './chain-errors.js';
import type { CycleContext } from './context.js';
import { minerPerformance } from './ensemble-step.js';

export type WeightsOutcome =
  | { status: 'included'; uids: number[]; weights: number[]; kind: 'set' | 'commit' }
  | { status: 'skipped'; reason: string }
  | { status: 'refused' | 'failed'; reason: string };

export async function revealDue(ctx: CycleContext): Promise<void> {
  const block = await ctx.chain.block();
  for (const reveal of await ctx.store.pendingReveals()) {
    const pending = reveal.pending as { revealFrom: number; revealUntil: number };
    if (block < pending.revealFrom) continue;
    if (block > pending.revealUntil) {
      ctx.logger.warn(
        { reveal: reveal.id, block, until: pending.revealUntil },
        'reveal window missed; dropping the commit',
      );
      await ctx.store.markRevealed(reveal.id);
      continue;
    }
    try {
      await ctx.chain.revealWeights(reveal.pending as never, { timeoutMs: ctx.settings.txTimeoutMs });
      await ctx.store.markRevealed(reveal.id);
      ctx.logger.info({ reveal: reveal.id, block }, 'weights revealed');
    } catch (err) {
      ctx.logger.error({ err, reveal: reveal.id }, 'reveal failed; will retry next cycle');
    }
  }
}

export async function setWeightsStep(
  ctx: CycleContext,
  cycleId: number,
  snapshot: MetagraphSnapshot,
): Promise<WeightsOutcome> {
  const { store, chain, settings, logger } = ctx;
  const hp = snapshot.hyperparameters;
  const block = await chain.block();
  const own = snapshot.neurons.find((n) => n.hotkey === chain.hotkey);
  if (!own)
    return {
      status: 'skipped',
      reason: `our hotkey ${chain.hotkey} is not registered on subnet ${settings.netuid}`,
    };

  for (const w of await store.unresolvedWeightSubmissions()) {
    if (block < w.block + hp.weightsSetRateLimit) {
      return {
        status: 'skipped',
        reason: `an earlier submission (id ${w.id}, block ${w.block}) has no known outcome; waiting out its window`,
      };
    }
    await store.resolveWeightSubmission(
      w.id,
      'unknown',
      `no outcome recorded; window passed at block ${block}`,
    );
  }
  if (block - own.lastUpdate < hp.weightsSetRateLimit) {
    return {
      status: 'skipped',
      reason: `rate limit: ${block - own.lastUpdate} of ${hp.weightsSetRateLimit} blocks since our last update`,
    };
  }

  const candidates = [];
  for (const n of snapshot.neurons) {
    if (n.hotkey === chain.hotkey) continue;
    candidates.push({
      uid: n.uid,
      performance: await minerPerformance(store, n.hotkey),
      serving: n.axon !== null,
    });
  }
  const { uids, weights } = chainWeights(candidates);
  if (uids.length === 0) return { status: 'skipped', reason: 'no serving miner has a performance above 0' };

  const kind = hp.commitRevealEnabled ? 'commit' : 'set';
  const intent = await store.recordWeightIntent(
    { cycleId, block, kind, uids, weights },
    ctx.now?.() ?? Date.now(),
  );
  const tx = {
    netuid: settings.netuid,
    uids,
    weights,
    timeoutMs: settings.txTimeoutMs,
    waitForFinality: settings.waitForFinality,
  };
  try {
    if (kind === 'commit') {
      const { tx: result } = await chain.commitWeights({
        ...tx,
        persist: (pending) => store.putPendingReveal(cycleId, pending).then(() => {}),
      });
      await store.resolveWeightSubmission(intent, 'included', `commit in block ${result.blockNumber}`);
    } else {
      const result = await chain.setWeights(tx);
      await store.resolveWeightSubmission(intent, 'included', `block ${result.blockNumber}`);
    }
    logger.info({ cycleId, kind, uids, weights }, 'weights submitted');
    return { status: 'included', uids, weights, kind };
  } catch (err) {
    if (isOutcomeUnknown(err)) {
      // The call may still land: the intent stays open, and its window is waited out before any retry.
      logger.warn({ cycleId, err: (err as Error).message }, 'weights call timed out; outcome unknown');
      return { status: 'failed', reason: (err as Error).message };
    }
    const refused = isChainRefusal(err);
    const reason = err instanceof Error ? err.message : String(err);
    await store.resolveWeightSubmission(intent, refused ? 'refused' : 'failed', reason);
    logger.warn({ cycleId, reason }, refused ? 'weights refused' : 'weights failed');
    return { status: refused ? 'refused' : 'failed', reason };
  }
}
