/**
 * Measures trap stealth on the foreign producer (docs/validator.md, "Stealth audit: measurements
 * and remaining tells"): for each seed, a foreign batch, a pool of bank traps (from the producer's
 * previous day, labels in) or synthetic traps, one cycle's request, and the stealth audit on it.
 * `null` audits real alerts posing as traps (whole address groups, as traps come): the audit's own
 * floor. Prints each seed's AUC and top tells, the mean, and the tells summed over seeds.
 *
 *   node --import tsx scripts/measure-trap-stealth.ts --kind bank|synthetic|null \
 *     [--alerts 1500] [--seeds 1,2,3,4,5,6] [--new-style-daily] [--signal]
 *
 * --signal also trains a GBDT on each request's labelled real alerts and prints how it ranks the
 * traps (pooled over seeds) against real alerts, and the same for the upstream confidence (the
 * reference miner): traps must pay for skill, and no more to the reference than its skill.
 *
 * Without --new-style-daily every day of a seed shares one format style (as one upstream keeps its
 * formats); with it, each day draws its own. Bank traps come from alerts withheld from the
 * previous day's batch, as the validator does; `--seen` takes them from alerts that were sent.
 * It also runs the memory attack and prints its AUC: for bank traps, a miner that kept the previous
 * day's batch as it was sent looks for each alert's nearest old row; for synthetic traps, for the
 * nearest other row of the request itself (a trap standing next to a real alert's row).
 */
import { parseArgs } from 'node:util';
import type { Batch } from '../packages/miner-template/src/data/batch.js';
import { generateForeignBatch } from '../packages/miner-template/src/foreign/index.js';
import { Rng } from '../packages/miner-template/src/random.js';
import {
  alertTruthByLabel,
  extractMaterial,
  materialContext,
  pickByAddress,
  type TrapMaterial,
} from '../packages/miner-template/src/tiers/traps/material.js';
import { memoryAttackAuc } from '../packages/miner-template/src/tiers/traps/memory-attack.js';
import {
  assembleRequest,
  buildTrapPool,
  type CycleRequest,
  planCycle,
  poolSize,
  trapsPerCycle,
} from '../packages/miner-template/src/tiers/traps/pool.js';
import { auditTrapStealth } from '../packages/miner-template/src/tiers/traps/stealth.js';
import { syntheticMaterial } from '../packages/miner-template/src/tiers/traps/synthetic-material.js';
import {
  confidenceOnTraps,
  pooledAuc,
  rankTraps,
  type Scored,
} from '../packages/miner-template/src/tiers/traps/trap-signal.test-support.js';
import {
  chooseWithheld,
  withheldCount,
  withholdAlerts,
} from '../packages/miner-template/src/tiers/traps/withhold.js';

const { values } = parseArgs({
  options: {
    kind: { type: 'string', default: 'bank' },
    alerts: { type: 'string', default: '1500' },
    seeds: { type: 'string', default: '1,2,3,4,5,6' },
    'new-style-daily': { type: 'boolean', default: false },
    seen: { type: 'boolean', default: false },
    signal: { type: 'boolean', default: false },
  },
});
const kind = values.kind!;
if (!['bank', 'synthetic', 'null'].includes(kind)) {
  console.error(`--kind must be bank, synthetic or null, got ${kind}`);
  process.exit(2);
}
const alerts = Number(values.alerts);
const seeds = values.seeds!.split(',').map(Number);

function foreignDay(seed: number, date: string, styleSeed: number) {
  const style = values['new-style-daily']
    ? undefined
    : generateForeignBatch({ seed: styleSeed, date: '2026-01-01', alerts: 5 }).style;
  return generateForeignBatch({ seed, date, network: 'torus', windowDays: 7, alerts, style });
}

/** Bank material from the producer's previous day, and that day's batch as miners were sent it. */
function bankMaterial(seed: number, count: number): { materials: TrapMaterial[]; sent: Batch } {
  const source = foreignDay(1000 + seed, '2026-03-09', seed);
  const truth = alertTruthByLabel(source.batch, source.labels);
  const withheld = values.seen
    ? undefined
    : new Set(
        chooseWithheld(
          source.batch,
          withheldCount(source.batch.alerts.length, count),
          new Rng(seed, 'withhold'),
        ),
      );
  const labelled = source.batch.alerts
    .map((_, i) => i)
    .filter(
      (i) =>
        truth[i] !== undefined && (withheld === undefined || withheld.has(source.batch.alerts[i].alert_id)),
    );
  const rng = new Rng(seed, 'bank');
  const chosen = pickByAddress(source.batch.alerts, labelled, count, (xs) => rng.shuffle(xs));
  const ctx = materialContext(source.batch);
  return {
    materials: chosen.map((i) => extractMaterial(ctx, i, truth[i]!, 'bank')),
    sent: withholdAlerts(source.batch, [...(withheld ?? [])]),
  };
}

