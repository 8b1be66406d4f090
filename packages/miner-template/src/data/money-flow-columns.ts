/**
 * A batch's money flows as columns: addresses dictionary-coded (one string per address, an Int32
 * code per flow end), the numbers the features read as Float64Arrays (NaN = missing). At 50,000
 * alerts a batch has ~385,000 flows; as row objects they are ~100 MB of heap in the miner API's
 * worker, as columns ~25 MB (docs/api.md, "Memory").
 *
 * A Batch decoded from Arrow carries its flows this way when every flow passes the row checks
 * column by column (`arrowFlowColumns`); its `money_flows` rows are then built only if something
 * reads them (the features never do: `flowColumnsOf`), exactly as the row parser builds them, so
 * every other reader sees the same Batch as before.
 */
import type { MoneyFlow } from '../schemas/money-flow.js';
import type { Batch } from './batch.js';

/** The flow numbers the features read (flow-graph.ts, alert-flow-profile.ts). */
export const FLOW_NUMBER_COLUMNS = [
  'tx_count',
  'amount_usd_sum',
  'first_seen_timestamp',
  'last_seen_timestamp',
  'active_days',
  'avg_tx_size_usd',
] as const;
export type FlowNumberColumn = (typeof FLOW_NUMBER_COLUMNS)[number];

export interface MoneyFlowColumns {
  readonly length: number;
  /**
   * Each distinct address once, in order of first appearance (from, then to, flow by flow);
   * `from[i]` and `to[i]` index it, so equal codes are equal addresses.
   */
  readonly addresses: readonly string[];
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly numbers: Readonly<Record<FlowNumberColumn, Float64Array>>;
}

/** Codes addresses in order of first appearance (from, then to, flow by flow). */
class AddressCoder {
  readonly addresses: string[] = [];
  private readonly codes = new Map<string, number>();

  code(address: string): number {
    let code = this.codes.get(address);
    if (code === undefined) {
      code = this.addresses.length;
      this.codes.set(address, code);
      this.addresses.push(address);
    }
    return code;
  }
}

function codeEnds(n: number, fromOf: (i: number) => string, toOf: (i: number) => string) {
  const coder = new AddressCoder();
  const from = new Int32Array(n);
  const to = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    from[i] = coder.code(fromOf(i));
    to[i] = coder.code(toOf(i));
  }
  return { addresses: coder.addresses, from, to };
}

/** Parsed rows as columns (a JSON body, a generated batch): the values the rows hold. */
export function flowColumnsFromRows(rows: readonly MoneyFlow[]): MoneyFlowColumns {
  const n = rows.length;
  const numbers = {} as Record<FlowNumberColumn, Float64Array>;
  for (const name of FLOW_NUMBER_COLUMNS) {
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = rows[i]![name];
    numbers[name] = column;
  }
  return {
    length: n,
    ...codeEnds(
      n,
      (i) => rows[i]!.from_address,
      (i) => rows[i]!.to_address,
    ),
    numbers,
  };
}

// ---------------------------------------------------------------- Arrow columns, checked

/** A decoded Arrow column: numbers unboxed (NaN = missing), anything else as cells (null = missing). */
export type ArrowCells = Float64Array | readonly unknown[];

/**
 * What each field's row check (schemas/fast-rows.ts, MONEY_FLOW_FIELDS) accepts, as a test on a
 * whole column: an absent column reads as every cell missing. A column that fails is not refused
 * here: the caller takes the rows path, whose checks (and errors) are the schema's.
 */
const NUMBER_CHECKS: Record<string, (v: number) => boolean> = {
  tx_count: Number.isInteger,
  amount_usd_sum: () => true,
  first_seen_timestamp: (v) => v >= 0,
  last_seen_timestamp: (v) => v >= 0,
  active_days: Number.isInteger,
  avg_tx_size_usd: () => true,
  unique_assets: Number.isInteger,
  reciprocity_ratio: (v) => v >= 0 && v <= 1,
};

