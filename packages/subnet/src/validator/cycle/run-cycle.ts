/**
 * One validator cycle (docs/validator.md, "A cycle"), as a sequence of steps each committed to the store before the
 * next starts: begin (batch, trap pool, plan and trap truth) → query → tiers → ensemble → weights
 * → complete. A cycle left open by a crash is resumed at the step after the last committed one;
 * the request is rebuilt identically from what the store kept, so nothing is lost and no chain
 * call or miner query is repeated for a committed step.
 */
import { randomInt } from 'node:crypto';
import type { Batch } from '@aml/miner-template/data';
import { auditTrapStealthInWorker, STEALTH_TARGET_AUC } from '@aml/miner-template/tiers';
import type { MetagraphSnapshot } from '../../chain/types.js';
import type { CycleRecord, TierRecord } from '../store/types.js';
import { checkStoredAnswers, keptRealScores, type RealScores, storedRealScores } from './answer-reads.js';
import type { CycleContext } from './context.js';
import { canonicalOf, ensembleContributors } from './ensemble-step.js';
import { queryMiners } from './query-step.js';
import { type CycleBatch, newCycleBatch, storedCycleBatch } from './request.js';
import { settleTier3 } from './settle-step.js';
import { type Standing, standingAt, standingSummary } from './standing.js';
import { REFERENCE_HOTKEY, referenceAnswer, tiersOf } from './tier-step.js';
import { revealDue, setWeightsStep, type WeightsOutcome } from './weights-step.js';

export interface CycleReport {
  cycleId: number;
  batchId: string;
  resumed: boolean;
  miners: number;
  tiers: TierRecord[];
  ensembleWeights: Map<string, number>;
  weights: WeightsOutcome;
  settled: number;
  standing?: Standing;
  /** Out-of-fold AUC of the trap-vs-real detector on this cycle's request (target ≤ 0.6). */
  stealthAuc?: number;
}

function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function batchIdOf(key: Batch['key']): string {
  return `${key.network}/${key.processing_date}/${key.window_days}`;
}

async function begin(ctx: CycleContext, now: number): Promise<{ cycle: CycleRecord; request: CycleBatch }> {
  const key = {
    network: ctx.settings.network,
    processing_date: ctx.settings.batchDate ?? utcDate(now),
    window_days: ctx.settings.windowDays,
  };
  const { batch, source } = await ctx.batches.load(key);
  const batchId = batchIdOf(key);
  await ctx.store.putBatch({
    batchId,
    network: key.network,
    processingDate: key.processing_date,
    windowDays: key.window_days,
    alertCount: batch.alerts.length,
    source,
  });
  const trapSeed = ctx.randomSeed?.() ?? randomInt(0, 2 ** 31);
  const request = await newCycleBatch(ctx, batchId, batch, trapSeed);
  const cycle = await ctx.store.beginCycle(batchId, trapSeed, now, {
    plan: request.plan,
    traps: [...request.request.trapTruth].map(([alertId, truth]) => ({ alertId, truth })),
  });
  await ctx.store.updateCycleReport(cycle.cycleId, {
    traps: {
      sent: request.plan.traps.length,
      pool: request.pool.traps.length,
      fromBank: request.fromBank,
      real: request.plan.real.length,
    },
  });
  return { cycle, request };
}

/** The batch's canonical scores so far, by this request's ids, and the miners that made them. */
async function previousCanonical(ctx: CycleContext, cycle: CycleRecord, request: CycleBatch) {
  const rows = (await ctx.store.canonical(cycle.batchId)).filter(
    (r) => !Number.isNaN(r.score) && r.source !== 'withheld',
  );
  if (rows.length === 0) return undefined;
  const byId = new Map(rows.map((r) => [r.alertId, r.score]));
  const scores = new Map<string, number>();
  request.realAliases.forEach((alias, i) => {
    const s = byId.get(request.realIds[i]);
    if (s !== undefined) scores.set(alias, s);
  });
  const madeBy =
    rows[0].source === 'reference' ? new Set<number>() : new Set(rows.map((r) => r.cycleId ?? -1));
  const contributors = new Set<string>();
  for (const id of madeBy) {
    const ensemble = (await ctx.store.cycleReport(id)).ensemble as Record<string, number> | undefined;
    for (const hotkey of Object.keys(ensemble ?? {})) contributors.add(hotkey);
  }
  return { scores, contributors };
}

