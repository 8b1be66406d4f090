/**
 * SqlDriver for PostgreSQL (`--store.url postgres://...`), for operators who run several validator
 * processes or query the tables themselves: a pooled connection per call or transaction,
 * migrations once under an advisory lock so two processes starting together do not race.
 */
import pg from 'pg';
import { MIGRATIONS } from './migrations.js';
import type { Row } from './rows.js';
import {
  bindable,
  numberedPlaceholders,
  type SqlDriver,
  type SqlExecutor,
  toPostgresSql,
} from './sql-driver.js';

const MIGRATION_LOCK = 0x616d6c; // 'aml': one advisory lock key for all validator schemas

export interface PostgresDriverOptions {
  /** Schema holding the tables (created when missing); default: the connection's search_path. */
  schema?: string;
  /** Pool size (default 4). */
  maxConnections?: number;
}

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    // Without parameters pg uses the simple protocol, which accepts several statements (migrations).
    all: async (sql, params = []) =>
      (params.length === 0
        ? await client.query(sql)
        : await client.query(numberedPlaceholders(sql), params.map(bindable))
      ).rows as Row[],
    run: async (sql, params = []) => {
      if (params.length === 0) await client.query(sql);
      else await client.query(numberedPlaceholders(sql), params.map(bindable));
    },
  };
}

export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly direct: SqlExecutor;

  private constructor(private readonly pool: pg.Pool) {
    this.direct = executor(pool);
  }

  /** Connects, creates the schema when missing and applies pending migrations. */
  static async open(url: string, options: PostgresDriverOptions = {}): Promise<PostgresDriver> {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new Error(`invalid schema name "${schema}"`);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 4,
      // pg waits forever for a connection by default: an unreachable host would hang start-up
      // (and `status`) silently instead of failing with AML_ERR_STORE_UNREACHABLE.
      connectionTimeoutMillis: 10_000,
      // Without a schema option the URL decides (e.g. ?options=-c%20search_path%3Dmine).
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    const driver = new PostgresDriver(pool);
    try {
      await driver.transaction(async (tx) => {
        await tx.run('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
        if (schema) await tx.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await tx.run(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)',
        );
        const applied = new Set(
          (await tx.all('SELECT version FROM schema_migrations')).map((r) => Number(r.version)),
        );
        for (const [i, sql] of MIGRATIONS.entries()) {
          if (applied.has(i + 1)) continue;
          await tx.run(toPostgresSql(sql));
          await tx.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [
            i + 1,
            Date.now(),
          ]);
        }
      });
    } catch (err) {
      await pool.end();
      throw err;
    }
    return driver;
  }

  all(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    return this.direct.all(sql, params);
  }

  run(sql: string, params?: readonly unknown[]): Promise<void> {
    return this.direct.run(sql, params);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await work(executor(client));
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
