/**
 * Tier 3 (SPEC §3): once a batch's labels are published and τ days have passed since its date, every
 * stored answer of its cycles is scored on the real alerts (traps excluded): t3 = 0.6·AUC-ROC +
 * 0.4·AUC-PR, and final = immediate + 0.5·t3. With too few labels tier 3 stays unknown and the
 * cycle settles at its immediate score.
 */
import { checkTier3, isPositiveRiskLevel } from '@aml/miner-template';
import { finalScore } from '../scoring/cycle-score.js';
import type { CycleContext } from './context.js';
import { alignedScores } from './tier-step.js';

const DAY_MS = 86_400_000;

export async function settleTier3(ctx: CycleContext): Promise<number> {
  const { store, batches, settings, logger } = ctx;
  const now = ctx.now?.() ?? Date.now();
  let settled = 0;
  for (const cycle of await store.unsettledCycles()) {
    const batchRecord = await store.getBatch(cycle.batchId);
    if (!batchRecord) continue;
    if (now < Date.parse(`${batchRecord.processingDate}T00:00:00Z`) + settings.tauDays * DAY_MS) continue;
    const key = {
      network: batchRecord.network,
      processing_date: batchRecord.processingDate,
      window_days: batchRecord.windowDays,
    };
    const labels = await batches.labels(key);
    if (!labels) continue;
    const { batch } = await batches.load(key);
    const byAddress = new Map(labels.map((l) => [l.address, l]));
    const traps = new Set((await store.traps(cycle.cycleId)).map((t) => t.alertId));
    const real = batch.alerts.filter((a) => !traps.has(a.alert_id));
    const realIds = real.map((a) => a.alert_id);
    const truth = Float64Array.from(real, (a) => {
      const l = byAddress.get(a.address);
      return l ? (isPositiveRiskLevel(l.risk_level) ? 1 : 0) : Number.NaN;
    });
    const weight = Float64Array.from(real, (a) => byAddress.get(a.address)?.confidence_score ?? 1);
    const answers = new Map((await store.answers(cycle.cycleId)).map((a) => [a.hotkey, a]));
    for (const tier of await store.tierResults(cycle.cycleId)) {
      let t3: number | undefined;
      if (tier.t1 === 1) {
        const scores = alignedScores(answers.get(tier.hotkey)?.answer, realIds);
        t3 = checkTier3(scores, truth, weight)?.t3;
      }
      await store.settleTier3(cycle.cycleId, tier.hotkey, t3 ?? null, finalScore(tier.immediate, t3));
      settled++;
    }
    logger.info({ cycleId: cycle.cycleId, batch: cycle.batchId, miners: settled }, 'tier 3 settled');
  }
  return settled;
}