let memory: Batch | undefined;

function request(
  seed: number,
  today: ReturnType<typeof foreignDay>,
): { batch: Batch; traps: Set<string>; cycle?: CycleRequest } {
  const batch = today.batch;
  const perCycle = trapsPerCycle(batch.alerts.length);
  if (kind === 'null') {
    const rng = new Rng(seed, 'null');
    const all = batch.alerts.map((_, i) => i);
    const chosen = pickByAddress(batch.alerts, all, perCycle, (xs) => rng.shuffle(xs));
    return { batch, traps: new Set(chosen.map((i) => batch.alerts[i].alert_id)) };
  }
  let materials: TrapMaterial[];
  if (kind === 'bank') {
    const bank = bankMaterial(seed, poolSize(perCycle));
    materials = bank.materials;
    memory = bank.sent;
  } else {
    materials = syntheticMaterial(batch, {
      seed,
      count: poolSize(perCycle),
      positiveRate: today.positiveRate,
    });
  }
  const pool = buildTrapPool(
    batch,
    materials.map((material) => ({ material })),
    seed,
  );
  const req = assembleRequest(batch, pool, planCycle(batch, pool, { seed, perCycle }));
  return { batch: req.batch, traps: new Set(req.trapTruth.keys()), cycle: req };
}

const tells = new Map<string, number>();
const aucs: number[] = [];
const memoryAucs: number[] = [];
const signal = {
  model: [] as Scored[],
  reals: [] as number[],
  confidence: [] as Scored[],
  confidenceReals: [] as number[],
};
for (const seed of seeds) {
  const today = foreignDay(2000 + seed, '2026-03-10', seed);
  const { batch, traps, cycle } = request(seed, today);
  if (values.signal && cycle) {
    const ranked = rankTraps(today, cycle, seed);
    signal.model.push(...ranked.traps);
    signal.reals.push(ranked.real);
    const reference = confidenceOnTraps(today, cycle);
    signal.confidence.push(...reference.traps);
    signal.confidenceReals.push(reference.realAuc);
  }
  const audit = auditTrapStealth(batch, traps, { seed, realsPerTrap: 12 });
  aucs.push(audit.auc);
  // Bank traps: the miner's memory of the source day; synthetic traps: the twin attack (the request itself).
  const memoryAuc =
    kind === 'null'
      ? undefined
      : memoryAttackAuc(batch, traps, kind === 'bank' && memory ? [memory] : [batch]);
  if (memoryAuc !== undefined) memoryAucs.push(memoryAuc);
  const total = audit.tells.reduce((s, t) => s + t.gain, 0);
  for (const t of audit.tells) tells.set(t.feature, (tells.get(t.feature) ?? 0) + t.gain / total);
  console.log(
    `seed ${seed}: AUC ${audit.auc.toFixed(3)} (${audit.traps} traps, ${audit.reals} reals)` +
      (memoryAuc === undefined
        ? '  '
        : `, ${kind === 'bank' ? 'memory' : 'twin'} attack ${memoryAuc.toFixed(3)}  `) +
      audit.tells
        .slice(0, 4)
        .map((t) => t.feature)
        .join(' '),
  );
}
if (memoryAucs.length > 0)
  console.log(
    `${kind === 'bank' ? 'memory' : 'twin'} attack: mean AUC ${(memoryAucs.reduce((s, v) => s + v, 0) / memoryAucs.length).toFixed(3)}`,
  );
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
if (signal.model.length > 0)
  console.log(
    `signal: a model of the real alerts ranks real alerts at ${mean(signal.reals).toFixed(3)} (mean) and the traps at ` +
      `${pooledAuc(signal.model).toFixed(3)} (pooled); the upstream confidence ranks real alerts at ` +
      `${mean(signal.confidenceReals).toFixed(3)} and the traps at ${pooledAuc(signal.confidence).toFixed(3)}`,
  );
console.log(
  `${kind}: mean AUC ${(aucs.reduce((s, v) => s + v, 0) / aucs.length).toFixed(3)} over ${aucs.length} seeds`,
);
console.log(
  `tells (share of gain, summed over seeds): ${[...tells]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([f, g]) => `${f} ${g.toFixed(2)}`)
    .join(', ')}`,
);
