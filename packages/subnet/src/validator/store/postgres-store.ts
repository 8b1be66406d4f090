/**
 * The PostgreSQL store (`--store.url postgres://...`): the same schema and behaviour as SqliteStore,
 * for operators who run several validator processes or query the tables themselves. Each method is
 * one transaction on a pooled connection; migrations run once under an advisory lock, so two
 * processes starting together do not race. Bulk rows (traps, canonical scores) go in as arrays
 * through unnest(), one statement per table instead of one per row.
 */
import pg from 'pg';
import { packAnswer } from './codec.js';
import { MIGRATIONS } from './migrations.js';
import {
  answerFrom,
  batchFrom,
  canonicalFrom,
  cycleFrom,
  pendingRevealFrom,
  performanceFrom,
  type Row,
  tierFrom,
  trapFrom,
  weightFrom,
} from './rows.js';
import type {
  AnswerRecord,
  BatchRecord,
  CanonicalRecord,
  CycleRecord,
  CycleStage,
  PendingReveal,
  PerformancePoint,
  TierRecord,
  TrapRecord,
  ValidatorStore,
  WeightSubmission,
} from './types.js';

type Tx = pg.PoolClient;

/** Translates the portable SQLite migration SQL to PostgreSQL's dialect (ms timestamps need 64 bits). */
export function toPostgresSql(sql: string): string {
  return sql
    .replace(/\bINTEGER PRIMARY KEY\b/g, 'BIGSERIAL PRIMARY KEY')
    .replace(/\bINTEGER\b/g, 'BIGINT')
    .replace(/\bREAL\b/g, 'DOUBLE PRECISION')
    .replace(/\bBLOB\b/g, 'BYTEA');
}

const MIGRATION_LOCK = 0x616d6c; // 'aml': one advisory lock key for all validator schemas

const nanToNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export interface PostgresStoreOptions {
  /** Schema holding the tables (created when missing); default: the connection's search_path. */
  schema?: string;
  /** Pool size (default 4). */
  maxConnections?: number;
}

