/**
 * A store filled by the real validator cycle (runCycle, LocalChain in memory, a generated batch
 * with its labels, τ = 0 so tier 3 settles at once) for the dashboard's tests. The miners answer
 * in-process with a known skill: 'good' knows every truth, 'noisy' is random, 'copier' sends
 * good's scores nudged by 1e-4 (a copy the validator must flag), 'slow' times out.
 */

import type { AddressLabel, BatchKey } from '@aml/miner-template';
import { generateBatch, isPositiveRiskLevel } from '@aml/miner-template';
import pino from 'pino';
import { LocalChain } from '../../../src/chain/local-chain.js';
import type { AxonTarget } from '../../../src/dendrite/dendrite.js';
import type { AmlScoringRequest, AmlScoringSynapse } from '../../../src/protocol/synapse.js';
import type { CycleContext, QueryClient } from '../../../src/validator/cycle/context.js';
import { type CycleReport, runCycle } from '../../../src/validator/cycle/run-cycle.js';
import type { ValidatorStore } from '../../../src/validator/store/types.js';
import { requestBatch } from '../../support/request-batch.js';
import { fixedBatchSource } from './fixed-batch-source.js';

export type Behaviour = 'good' | 'noisy' | 'copier' | 'slow';

export const DASHBOARD_MINERS: Record<string, Behaviour> = {
  good: 'good',
  noisy: 'noisy',
  copier: 'copier',
  slow: 'slow',
};

const KEY: BatchKey = { network: 'torus', processing_date: '2026-01-01', window_days: 7 };

class KnownMiners implements QueryClient {
  constructor(
    private readonly behaviour: Record<string, Behaviour>,
    private readonly store: ValidatorStore,
    private readonly positive: Map<string, number>,
  ) {}

  async query(axons: readonly AxonTarget[], request: AmlScoringRequest): Promise<AmlScoringSynapse[]> {
    const cycle = (await this.store.latestCycle())!;
    const trapTruth = new Map((await this.store.traps(cycle.cycleId)).map((t) => [t.alertId, t.truth]));
    const alerts = requestBatch(request).alerts;
    const good = alerts.map(({ alert_id, address }, j) => {
      const bad = trapTruth.get(alert_id) ?? this.positive.get(address) ?? 0;
      return 0.1 + 0.7 * bad + (((j * 7919) % 1000) / 1000) * 0.2;
    });
    return axons.map((axon) => {
      const kind = this.behaviour[axon.hotkey];
      const base = { dendrite: {}, axon: {}, model_version: `${axon.hotkey}-1.0.0` };
      if (kind === 'slow')
        return {
          ...base,
          dendrite: { status_code: 408, status_message: 'timed out', process_time: 120 },
          scores: null,
        } as unknown as AmlScoringSynapse;
      const scores = alerts.map(({ alert_id }, j) => {
        const score =
          kind === 'noisy'
            ? ((j * 37 + cycle.cycleId * 11) % 100) / 100 + (j % 7) * 1e-4
            : kind === 'copier'
              ? Math.min(1, good[j] + 1e-4)
              : good[j];
        return { alert_id, score, model_version: `${axon.hotkey}-1.0.0`, latency_ms: 1 };
      });
      return {
        ...base,
        dendrite: { status_code: 200, process_time: 0.05 },
        scores,
      } as unknown as AmlScoringSynapse;
    });
  }
}

/**
 * Runs `cycles` cycles on `store`, a weights rate-limit window apart so each one sets weights.
 * `stealthAudit` runs the real trap stealth audit (a worker thread, a few seconds a cycle).
 */
export async function fillStoreWithCycles(
  store: ValidatorStore,
  options: { cycles: number; alerts?: number; stealthAudit?: boolean; miners?: Record<string, Behaviour> },
): Promise<CycleReport[]> {
  const behaviour = options.miners ?? DASHBOARD_MINERS;
  const generated = generateBatch({
    seed: 11,
    date: KEY.processing_date,
    windowDays: 7,
    alerts: options.alerts ?? 300,
  });
  const labels: AddressLabel[] = generated.labels;
  const positive = new Map(labels.map((l) => [l.address, isPositiveRiskLevel(l.risk_level) ? 1 : 0]));
  const source = fixedBatchSource(generated.batch, labels);
  let now = Date.parse('2026-01-02T00:00:00Z');
  const chain = LocalChain.inMemory(
    {
      startBlock: 1000,
      blockTimeMs: 12_000,
      subnets: [
        {
          netuid: 42,
          hyperparameters: { weightsSetRateLimit: 10 },
          neurons: [
            { hotkey: 'validator', coldkey: 'c0', stake: 1000, validatorPermit: true },
            ...Object.keys(behaviour).map((hotkey, i) => ({
              hotkey,
              coldkey: `c${i + 1}`,
              axon: { ip: '127.0.0.1', port: 9000 + i },
            })),
          ],
        },
      ],
    },
    { hotkey: 'validator', now: () => now },
  );
  let seed = 1;
  const ctx: CycleContext = {
    store,
    chain,
    dendrite: new KnownMiners(behaviour, store, positive),
    batches: source,
    settings: {
      netuid: 42,
      network: 'torus',
      windowDays: 7,
      trapsPerCycle: 20,
      stealthAudit: options.stealthAudit ?? false,
      timeoutS: 120,
      concurrency: 4,
      tauDays: 0,
      batchDate: KEY.processing_date,
    },
    logger: pino({ level: 'silent' }),
    now: () => now,
    randomSeed: () => seed++,
  };
  const reports: CycleReport[] = [];
  for (let i = 0; i < options.cycles; i++) {
    reports.push(await runCycle(ctx));
    now += 11 * 12_000;
  }
  await chain.close();
  return reports;
}
