/**
 * One validator cycle (SPEC §3), as a sequence of steps each committed to the store before the
 * next starts: begin (batch + trap seed) → query → tiers → ensemble → weights → complete. A cycle
 * left open by a crash is resumed at the step after the last committed one; the batch and traps
 * are regenerated identically from what the store kept, so nothing is lost and no chain call or
 * miner query is repeated for a committed step.
 */
import { randomInt } from 'node:crypto';
import type { Batch } from '@aml/miner-template';
import type { MetagraphSnapshot } from '../../chain/types.js';
import type { AnswerRecord, CycleRecord, TierRecord } from '../store/types.js';
import { type MixedBatch, mixTraps } from '../traps.js';
import type { CycleContext } from './context.js';
import { computeEnsemble } from './ensemble-step.js';
import { queryMiners } from './query-step.js';
import { settleTier3 } from './settle-step.js';
import { computeTiers } from './tier-step.js';
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
}

function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function batchIdOf(key: Batch['key']): string {
  return `${key.network}/${key.processing_date}/${key.window_days}`;
}

async function loadMixed(ctx: CycleContext, cycle: CycleRecord): Promise<MixedBatch> {
  const record = await ctx.store.getBatch(cycle.batchId);
  if (!record) throw new Error(`cycle ${cycle.cycleId} names unknown batch ${cycle.batchId}`);
  const key = {
    network: record.network,
    processing_date: record.processingDate,
    window_days: record.windowDays,
  };
  const { batch } = await ctx.batches.load(key);
  const traps = ctx.traps.make({ seed: cycle.trapSeed, count: ctx.settings.trapsPerCycle, batch });
  return mixTraps(batch, traps, cycle.trapSeed);
}

async function begin(ctx: CycleContext, now: number): Promise<CycleRecord> {
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
  const cycle = await ctx.store.beginCycle(batchId, trapSeed, now);
  const mixed = mixTraps(
    batch,
    ctx.traps.make({ seed: trapSeed, count: ctx.settings.trapsPerCycle, batch }),
    trapSeed,
  );
  await ctx.store.putTraps(
    cycle.cycleId,
    [...mixed.truth].map(([alertId, truth]) => ({ alertId, truth })),
  );
  return cycle;
}

async function previousCanonical(
  ctx: CycleContext,
  cycle: CycleRecord,
): Promise<Map<string, number> | undefined> {
  const rows = await ctx.store.canonical(cycle.batchId);
  const fromEarlier = rows.filter((r) => !Number.isNaN(r.score));
  return fromEarlier.length > 0 ? new Map(fromEarlier.map((r) => [r.alertId, r.score])) : undefined;
}

export async function runCycle(ctx: CycleContext): Promise<CycleReport> {
  const now = () => ctx.now?.() ?? Date.now();
  const step = async (name: string, cycleId: number) => ctx.afterStep?.(name, cycleId);

  const open = await ctx.store.openCycle();
  const resumed = open !== undefined;
  let cycle: CycleRecord;
  if (open) {
    cycle = open;
    ctx.logger.info({ cycleId: cycle.cycleId, stage: cycle.stage }, 'resuming an unfinished cycle');
  } else {
    cycle = await begin(ctx, now());
    await step('started', cycle.cycleId);
  }
  const { cycleId } = cycle;
  const started = cycle;
  const snapshot: MetagraphSnapshot = await ctx.chain.metagraph(ctx.settings.netuid, { refresh: true });

  let mixed: MixedBatch | undefined;
  const mixedBatch = async () => (mixed ??= await loadMixed(ctx, started));
  // Read once per run: unpacking every miner's answer is the cycle's costliest store read.
  let stored: AnswerRecord[] | undefined;
  const storedAnswers = async () => (stored ??= await ctx.store.answers(cycleId));

  if (cycle.stage === 'started') {
    const m = await mixedBatch();
    const answers = await queryMiners(ctx, cycleId, cycle.batchId, m, snapshot);
    await ctx.store.putAnswers(cycleId, answers, now());
    cycle = { ...cycle, stage: 'queried' };
    await step('queried', cycleId);
  }

  if (cycle.stage === 'queried') {
    const m = await mixedBatch();
    const answers = await storedAnswers();
    const firstSeen = new Map<string, number>();
    for (const a of answers) {
      if (a.statusCode === 200 && a.modelVersion) {
        firstSeen.set(
          a.hotkey,
          (await ctx.store.firstSeenModelVersion(a.modelVersion, a.hotkey, cycleId, now())).firstSeen,
        );
      }
    }
    const tiers = computeTiers({
      answers,
      alertIds: m.batch.alerts.map((a) => a.alert_id),
      trapTruth: m.truth,
      timeoutMs: ctx.settings.timeoutS * 1000,
      firstSeen,
      previousCanonical: await previousCanonical(ctx, cycle),
    });
    await ctx.store.putTierResults(cycleId, tiers, now());
    cycle = { ...cycle, stage: 'scored' };
    await step('scored', cycleId);
  }

  let ensembleWeights = new Map<string, number>();
  if (cycle.stage === 'scored') {
    const m = await mixedBatch();
    const realIds = m.batch.alerts.filter((a) => !m.trapIds.has(a.alert_id)).map((a) => a.alert_id);
    const outcome = await computeEnsemble(
      ctx.store,
      await storedAnswers(),
      await ctx.store.tierResults(cycleId),
      realIds,
    );
    ensembleWeights = outcome.weights;
    stored = undefined; // tier 3 reads per settled cycle; let these go
    await ctx.store.putCanonical(cycleId, cycle.batchId, outcome.canonical, now());
    cycle = { ...cycle, stage: 'ensembled' };
    await step('ensembled', cycleId);
    ctx.logger.info({ cycleId, ensemble: Object.fromEntries(outcome.weights) }, 'canonical scores stored');
  }

  const settled = await settleTier3(ctx);

  let weights: WeightsOutcome = { status: 'skipped', reason: 'already submitted for this cycle' };
  if (cycle.stage === 'ensembled') {
    await revealDue(ctx);
    weights = await setWeightsStep(ctx, cycleId, snapshot);
    await ctx.store.setCycleStage(cycleId, 'weights', now());
    cycle = { ...cycle, stage: 'weights' };
    await step('weights', cycleId);
  }
  if (cycle.stage === 'weights') {
    await ctx.store.setCycleStage(cycleId, 'complete', now());
    await step('complete', cycleId);
  }

  const tiers = await ctx.store.tierResults(cycleId);
  return {
    cycleId,
    batchId: cycle.batchId,
    resumed,
    miners: tiers.length,
    tiers,
    ensembleWeights,
    weights,
    settled,
  };
}
