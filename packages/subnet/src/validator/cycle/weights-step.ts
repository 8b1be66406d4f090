/**
 * Step 5 of a cycle: weights on chain, ∝ (perf − perf_ref)^α over serving miners that beat the
 * reference, or ∝ perf^α with a warning when none does (SPEC §3); padded with the smallest u16
 * weight up to MinAllowedWeights; `version_key` is our own protocol version; set_weights or
 * commit/reveal as the subnet demands. The intent is stored before
 * the chain call and resolved after it, so a crash mid-call is never followed by a second call in
 * the same rate-limit window: an unresolved intent blocks submissions until its window has passed.
 */

import type { MetagraphSnapshot } from '../../chain/types.js';
import { SUBNET_VERSION_KEY } from '../../protocol/version.js';
import { chainWeights, WEIGHTS_ALPHA } from '../scoring/weights.js';
import { isChainRefusal, isOutcomeUnknown } from './chain-errors.js';
import type { CycleContext } from './context.js';
import type { Standing } from './standing.js';

export type WeightsOutcome =
  | {
      status: 'included';
      uids: number[];
      weights: number[];
      kind: 'set' | 'commit';
      mode: 'excess' | 'fallback';
    }
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
  standing: Standing,
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

  const plan = () => planWeights(snapshot, chain.hotkey, standing, settings.alpha ?? WEIGHTS_ALPHA);
  for (const w of await store.unresolvedWeightSubmissions()) {
    // A set_weights that landed moved our LastUpdate to its block or later (no other submission
    // is made while one is open): the chain says it happened although its outcome was never stored.
    if (w.kind === 'set' && own.lastUpdate >= w.block) {
      await store.resolveWeightSubmission(
        w.id,
        'included',
        `found on chain: LastUpdate ${own.lastUpdate} >= intent block ${w.block}`,
      );
      logger.info(
        { cycleId, submission: w.id, lastUpdate: own.lastUpdate },
        'earlier weights found on chain',
      );
      if (w.cycleId === cycleId) {
        const { mode } = plan();
        return {
          status: 'included',
          uids: w.uids,
          weights: w.weights,
          kind: 'set',
          mode: mode === 'fallback' ? 'fallback' : 'excess',
        };
      }
      continue;
    }
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

  const { uids, weights, mode } = plan();
  if (mode === 'none' || uids.length === 0)
    return { status: 'skipped', reason: 'no serving miner has a performance above 0' };
  if (mode === 'fallback')
    logger.warn(
      { cycleId, reference: standing.reference.perf },
      'no serving miner beats the reference; weights fall back to perf^alpha',
    );

  const kind = hp.commitRevealEnabled ? 'commit' : 'set';
  const intent = await store.recordWeightIntent(
    { cycleId, block, kind, uids, weights },
    ctx.now?.() ?? Date.now(),
  );
  const tx = {
    netuid: settings.netuid,
    uids,
    weights,
    versionKey: SUBNET_VERSION_KEY,
    timeoutMs: settings.txTimeoutMs,
    waitForFinality: settings.waitForFinality,
  };
  let landed: string;
  try {
    if (kind === 'commit') {
      const { tx: result } = await chain.commitWeights({
        ...tx,
        persist: (pending) => store.putPendingReveal(cycleId, pending).then(() => {}),
      });
      landed = `commit in block ${result.blockNumber}`;
    } else {
      const result = await chain.setWeights(tx);
      landed = `block ${result.blockNumber}`;
    }
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
  // The call landed. Recording it is outside the try on purpose: a store failure here is not a
  // chain failure; the intent stays open and the chain-state check above resolves it on resume.
  await store.resolveWeightSubmission(intent, 'included', landed);
  logger.info({ cycleId, kind, uids, weights }, 'weights submitted');
  return { status: 'included', uids, weights, kind, mode };
}

/**
 * The weight vector: chainWeights over the serving miners, then, when the subnet wants more
 * non-zero weights than that (MinAllowedWeights), the best of the others at 1/65535 of the
 * largest weight, the least the u16 vector can carry, so the padding pays next to nothing.
 */
export function planWeights(
  snapshot: MetagraphSnapshot,
  ownHotkey: string | undefined,
  standing: Standing,
  alpha: number,
): { uids: number[]; weights: number[]; mode: 'excess' | 'fallback' | 'none' } {
  const candidates = snapshot.neurons
    .filter((n) => n.hotkey !== ownHotkey)
    .map((n) => ({
      uid: n.uid,
      hotkey: n.hotkey,
      performance: standing.miners.get(n.hotkey)?.perf ?? 0,
      serving: n.axon !== null,
    }));
  const planned = chainWeights(candidates, standing.reference.perf, alpha);
  if (planned.mode === 'none') return planned;
  const hp = snapshot.hyperparameters;
  const needed = Math.min(hp.minAllowedWeights, hp.subnetworkN || snapshot.neurons.length, candidates.length);
  if (planned.uids.length >= needed) return planned;
  const largest = Math.max(...planned.weights);
  const chosen = new Set(planned.uids);
  const padding = candidates
    .filter((c) => !chosen.has(c.uid))
    .sort((a, b) => Number(b.serving) - Number(a.serving) || b.performance - a.performance || a.uid - b.uid)
    .slice(0, needed - planned.uids.length);
  const pairs = [
    ...planned.uids.map((uid, i) => [uid, planned.weights[i]] as const),
    ...padding.map((c) => [c.uid, largest / 65_535] as const),
  ].sort((a, b) => a[0] - b[0]);
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  return { uids: pairs.map(([u]) => u), weights: pairs.map(([, w]) => w / total), mode: planned.mode };
}
