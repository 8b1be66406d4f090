/**
 * generateBatch: a synthetic SOT batch (docs/data-contracts.md) with labels and the full truth behind it. The
 * pipeline is simulate (economy + planted typologies) -> detectors -> alert selection -> tables,
 * labels, alerts, clusters; every table is derived from the same simulated transactions, so they
 * agree with each other. Same options give byte-identical output.
 */
import type { Batch } from '../data/batch.js';
import { amlError, ERRORS } from '../errors.js';
import { Rng } from '../random.js';
import { type AddressLabel, isPositiveRiskLevel } from '../schemas/address-label.js';
import { BatchKeySchema } from '../schemas/batch.js';
import { buildAlerts } from './alerts.js';
import { buildClusters } from './clusters.js';
import { applyExportStyle, roundAlertVolumes, roundFlowAmounts } from './export-style.js';
import { labelAddress } from './labels.js';
import { KIND, MIMIC, ROLE } from './population.js';
import { type Regime, type RegimeOptions, resolveRegime } from './regime.js';
import { selectAlerts } from './select.js';
import { type Simulation, simulate } from './simulate.js';
import { buildTables, moneyFlowRows } from './tables.js';
import { TYPOLOGIES, type Typology } from './typologies.js';

export interface GenerateOptions {
  network?: string;
  /** Processing date, YYYY-MM-DD; the window ends at the end of this day (UTC). */
  date: string;
  windowDays?: number;
  /** Target alert count (reached exactly unless the detectors find fewer hits). */
  alerts: number;
  seed: number;
  /** 0..1: more hard negatives, noisier confidences and labels, subtler typologies. */
  difficulty?: number;
  /** Amount level, network size, typology mix and export style (see regime.ts). */
  regime?: RegimeOptions;
  onProgress?: (message: string) => void;
}

export interface AlertTruth {
  alert_id: string;
  address: string;
  /** The detector rule that raised the alert (its typology_type). */
  rule: Typology;
  /** The typology the address was planted in, or null for a benign address. */
  planted_typology: Typology | null;
  instance: number;
  role: 'benign' | 'core' | 'peripheral';
  /** By simulation truth, before label noise. */
  illicit: boolean;
  /** By label (docs/data-contracts.md: risk_level high or critical), after label noise. */
  positive: boolean;
  /** Benign, negative, and suspicious-looking: a mimic, a hub, or a high rule score. */
  hard_negative: boolean;
  label_noise: boolean;
  rule_score: number;
}

export interface SyntheticTruth {
  alerts: AlertTruth[];
  instances: { id: number; typology: Typology; addresses: string[] }[];
  positive_rate: number;
  stats: { addresses: number; transactions: number; flows: number; candidates: number; difficulty: number };
}

export interface GeneratedBatch {
  batch: Batch;
  labels: AddressLabel[];
  truth: SyntheticTruth;
}

const MAX_ALERTS = 1_000_000;
const ROLE_NAMES = ['benign', 'core', 'peripheral'] as const;

export interface ResolvedOptions {
  network: string;
  date: string;
  dateMs: number;
  windowDays: number;
  alerts: number;
  seed: number;
  difficulty: number;
  regime: Regime;
}

/** Validates options (readable AmlErrors) and fills defaults. */
export function resolveOptions(o: Omit<GenerateOptions, 'onProgress'>): ResolvedOptions {
  const network = o.network ?? 'torus';
  const windowDays = o.windowDays ?? 7;
  const key = BatchKeySchema.safeParse({ network, processing_date: o.date, window_days: windowDays });
  if (!key.success) {
    const issue = key.error.issues[0];
    throw amlError(
      ERRORS.AML_ERR_CONFIG_INVALID,
      [`${issue.path.join('.')}: ${issue.message}`],
      key.error.issues,
    );
  }
  if (windowDays > 366)
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [`window_days must be at most 366, got ${windowDays}`]);
  if (!Number.isInteger(o.alerts) || o.alerts < 1 || o.alerts > MAX_ALERTS) {
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
      `alerts must be an integer in [1, ${MAX_ALERTS}], got ${o.alerts}`,
    ]);
  }
  if (!Number.isFinite(o.seed))
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [`seed must be a finite number, got ${o.seed}`]);
  const difficulty = o.difficulty ?? 0.5;
  if (!(difficulty >= 0 && difficulty <= 1)) {
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [`difficulty must be in [0, 1], got ${difficulty}`]);
  }
  return {
    network,
    date: o.date,
    dateMs: Date.parse(`${o.date}T00:00:00Z`),
    windowDays,
    alerts: o.alerts,
    seed: o.seed,
    difficulty,
    regime: resolveRegime(o.regime),
  };
}