function numbersPass(cells: ArrowCells | undefined, check: (v: number) => boolean): boolean {
  if (cells === undefined) return true;
  if (!(cells instanceof Float64Array)) return false;
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isFinite(v) || !check(v)) return false;
  }
  return true;
}

function cellsPass(cells: ArrowCells | undefined, check: (v: unknown) => boolean): boolean {
  if (cells === undefined) return true;
  if (cells instanceof Float64Array) return false;
  for (let i = 0; i < cells.length; i++) if (!check(cells[i])) return false;
  return true;
}

const isAddress = (v: unknown) => typeof v === 'string' && v.length > 0;
const isTextOrMissing = (v: unknown) => v === null || typeof v === 'string';
const isBoolOrMissing = (v: unknown) => v === null || typeof v === 'boolean';

/**
 * The flows of an Arrow table as columns, when every row passes the row checks (so the rows the
 * row parser would build are all valid); undefined when any row might not, for the rows path.
 */
export function arrowFlowColumns(
  cellsOf: (name: string) => ArrowCells | undefined | null,
  length: number,
): MoneyFlowColumns | undefined {
  const fields = [
    'from_address',
    'to_address',
    ...Object.keys(NUMBER_CHECKS),
    'dominant_asset',
    'is_bidirectional',
  ];
  // a field in several columns: a row reads it cell by cell, so the rows path decides
  if (fields.some((name) => cellsOf(name) === null)) return undefined;
  const column = (name: string) => cellsOf(name) ?? undefined;
  const from = column('from_address');
  const to = column('to_address');
  if (from === undefined || to === undefined) return undefined;
  if (!cellsPass(from, isAddress) || !cellsPass(to, isAddress)) return undefined;
  for (const [name, check] of Object.entries(NUMBER_CHECKS)) {
    if (!numbersPass(column(name), check)) return undefined;
  }
  if (!cellsPass(column('dominant_asset'), isTextOrMissing)) return undefined;
  if (!cellsPass(column('is_bidirectional'), isBoolOrMissing)) return undefined;
  const numbers = {} as Record<FlowNumberColumn, Float64Array>;
  for (const name of FLOW_NUMBER_COLUMNS) {
    numbers[name] = (column(name) as Float64Array | undefined) ?? new Float64Array(length).fill(Number.NaN);
  }
  const fromCells = from as readonly string[];
  const toCells = to as readonly string[];
  return {
    length,
    ...codeEnds(
      length,
      (i) => fromCells[i]!,
      (i) => toCells[i]!,
    ),
    numbers,
  };
}

// ---------------------------------------------------------------- on a Batch

const COLUMNS = Symbol('money-flow-columns');
type WithColumns = Batch & { [COLUMNS]?: MoneyFlowColumns };

/**
 * A Batch whose flows are `columns`; its `money_flows` rows are built by `rows` when first read
 * (and a Batch whose `money_flows` is assigned forgets the columns). Key order and enumerable keys
 * are a plain Batch's.
 */
export function batchWithFlowColumns(
  base: Omit<Batch, 'money_flows'>,
  columns: MoneyFlowColumns,
  rows: () => MoneyFlow[],
): Batch {
  const batch = { key: base.key, alerts: base.alerts, features: base.features, clusters: base.clusters };
  let built: MoneyFlow[] | undefined;
  Object.defineProperty(batch, COLUMNS, { value: columns, configurable: true });
  Object.defineProperty(batch, 'money_flows', {
    enumerable: true,
    configurable: true,
    get: () => {
      built ??= rows();
      return built;
    },
    set(value: MoneyFlow[]) {
      delete (this as WithColumns)[COLUMNS];
      Object.defineProperty(this, 'money_flows', {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    },
  });
  return batch as Batch;
}

/** The batch's flows as columns: those it carries, else built from its rows. */
export function flowColumnsOf(batch: Batch): MoneyFlowColumns {
  return (batch as WithColumns)[COLUMNS] ?? flowColumnsFromRows(batch.money_flows);
}

/** How many flows the batch has, without building rows it does not hold. */
export function flowCount(batch: Batch): number {
  return (batch as WithColumns)[COLUMNS]?.length ?? batch.money_flows.length;
}