/** The cycle's stealth audit AUC: run once per cycle (in a worker), then read from its report. */
async function auditStealth(
  ctx: CycleContext,
  cycleId: number,
  request: CycleBatch,
): Promise<number | undefined> {
  if (ctx.settings.stealthAudit === false) return undefined;
  const done = (await ctx.store.cycleReport(cycleId)).stealth as { auc?: number } | undefined;
  if (done !== undefined) return done.auc;
  const started = Date.now();
  try {
    const audit = await auditTrapStealthInWorker(
      request.request.batch,
      new Set(request.request.trapTruth.keys()),
      {
        seed: request.plan.seed,
      },
    );
    const summary = {
      auc: audit.auc,
      traps: audit.traps,
      reals: audit.reals,
      tells: audit.tells.slice(0, 5),
      ms: Date.now() - started,
    };
    await ctx.store.updateCycleReport(cycleId, { stealth: summary });
    const log =
      audit.auc > STEALTH_TARGET_AUC ? ctx.logger.warn.bind(ctx.logger) : ctx.logger.info.bind(ctx.logger);
    log(
      {
        cycleId,
        stealthAuc: audit.auc,
        target: STEALTH_TARGET_AUC,
        tells: summary.tells.map((t) => t.feature),
      },
      'trap stealth audit',
    );
    return audit.auc;
  } catch (err) {
    ctx.logger.error({ cycleId, err: (err as Error).message }, 'trap stealth audit failed');
    return undefined;
  }
}

/**
 * The open cycle, unless a store migrated from the earlier scoring left one without a trap plan:
 * that cycle cannot be rebuilt, so it is closed (and said so in its report) and a new one begins.
 */
async function openCycleToResume(ctx: CycleContext, now: number): Promise<CycleRecord | undefined> {
  const open = await ctx.store.openCycle();
  if (!open || (await ctx.store.cyclePlan(open.cycleId))) return open;
  ctx.logger.warn(
    { cycleId: open.cycleId, stage: open.stage },
    'closing an unfinished cycle of the earlier scoring (it has no trap plan to resume from)',
  );
  await ctx.store.updateCycleReport(open.cycleId, { abandoned: 'made before scoring v2; not resumable' });
  await ctx.store.setCycleStage(open.cycleId, 'complete', now);
  return undefined;
}

