/**
 * Plain JSON feature rows to columns, one row at a time, so a streamed body never holds its rows:
 * the coercion of FeatureRowSchema (numbers kept, booleans 0/1, decimal strings parsed, null and
 * non-finite NaN, non-numeric cells skipped) without a zod parse or an object per row. Columns
 * appear in the order the rows first show them, then canonical order, exactly as
 * featureRowsToTable orders the parsed rows. Values are kept in fixed blocks, so a table of unknown
 * length grows without copying.
 */
import { coerceFeatureValue } from '../schemas/features.js';
import type { FeatureTable } from './batch.js';
import { canonicalColumnOrder } from './feature-table.js';

const BLOCK_BITS = 10;
const BLOCK = 1 << BLOCK_BITS;

/** Plain JSON objects only: their for...in walks own keys, in the order a spread copies them. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

class BlockColumn {
  readonly blocks: Float64Array[] = [];

  set(i: number, value: number): void {
    const b = i >> BLOCK_BITS;
    while (this.blocks.length <= b) this.blocks.push(new Float64Array(BLOCK).fill(Number.NaN));
    this.blocks[b][i & (BLOCK - 1)] = value;
  }

  toArray(n: number): Float64Array {
    const out = new Float64Array(n).fill(Number.NaN);
    for (let b = 0; b < this.blocks.length; b++) {
      const start = b * BLOCK;
      out.set(this.blocks[b].subarray(0, Math.min(BLOCK, n - start)), start);
    }
    return out;
  }
}

export class FeatureColumnsBuilder {
  private readonly address: string[] = [];
  private readonly byName = new Map<string, BlockColumn>();
  // rows usually repeat one key sequence: remember the column at each position to skip the Map
  private readonly lastNames: string[] = [];
  private readonly lastColumns: BlockColumn[] = [];

  get length(): number {
    return this.address.length;
  }

  /**
   * Adds a row; false (and nothing added) when it is not a plain object with a non-empty string
   * address, for the caller to hand to FeatureRowSchema, which names the problem.
   */
  add(row: unknown): boolean {
    if (!isPlainObject(row)) return false;
    const a = row.address;
    if (typeof a !== 'string' || a.length === 0) return false;
    const i = this.address.length;
    this.address.push(a);
    let position = 0;
    for (const name in row) {
      if (name === 'address' || name === '__proto__') continue;
      const value = coerceFeatureValue(row[name]);
      if (value === undefined) continue; // a non-numeric cell: the parsed row has no such key
      let column = this.lastNames[position] === name ? this.lastColumns[position] : this.byName.get(name);
      if (column === undefined) {
        column = new BlockColumn();
        this.byName.set(name, column);
      }
      this.lastNames[position] = name;
      this.lastColumns[position] = column;
      column.set(i, value);
      position++;
    }
    return true;
  }

  /** The table; the builder must not be used afterwards. */
  finish(): FeatureTable {
    const n = this.address.length;
    const columns = new Map<string, Float64Array>();
    for (const name of canonicalColumnOrder(this.byName.keys())) {
      const column = this.byName.get(name)!;
      columns.set(name, column.toArray(n));
      column.blocks.length = 0;
    }
    return { address: this.address, columns };
  }
}