export class PostgresStore implements ValidatorStore {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects, creates the schema when missing and applies pending migrations. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new Error(`invalid schema name "${schema}"`);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 4,
      // Without a schema option the URL decides (e.g. ?options=-c%20search_path%3Dmine).
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    const store = new PostgresStore(pool);
    try {
      await store.tx(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        if (schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await c.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)',
        );
        const applied = new Set(
          (await c.query('SELECT version FROM schema_migrations')).rows.map((r: Row) => Number(r.version)),
        );
        for (const [i, sql] of MIGRATIONS.entries()) {
          if (applied.has(i + 1)) continue;
          await c.query(toPostgresSql(sql));
          await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
            i + 1,
            Date.now(),
          ]);
        }
      });
    } catch (err) {
      await pool.end();
      throw err;
    }
    return store;
  }

  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  private async tx<T>(work: (c: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await work(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  private async rows(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, params)).rows as Row[];
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async putBatch(b: BatchRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO batches (batch_id, network, processing_date, window_days, alert_count, source)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (batch_id) DO UPDATE SET alert_count = excluded.alert_count, source = excluded.source`,
      [b.batchId, b.network, b.processingDate, b.windowDays, b.alertCount, b.source],
    );
  }

  async getBatch(batchId: string): Promise<BatchRecord | undefined> {
    const [r] = await this.rows('SELECT * FROM batches WHERE batch_id = $1', [batchId]);
    return r ? batchFrom(r) : undefined;
  }

  async beginCycle(batchId: string, trapSeed: number, now: number): Promise<CycleRecord> {
    const [r] = await this.rows(
      `INSERT INTO cycles (batch_id, stage, trap_seed, started_at, updated_at)
       VALUES ($1, 'started', $2, $3, $3) RETURNING *`,
      [batchId, trapSeed, now],
    );
    return cycleFrom(r);
  }

  async openCycle(): Promise<CycleRecord | undefined> {
    const [r] = await this.rows(
      "SELECT * FROM cycles WHERE stage <> 'complete' ORDER BY cycle_id DESC LIMIT 1",
    );
    return r ? cycleFrom(r) : undefined;
  }

  async latestCycle(): Promise<CycleRecord | undefined> {
    const [r] = await this.rows('SELECT * FROM cycles ORDER BY cycle_id DESC LIMIT 1');
    return r ? cycleFrom(r) : undefined;
  }

  async setCycleStage(cycleId: number, stage: CycleStage, now: number): Promise<void> {
    await this.pool.query('UPDATE cycles SET stage = $1, updated_at = $2 WHERE cycle_id = $3', [
      stage,
      now,
      cycleId,
    ]);
  }

  async putTraps(cycleId: number, traps: readonly TrapRecord[]): Promise<void> {
    await this.pool.query(
      `INSERT INTO traps (cycle_id, alert_id, truth)
       SELECT $1, t.alert_id, t.truth FROM unnest($2::text[], $3::bigint[]) AS t(alert_id, truth)
       ON CONFLICT (cycle_id, alert_id) DO UPDATE SET truth = excluded.truth`,
      [cycleId, traps.map((t) => t.alertId), traps.map((t) => t.truth)],
    );
  }

  async traps(cycleId: number): Promise<TrapRecord[]> {
    return (
      await this.rows('SELECT alert_id, truth FROM traps WHERE cycle_id = $1 ORDER BY alert_id', [cycleId])
    ).map(trapFrom);
  }

  async putAnswers(cycleId: number, answers: readonly AnswerRecord[], now: number): Promise<void> {
    const packed = answers.map((a) => packAnswer(a.answer));
    await this.tx(async (c) => {
      for (const [i, a] of answers.entries()) {
        await c.query(
          `INSERT INTO answers (cycle_id, hotkey, uid, status_code, elapsed_ms, model_version, answer_gz, error)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (cycle_id, hotkey) DO UPDATE SET uid = excluded.uid, status_code = excluded.status_code,
             elapsed_ms = excluded.elapsed_ms, model_version = excluded.model_version,
             answer_gz = excluded.answer_gz, error = excluded.error`,
          [cycleId, a.hotkey, a.uid, a.statusCode, a.elapsedMs, a.modelVersion, packed[i], a.error ?? null],
        );
      }
      await c.query("UPDATE cycles SET stage = 'queried', updated_at = $1 WHERE cycle_id = $2", [
        now,
        cycleId,
      ]);
    });
  }

  async answers(cycleId: number): Promise<AnswerRecord[]> {
    return (await this.rows('SELECT * FROM answers WHERE cycle_id = $1 ORDER BY uid, hotkey', [cycleId])).map(
      answerFrom,
    );
  }

  async putTierResults(cycleId: number, results: readonly TierRecord[], now: number): Promise<void> {
    await this.tx(async (c) => {
      for (const t of results) {
        await c.query(
          `INSERT INTO tier_results (cycle_id, hotkey, uid, t1, t1_failure, t2, t2_detail, immediate, t3, final, settled)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (cycle_id, hotkey) DO UPDATE SET uid = excluded.uid, t1 = excluded.t1,
             t1_failure = excluded.t1_failure, t2 = excluded.t2, t2_detail = excluded.t2_detail,
             immediate = excluded.immediate, t3 = excluded.t3, final = excluded.final, settled = excluded.settled`,
          [
            cycleId,
            t.hotkey,
            t.uid,
            t.t1,
            t.t1Failure,
            t.t2,
            JSON.stringify(t.t2Detail ?? null),
            t.immediate,
            t.t3 ?? null,
            t.final ?? null,
            t.final === undefined || t.final === null ? 0 : 1,
          ],
        );
      }
      await c.query("UPDATE cycles SET stage = 'scored', updated_at = $1 WHERE cycle_id = $2", [
        now,
        cycleId,
      ]);
    });
  }

  async tierResults(cycleId: number): Promise<TierRecord[]> {
    return (
      await this.rows('SELECT * FROM tier_results WHERE cycle_id = $1 ORDER BY uid, hotkey', [cycleId])
    ).map(tierFrom);
  }

  async settleTier3(cycleId: number, hotkey: string, t3: number | null, final: number): Promise<void> {
    await this.pool.query(
      'UPDATE tier_results SET t3 = $1, final = $2, settled = 1 WHERE cycle_id = $3 AND hotkey = $4',
      [t3, final, cycleId, hotkey],
    );
  }

  async unsettledCycles(): Promise<CycleRecord[]> {
    return (
      await this.rows(
        `SELECT * FROM cycles WHERE cycle_id IN (SELECT DISTINCT cycle_id FROM tier_results WHERE settled = 0)
         ORDER BY cycle_id`,
      )
    ).map(cycleFrom);
  }

  async performanceHistory(hotkey: string, limit: number): Promise<PerformancePoint[]> {
    return (
      await this.rows(
        'SELECT cycle_id, immediate, final FROM tier_results WHERE hotkey = $1 ORDER BY cycle_id DESC LIMIT $2',
        [hotkey, limit],
      )
    ).map(performanceFrom);
  }

  async putCanonical(
    cycleId: number,
    batchId: string,
    rows: readonly CanonicalRecord[],
    now: number,
  ): Promise<void> {
    await this.tx(async (c) => {
      await c.query(
        `INSERT INTO canonical_scores (batch_id, cycle_id, alert_id, score, std, miner_count)
         SELECT $1, $2, r.alert_id, r.score, r.std, r.miner_count
         FROM unnest($3::text[], $4::double precision[], $5::double precision[], $6::bigint[])
           AS r(alert_id, score, std, miner_count)
         ON CONFLICT (batch_id, alert_id) DO UPDATE SET cycle_id = excluded.cycle_id, score = excluded.score,
           std = excluded.std, miner_count = excluded.miner_count`,
        [
          batchId,
          cycleId,
          rows.map((r) => r.alertId),
          rows.map((r) => nanToNull(r.score)),
          rows.map((r) => nanToNull(r.std)),
          rows.map((r) => r.minerCount),
        ],
      );
      await c.query("UPDATE cycles SET stage = 'ensembled', updated_at = $1 WHERE cycle_id = $2", [
        now,
        cycleId,
      ]);
    });
  }

  async canonical(batchId: string): Promise<CanonicalRecord[]> {
    return (
      await this.rows('SELECT * FROM canonical_scores WHERE batch_id = $1 ORDER BY alert_id', [batchId])
    ).map(canonicalFrom);
  }

  async firstSeenModelVersion(modelVersion: string, hotkey: string, cycleId: number, now: number) {
    return this.tx(async (c) => {
      await c.query(
        `INSERT INTO model_versions (model_version, hotkey, first_cycle, first_seen) VALUES ($1, $2, $3, $4)
         ON CONFLICT (model_version) DO NOTHING`,
        [modelVersion, hotkey, cycleId, now],
      );
      const [r] = (
        await c.query('SELECT hotkey, first_seen FROM model_versions WHERE model_version = $1', [
          modelVersion,
        ])
      ).rows as Row[];
      return { hotkey: String(r.hotkey), firstSeen: Number(r.first_seen) };
    });
  }

  async recordWeightIntent(
    w: Omit<WeightSubmission, 'id' | 'status' | 'detail' | 'createdAt'>,
    now: number,
  ): Promise<number> {
    const [r] = await this.rows(
      `INSERT INTO weight_submissions (cycle_id, block, kind, uids, weights, status, detail, created_at)
       VALUES ($1, $2, $3, $4, $5, 'intent', NULL, $6) RETURNING id`,
      [w.cycleId, w.block, w.kind, JSON.stringify(w.uids), JSON.stringify(w.weights), now],
    );
    return Number(r.id);
  }

  async resolveWeightSubmission(
    id: number,
    status: Exclude<WeightSubmission['status'], 'intent'>,
    detail: string | null,
  ): Promise<void> {
    await this.pool.query('UPDATE weight_submissions SET status = $1, detail = $2 WHERE id = $3', [
      status,
      detail,
      id,
    ]);
  }

  async lastWeightSubmission(kinds: readonly WeightSubmission['kind'][] = ['set', 'commit']) {
    const [r] = await this.rows(
      'SELECT * FROM weight_submissions WHERE kind = ANY($1::text[]) ORDER BY id DESC LIMIT 1',
      [[...kinds]],
    );
    return r ? weightFrom(r) : undefined;
  }

  async unresolvedWeightSubmissions(): Promise<WeightSubmission[]> {
    return (await this.rows("SELECT * FROM weight_submissions WHERE status = 'intent' ORDER BY id")).map(
      weightFrom,
    );
  }

  async putPendingReveal(cycleId: number, pending: unknown): Promise<number> {
    const [r] = await this.rows(
      'INSERT INTO pending_reveals (cycle_id, pending) VALUES ($1, $2) RETURNING id',
      [cycleId, JSON.stringify(pending)],
    );
    return Number(r.id);
  }

  async pendingReveals(): Promise<PendingReveal[]> {
    return (await this.rows('SELECT * FROM pending_reveals WHERE revealed = 0 ORDER BY id')).map(
      pendingRevealFrom,
    );
  }

  async markRevealed(id: number): Promise<void> {
    await this.pool.query('UPDATE pending_reveals SET revealed = 1 WHERE id = $1', [id]);
  }
}