export async function runCycle(ctx: CycleContext): Promise<CycleReport> {
  const now = () => ctx.now?.() ?? Date.now();
  const step = async (name: string, cycleId: number) => ctx.afterStep?.(name, cycleId);

  const open = await openCycleToResume(ctx, now());
  const resumed = open !== undefined;
  let cycle: CycleRecord;
  let request: CycleBatch | undefined;
  if (open) {
    cycle = open;
    ctx.logger.info({ cycleId: cycle.cycleId, stage: cycle.stage }, 'resuming an unfinished cycle');
  } else {
    ({ cycle, request } = await begin(ctx, now()));
    await step('started', cycle.cycleId);
  }
  const { cycleId } = cycle;
  const started = cycle;
  const snapshot: MetagraphSnapshot = await ctx.chain.metagraph(ctx.settings.netuid, { refresh: true });
  const cycleBatch = async () => (request ??= await storedCycleBatch(ctx, started));
  // The answers are read one at a time (answer-reads.ts); the tier step keeps the passers' scores
  // on the real alerts for the ensemble and tier 3 of this run, a resumed run reads them again.
  let realScores: RealScores | undefined;
  const realScoresNow = async () =>
    (realScores ??= storedRealScores(ctx.store, cycleId, (await cycleBatch()).realAliases));

  if (cycle.stage === 'started') {
    const r = await cycleBatch();
    // Each miner's answer is stored as it arrives; the reference's commits the step.
    await queryMiners(ctx, cycleId, cycle.batchId, r.request.batch, snapshot);
    await step('answered', cycleId);
    await ctx.store.putAnswers(cycleId, [referenceAnswer(r.request.batch.alerts, started.trapSeed)], now());
    cycle = { ...cycle, stage: 'queried' };
    await step('queried', cycleId);
  }

  if (cycle.stage === 'queried') {
    const r = await cycleBatch();
    const alertIds = r.request.batch.alerts.map((a) => a.alert_id);
    const timeoutMs = ctx.settings.timeoutS * 1000;
    const checked = await checkStoredAnswers(ctx.store, cycleId, { alertIds, timeoutMs });
    const tiers = tiersOf(checked, {
      alertIds,
      realAliases: r.realAliases,
      trapTruth: r.request.trapTruth,
      timeoutMs,
      registeredAt: new Map(
        snapshot.neurons.map((n) => [n.hotkey, n.registeredAt ?? Number.MAX_SAFE_INTEGER]),
      ),
      previousCanonical: await previousCanonical(ctx, cycle, r),
    });
    realScores = keptRealScores(checked, alertIds, await realScoresNow(), r.realAliases);
    await ctx.store.putTierResults(cycleId, tiers, now());
    cycle = { ...cycle, stage: 'scored' };
    await step('scored', cycleId);
  }

  // Labels that arrived settle before the ensemble and the weights read the standing, so both use
  // the same, freshest tier 3 (settlement is idempotent: a resumed cycle finds nothing twice).
  const settled = await settleTier3(
    ctx,
    request === undefined ? undefined : { cycleId, request, realScores: await realScoresNow() },
  );
  const batchDate = (await ctx.store.getBatch(cycle.batchId))!.processingDate;
  const standingNow = () => standingAt(ctx.store, ctx.settings.network, batchDate, ctx.settings.tauDays);
  let ensembleWeights = new Map<string, number>();
  // The ensemble and the weights read one standing: nothing between them changes a tier row.
  let standing: Standing | undefined;
  if (cycle.stage === 'scored') {
    const r = await cycleBatch();
    const current = await standingNow();
    standing = current;
    const chosen = ensembleContributors({
      tiers: await ctx.store.tierResults(cycleId),
      standing: current,
      alpha: ctx.settings.alpha,
    });
    const read = await realScoresNow();
    const scores = [];
    for (const minerId of chosen.contributors.keys()) scores.push({ minerId, scores: await read(minerId) });
    const outcome = canonicalOf(chosen, scores, r.realIds);
    ensembleWeights = outcome.weights;
    realScores = undefined; // not read again in this run; let them go
    await ctx.store.updateCycleReport(cycleId, {
      ensemble: Object.fromEntries(outcome.weights),
      canonicalSource: outcome.source,
      reference: standingSummary(current.reference, current.reference),
      standing: Object.fromEntries(
        [...current.miners].map(([h, p]) => [h, standingSummary(p, current.reference)]),
      ),
    });
    const withheld = r.withheld.map((w) => ({ ...w, std: 0, minerCount: 0, source: 'withheld' as const }));
    await ctx.store.putCanonical(cycleId, cycle.batchId, [...outcome.canonical, ...withheld], now());
    cycle = { ...cycle, stage: 'ensembled' };
    await step('ensembled', cycleId);
    ctx.logger.info(
      {
        cycleId,
        source: outcome.source,
        reference: current.reference.perf,
        ensemble: Object.fromEntries(outcome.weights),
      },
      'canonical scores stored',
    );
  }

  const stealthAuc = await auditStealth(ctx, cycleId, await cycleBatch());

  let weights: WeightsOutcome = { status: 'skipped', reason: 'already submitted for this cycle' };
  if (cycle.stage === 'ensembled') {
    await revealDue(ctx);
    standing ??= await standingNow();
    weights = await setWeightsStep(ctx, cycleId, snapshot, standing);
    await ctx.store.updateCycleReport(cycleId, { weights });
    await ctx.store.setCycleStage(cycleId, 'weights', now());
    cycle = { ...cycle, stage: 'weights' };
    await step('weights', cycleId);
  }
  if (cycle.stage === 'weights') {
    await ctx.store.setCycleStage(cycleId, 'complete', now());
    await step('complete', cycleId);
  }

  const tiers = (await ctx.store.tierResults(cycleId)).filter((t) => t.hotkey !== REFERENCE_HOTKEY);
  return {
    cycleId,
    batchId: cycle.batchId,
    resumed,
    miners: tiers.length,
    tiers,
    ensembleWeights,
    weights,
    settled,
    standing,
    stealthAuc,
  };
}
