/**
 * The PostgreSQL store (`--store.url postgres://...`): the same queries and behaviour as
 * SqliteStore, for operators who run several validator processes or query the tables themselves.
 */
import { PostgresDriver, type PostgresDriverOptions } from './postgres-driver.js';
import { SqlStore } from './sql-store.js';

export { toPostgresSql } from './sql-driver.js';
export type PostgresStoreOptions = PostgresDriverOptions;

export class PostgresStore extends SqlStore {
  /** Connects, creates the schema when missing and applies pending migrations. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    return new PostgresStore(await PostgresDriver.open(url, options));
  }
}
