/**
 * Step 5 of a cycle: weights on chain, ∝ (perf − perf_ref)^α over serving miners that beat the
 * reference, or ∝ perf^α with a warning when none does (docs/validator.md, "Weights: ensemble and chain"); padded with the smallest u16
 * weight up to MinAllowedWeights; `version_key` is our own protocol version; set_weights or
 * commit/reveal as the subnet demands. Each extrinsic is sent exactly once: the intent, then the
 * signed extrinsic's hash and mortal era, are stored before it leaves, and a submission whose
 * outcome was never stored is settled from the chain before anything new is sent
 * (weights-settle.ts).
 */

import { isChainRefusal, isDispatchFailure } from '../../chain/errors.js';
import type { MetagraphSnapshot, PendingCommit, TxOptions, TxResult } from '../../chain/types.js';
import { SUBNET_VERSION_KEY } from '../../protocol/version.js';
import { chainWeights, WEIGHTS_ALPHA } from '../scoring/weights.js';
import type { WeightIntent } from '../store/types.js';
import type { CycleContext } from './context.js';
import type { Standing } from './standing.js';
import { settleSubmission } from './weights-settle.js';

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

/** Drops the pending reveals of a cycle whose commit never landed: there is nothing to reveal. */
async function dropReveals(ctx: CycleContext, cycleId: number): Promise<void> {
  for (const reveal of await ctx.store.pendingReveals()) {
    if (reveal.cycleId !== cycleId) continue;
    await ctx.store.markRevealed(reveal.id);
    ctx.logger.warn({ reveal: reveal.id, cycleId }, 'its commit never landed; dropping the reveal');
  }
}

/**
 * Sends one weights extrinsic exactly once: the intent is stored, `send` signs and hands over the
 * hash and era, which are stored before the extrinsic leaves, then the outcome. A failure after
 * signing that the chain did not itself report (a timeout, a dropped socket, a pool rejection)
 * leaves the intent open for settleSubmission to decide from the chain once the era has closed.
 */
async function submitOnce(
  ctx: CycleContext,
  intent: WeightIntent,
  send: (options: TxOptions) => Promise<TxResult>,
): Promise<{ ok: true; tx: TxResult } | { ok: false; status: 'refused' | 'failed'; reason: string }> {
  const { store, settings } = ctx;
  const id = await store.recordWeightIntent(intent, ctx.now?.() ?? Date.now());
  let signed = false;
  let tx: TxResult;
  try {
    tx = await send({
      timeoutMs: settings.txTimeoutMs,
      waitForFinality: settings.waitForFinality,
      eraPeriod: settings.eraPeriod,
      onSigned: async (s) => {
        await store.recordWeightSigned(id, s.txHash, s.era);
        signed = true;
      },
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const refused = isChainRefusal(err);
    if (signed && !isDispatchFailure(err)) {
      ctx.logger.warn(
        { submission: id, kind: intent.kind, reason },
        'weights outcome unknown until its era closes',
      );
      return { ok: false, status: 'failed', reason: `outcome unknown: ${reason}` };
    }
    await store.resolveWeightSubmission(id, refused ? 'refused' : 'failed', reason);
    return { ok: false, status: refused ? 'refused' : 'failed', reason };
  }
  // Recording it is outside the try on purpose: a store failure here is not a chain failure; the
  // intent stays open with its hash and era, and settleSubmission finds it on chain on resume.
  await store.resolveWeightSubmission(id, 'included', `block ${tx.blockNumber} (${tx.txHash})`);
  return { ok: true, tx };
}

export async function revealDue(ctx: CycleContext): Promise<void> {
  const undecided = new Set<number>();
  // Reveals are recorded only since mortal eras, so the pre-era rule (and its figures) never applies.
  for (const w of await ctx.store.unresolvedWeightSubmissions(['reveal'])) {
    const settled = await settleSubmission(ctx, w, { lastUpdate: 0, rateLimit: 0 });
    if (w.revealId === null) continue;
    if (settled === 'landed') await ctx.store.markRevealed(w.revealId);
    if (settled === 'open') undecided.add(w.revealId);
  }
  const block = await ctx.chain.block();
  for (const reveal of await ctx.store.pendingReveals()) {
    if (undecided.has(reveal.id)) continue;
    const pending = reveal.pending as PendingCommit;
    if (block < pending.revealFrom) continue;
    if (block > pending.revealUntil) {
      ctx.logger.warn(
        { reveal: reveal.id, block, until: pending.revealUntil },
        'reveal window missed; dropping the commit',
      );
      await ctx.store.markRevealed(reveal.id);
      continue;
    }
    const sent = await submitOnce(
      ctx,
      {
        cycleId: reveal.cycleId,
        block,
        kind: 'reveal',
        uids: [...pending.uids],
        weights: [...pending.values],
        revealId: reveal.id,
      },
      (options) => ctx.chain.revealWeights(pending, options),
    );
    if (sent.ok) {
      await ctx.store.markRevealed(reveal.id);
      ctx.logger.info({ reveal: reveal.id, block }, 'weights revealed');
    } else {
      ctx.logger.error({ reveal: reveal.id, reason: sent.reason }, 'reveal failed; will retry next cycle');
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
  let own = snapshot.neurons.find((n) => n.hotkey === chain.hotkey);
  if (!own)
    return {
      status: 'skipped',
      reason: `our hotkey ${chain.hotkey} is not registered on subnet ${settings.netuid}`,
    };

  const plan = () => planWeights(snapshot, chain.hotkey, standing, settings.alpha ?? WEIGHTS_ALPHA);
  const earlier = await store.unresolvedWeightSubmissions(['set', 'commit']);
  for (const w of earlier) {
    const settled = await settleSubmission(ctx, w, {
      lastUpdate: own.lastUpdate,
      rateLimit: hp.weightsSetRateLimit,
    });
    if (settled === 'open') {
      return {
        status: 'skipped',
        reason: `an earlier submission (id ${w.id}, block ${w.block}) has no known outcome yet; it is decided when its era (or, for a pre-era row, its rate-limit window) has passed`,
      };
    }
    if (settled === 'gone' && w.kind === 'commit') await dropReveals(ctx, w.cycleId);
    if (settled === 'landed' && w.cycleId === cycleId) {
      const { mode } = plan();
      const kind = w.kind === 'commit' ? 'commit' : 'set';
      return {
        status: 'included',
        uids: w.uids,
        weights: w.weights,
        kind,
        mode: mode === 'fallback' ? 'fallback' : 'excess',
      };
    }
  }
  if (earlier.length > 0) {
    // Settling may have waited for an era and found an earlier call on chain: read LastUpdate again.
    own =
      (await chain.metagraph(settings.netuid, { refresh: true })).neurons.find(
        (n) => n.hotkey === chain.hotkey,
      ) ?? own;
  }
  const block = await chain.block();
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
  const request = { netuid: settings.netuid, uids, weights, versionKey: SUBNET_VERSION_KEY };
  const sent = await submitOnce(ctx, { cycleId, block, kind, uids, weights }, async (options) =>
    kind === 'commit'
      ? (
          await chain.commitWeights({
            ...request,
            ...options,
            persist: (pending) => store.putPendingReveal(cycleId, pending).then(() => {}),
          })
        ).tx
      : chain.setWeights({ ...request, ...options }),
  );
  if (!sent.ok) {
    logger.warn(
      { cycleId, reason: sent.reason },
      sent.status === 'refused' ? 'weights refused' : 'weights failed',
    );
    return { status: sent.status, reason: sent.reason };
  }
  logger.info({ cycleId, kind, uids, weights, block: sent.tx.blockNumber }, 'weights submitted');
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