/** Runs the simulation and derives every output of a batch (shared with the trap generator). */
export function assemble(
  opts: ResolvedOptions,
  addressSalt: string | undefined,
  onProgress?: (message: string) => void,
): GeneratedBatch & { sim: Simulation } {
  const rng = new Rng(opts.seed, `assemble:${addressSalt ?? ''}`);
  const illicitShare = rng.uniform(0.14, 0.18);
  const sim = simulate(
    { ...opts, ...opts.regime, targetAlerts: opts.alerts, illicitShare, addressSalt },
    onProgress,
  );
  const { pop, windowStart } = sim.world;
  onProgress?.(`selecting ${opts.alerts} alerts from ${sim.candidates.length} detector hits`);
  const sel = selectAlerts(
    sim.candidates,
    pop,
    rng.fork('select'),
    opts.alerts,
    illicitShare,
    opts.difficulty,
  );
  const alerted = new Set<number>();
  for (const a of sel.address) alerted.add(a);
  onProgress?.('computing the features table');
  const tables = buildTables(sim.featureCtx, alerted, (done, total) =>
    onProgress?.(`features ${done}/${total}`),
  );
  onProgress?.('building alerts, labels and clusters');
  const built = buildAlerts(
    { ...opts, windowStart, pop, flows: sim.flows, columns: tables.allColumns, rowOf: tables.rowOf },
    sel,
    rng.fork('alerts'),
  );
  // labels: every alerted address plus a sample of the other feature rows
  const labelRng = rng.fork('labels');
  const labels: AddressLabel[] = [];
  const labelOf = new Map<number, { positive: boolean; noisy: boolean }>();
  for (const a of tables.rowIds) {
    if (!alerted.has(a) && !labelRng.bool(0.1)) continue;
    const out = labelAddress(
      pop,
      a,
      tables.features.address[tables.rowOf.get(a) as number],
      labelRng,
      opts.difficulty,
    );
    labels.push(out.label);
    labelOf.set(a, { positive: isPositiveRiskLevel(out.label.risk_level), noisy: out.noisy });
  }
  const clusters = buildClusters(
    built.alerts,
    sel.address,
    built.detectedAt,
    sim.flows,
    pop,
    opts.network,
    opts.date,
  );
  const truthAlerts: AlertTruth[] = built.alerts.map((alert, j) => {
    const a = sel.address[j];
    const lab = labelOf.get(a) as { positive: boolean; noisy: boolean };
    const illicit = pop.role[a] !== ROLE.benign;
    const kind = pop.kind[a];
    const suspicious =
      pop.mimic[a] !== MIMIC.none || (kind !== KIND.retail && kind !== KIND.illicit) || sel.score[j] >= 0.6;
    return {
      alert_id: alert.alert_id,
      address: alert.address,
      rule: TYPOLOGIES[sel.rule[j]],
      planted_typology: pop.typology[a] >= 0 ? TYPOLOGIES[pop.typology[a]] : null,
      instance: pop.instance[a],
      role: ROLE_NAMES[pop.role[a]],
      illicit,
      positive: lab.positive,
      hard_negative: !illicit && !lab.positive && suspicious,
      label_noise: lab.noisy,
      rule_score: sel.score[j],
    };
  });
  const positives = truthAlerts.reduce((s, t) => s + (t.positive ? 1 : 0), 0);
  onProgress?.(`writing ${tables.flowIds.length} money flows`);
  const style = opts.regime.export;
  const batch: Batch = {
    key: { network: opts.network, processing_date: opts.date, window_days: opts.windowDays },
    alerts: roundAlertVolumes(built.alerts, style.amountDecimals),
    features: applyExportStyle(tables.features, style, rng.fork('export')),
    clusters,
    money_flows: roundFlowAmounts(moneyFlowRows(sim.flows, tables.flowIds, pop), style.amountDecimals),
  };
  const truth: SyntheticTruth = {
    alerts: truthAlerts,
    instances: sim.instances.map((inst) => ({
      id: inst.id,
      typology: inst.typology,
      addresses: inst.addresses.map((id) => pop.address(id)),
    })),
    positive_rate: truthAlerts.length > 0 ? positives / truthAlerts.length : 0,
    stats: {
      addresses: pop.length,
      transactions: sim.world.store.length,
      flows: sim.flows.length,
      candidates: sim.candidates.length,
      difficulty: opts.difficulty,
    },
  };
  return { batch, labels, truth, sim };
}

export function generateBatch(options: GenerateOptions): GeneratedBatch {
  const opts = resolveOptions(options);
  const { batch, labels, truth } = assemble(opts, undefined, options.onProgress);
  return { batch, labels, truth };
}
