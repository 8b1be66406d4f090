/**
 * The one thing the two databases differ in: how a statement reaches them. The store writes every
 * query once in the portable subset of SQLite and PostgreSQL, with `?` placeholders; each driver
 * executes it its own way (better-sqlite3 synchronously behind a queue, pg on a pool with `$n`
 * placeholders). The migrations' DDL is translated the same way (`toPostgresSql`).
 */
import type { Row } from './rows.js';

export interface SqlExecutor {
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  run(sql: string, params?: readonly unknown[]): Promise<void>;
}

export interface SqlDriver extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Rewrites `?` placeholders as `$1, $2, …` (queries never contain a literal `?`). */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Translates the portable migration DDL to PostgreSQL (ms timestamps need 64 bits). */
export function toPostgresSql(sql: string): string {
  return sql
    .replace(/\bINTEGER PRIMARY KEY\b/g, 'BIGSERIAL PRIMARY KEY')
    .replace(/\bINTEGER\b/g, 'BIGINT')
    .replace(/\bREAL\b/g, 'DOUBLE PRECISION')
    .replace(/\bBLOB\b/g, 'BYTEA');
}

/** Bound parameters both drivers accept: no undefined, no booleans, no NaN. */
export function bindable(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' && Number.isNaN(v)) return null;
  return v;
}

/**
 * INSERT of many rows as multi-row VALUES statements in chunks (one round trip per chunk on
 * PostgreSQL, one prepared statement per chunk size on SQLite), inside the caller's transaction.
 */
export async function insertMany(
  tx: SqlExecutor,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  onConflict = '',
): Promise<void> {
  const perChunk = Math.max(1, Math.floor(9000 / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    await tx.run(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')} ${onConflict}`,
      chunk.flat(),
    );
  }
}
