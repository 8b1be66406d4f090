/**
 * The embedded default store: SQLite through better-sqlite3, in WAL mode. Each method is one
 * transaction, so a kill -9 between two calls loses nothing either call acknowledged.
 */

import { SqlStore } from './sql-store.js';
import { SqliteDriver } from './sqlite-driver.js';

export class SqliteStore extends SqlStore {
  constructor(path: string) {
    super(new SqliteDriver(path));
  }
}
