/**
 * How the generator's features table leaves the "exporter": which upstream columns it carries
 * (every producer fills the core set; many fill only part of the rest, whole groups at a time),
 * which cells are missing, and how USD values are rounded. Real exports differ in exactly these
 * ways, so training on many styles keeps a model from depending on one producer's habits.
 */
import type { FeatureTable } from '../data/batch.js';
import type { Rng } from '../random.js';
import type { Alert } from '../schemas/alert.js';
import type { MoneyFlow } from '../schemas/money-flow.js';
import {
  FEATURE_GROUPS,
  type FeatureGroup,
  UPSTREAM_NUMERIC_COLUMNS,
  upstreamColumnMeta,
} from '../schemas/upstream-features.js';

export const FEATURE_COLUMN_SETS = ['core', 'core+some', 'all'] as const;
export type FeatureColumnSet = (typeof FEATURE_COLUMN_SETS)[number];

export interface ExportStyle {
  /** core: the * columns only; core+some: core plus a seeded half of the other groups; all. */
  featureColumns: FeatureColumnSet;
  /** Mean share of missing cells per non-core column (core columns get a quarter of it). */
  missingRate: number;
  /** Decimals USD values are rounded to; undefined keeps the ledger's cents. */
  amountDecimals?: number;
}

export const DEFAULT_EXPORT_STYLE: ExportStyle = { featureColumns: 'all', missingRate: 0.03 };

/** Share of rows whose enrichment failed upstream: only counts and totals survive. */
const BLACKOUT_ROW_SHARE = 0.01;

/** Counts and totals are facts of the ledger, not estimates: exporters do not drop them. */
const NEVER_MISSING: ReadonlySet<string> = new Set([
  'degree_in',
  'degree_out',
  'degree_total',
  'unique_counterparties',
  'tx_in_count',
  'tx_out_count',
  'tx_total_count',
  'total_in_usd',
  'total_out_usd',
  'net_flow_usd',
  'total_volume_usd',
  'khop1_count',
]);

/** The column groups a style keeps besides the core set. */
export function keptGroups(style: ExportStyle, rng: Rng): Set<FeatureGroup> {
  if (style.featureColumns === 'all') return new Set(FEATURE_GROUPS);
  if (style.featureColumns === 'core') return new Set();
  return new Set(FEATURE_GROUPS.filter(() => rng.bool(0.5)));
}

function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** Applies a style to a complete table (the input is not modified; kept arrays are copies). */
export function applyExportStyle(table: FeatureTable, style: ExportStyle, rng: Rng): FeatureTable {
  const groups = keptGroups(style, rng.fork('groups'));
  const rows = table.address.length;
  const blackout = new Uint8Array(rows);
  const rowRng = rng.fork('rows');
  for (let r = 0; r < rows; r++) blackout[r] = rowRng.bool(BLACKOUT_ROW_SHARE) ? 1 : 0;
  const cellRng = rng.fork('cells');
  const columns = new Map<string, Float64Array>();
  for (const name of UPSTREAM_NUMERIC_COLUMNS) {
    const source = table.columns.get(name);
    const meta = upstreamColumnMeta(name);
    if (source === undefined || meta === undefined) continue;
    if (!meta.core && !groups.has(meta.group)) continue;
    const values = Float64Array.from(source);
    if (!NEVER_MISSING.has(name)) {
      const rate = style.missingRate * (meta.core ? 0.25 : 1) * cellRng.uniform(0.3, 1.7);
      for (let r = 0; r < rows; r++) if (blackout[r] === 1 || cellRng.bool(rate)) values[r] = Number.NaN;
    }
    if (style.amountDecimals !== undefined && meta.kind === 'usd') {
      for (let r = 0; r < rows; r++) values[r] = roundTo(values[r], style.amountDecimals);
    }
    columns.set(name, values);
  }
  return { address: table.address, columns };
}

/** Alert volumes at the style's precision (unchanged when it keeps cents). */
export function roundAlertVolumes(alerts: Alert[], decimals: number | undefined): Alert[] {
  if (decimals === undefined) return alerts;
  return alerts.map((a) => ({ ...a, volume_usd: roundTo(a.volume_usd, decimals) }));
}

/** Flow amounts at the style's precision (unchanged when it keeps cents). */
export function roundFlowAmounts(flows: MoneyFlow[], decimals: number | undefined): MoneyFlow[] {
  if (decimals === undefined) return flows;
  return flows.map((f) => ({
    ...f,
    amount_usd_sum: roundTo(f.amount_usd_sum, decimals),
    avg_tx_size_usd: roundTo(f.avg_tx_size_usd, decimals),
  }));
}
