/**
 * Pattern traps for the validator's tier 2 (SPEC §3): a handful of alerts whose truth is known,
 * half from planted laundering typologies (clean positives) and half clearly benign activity.
 * They come out of the same simulator as a batch (same id format, dates, address format and
 * feature ranges) on a separate address space, and take alert ids from the gaps of a template
 * batch's numbering so they mix into it without collisions.
 */
import type { Batch, FeatureTable } from '../data/batch.js';
import { amlError, ERRORS } from '../errors.js';
import type { Alert } from '../schemas/alert.js';
import type { MoneyFlow } from '../schemas/money-flow.js';
import { alertId } from './alerts.js';
import { assemble, resolveOptions } from './generate.js';
import { Rng } from './random.js';

export interface TrapOptions {
  seed: number;
  count: number;
  date: string;
  network: string;
  /** The batch the traps will be mixed into: its window and alert ids are respected. */
  template?: Batch;
}

export interface Traps {
  alerts: Alert[];
  /** Features rows of the trap addresses and of the counterparties their evidence names. */
  features: FeatureTable;
  /** Flows among the addresses of `features`. */
  flows: MoneyFlow[];
  /** alert_id -> 1 (planted typology) or 0 (clearly benign). */
  truth: Map<string, 0 | 1>;
}

/** Alert numbers free for traps: the template's gaps first, then numbers past its end. */
function freeNumbers(
  template: Batch | undefined,
  network: string,
  date: string,
  count: number,
  rng: Rng,
): number[] {
  const prefix = `alert_${network}_${date}_`;
  const used = new Set<number>();
  let max = 0;
  for (const a of template?.alerts ?? []) {
    if (!a.alert_id.startsWith(prefix)) continue;
    const n = Number(a.alert_id.slice(prefix.length));
    if (Number.isInteger(n)) {
      used.add(n);
      max = Math.max(max, n);
    }
  }
  const gaps: number[] = [];
  for (let n = 1; n <= max; n++) if (!used.has(n)) gaps.push(n);
  rng.shuffle(gaps);
  const out = gaps.slice(0, count);
  for (let n = max + 1; out.length < count; n++) out.push(n);
  return out.sort((x, y) => x - y);
}

const MAX_TRAPS = 10_000;

export function generateTraps(options: TrapOptions): Traps {
  const count = options.count;
  if (!Number.isInteger(count) || count < 1 || count > MAX_TRAPS) {
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
      `trap count must be an integer in [1, ${MAX_TRAPS}], got ${count}`,
    ]);
  }
  const opts = resolveOptions({
    network: options.network,
    date: options.date,
    windowDays: options.template?.key.window_days ?? 7,
    alerts: Math.max(300, count * 8),
    seed: options.seed,
    difficulty: 0.3,
  });
  const rng = new Rng(options.seed, 'traps');
  const { batch, truth } = assemble(opts, `trap:${options.seed}`);
  const positives: number[] = [];
  const negatives: number[] = [];
  truth.alerts.forEach((t, j) => {
    if (t.positive && t.illicit && t.role === 'core' && !t.label_noise) positives.push(j);
    else if (!t.illicit && !t.positive && !t.hard_negative && !t.label_noise) negatives.push(j);
  });
  rng.shuffle(positives);
  rng.shuffle(negatives);
  const wantPos = Math.min(positives.length, Math.ceil(count / 2));
  const picked = [...positives.slice(0, wantPos), ...negatives.slice(0, count - wantPos)];
  rng.shuffle(picked);
  const numbers = freeNumbers(options.template, opts.network, opts.date, picked.length, rng);
  const alerts: Alert[] = [];
  const trapTruth = new Map<string, 0 | 1>();
  const keep = new Set<string>();
  picked.forEach((j, k) => {
    const id = alertId(opts.network, opts.date, numbers[k]);
    alerts.push({ ...batch.alerts[j], alert_id: id });
    trapTruth.set(id, truth.alerts[j].positive ? 1 : 0);
    keep.add(batch.alerts[j].address);
    for (const cp of JSON.parse(batch.alerts[j].evidence_json as string).top_counterparties as string[])
      keep.add(cp);
  });
  const rows: number[] = [];
  batch.features.address.forEach((a, i) => {
    if (keep.has(a)) rows.push(i);
  });
  const columns = new Map<string, Float64Array>();
  for (const [name, col] of batch.features.columns)
    columns.set(
      name,
      Float64Array.from(rows, (i) => col[i]),
    );
  return {
    alerts,
    features: { address: rows.map((i) => batch.features.address[i]), columns },
    flows: batch.money_flows.filter((f) => keep.has(f.from_address) && keep.has(f.to_address)),
    truth: trapTruth,
  };
}
