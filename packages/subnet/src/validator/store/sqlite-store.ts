/**
 * The embedded default store: SQLite through better-sqlite3, in WAL mode. Each method is one
 * transaction, so a kill -9 between two calls loses nothing either call acknowledged.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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

export class SqliteStore implements ValidatorStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
  }

  private migrate(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
    );
    const applied = new Set(
      (this.db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => Number(r.version)),
    );
    MIGRATIONS.forEach((sql, i) => {
      const version = i + 1;
      if (applied.has(version)) return;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db
          .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
          .run(version, Date.now());
      })();
    });
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async putBatch(b: BatchRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO batches (batch_id, network, processing_date, window_days, alert_count, source) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (batch_id) DO UPDATE SET alert_count = excluded.alert_count, source = excluded.source`,
      )
      .run(b.batchId, b.network, b.processingDate, b.windowDays, b.alertCount, b.source);
  }

  async getBatch(batchId: string): Promise<BatchRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM batches WHERE batch_id = ?').get(batchId) as Row | undefined;
    return r ? batchFrom(r) : undefined;
  }

  async beginCycle(batchId: string, trapSeed: number, now: number): Promise<CycleRecord> {
    const info = this.db
      .prepare(
        "INSERT INTO cycles (batch_id, stage, trap_seed, started_at, updated_at) VALUES (?, 'started', ?, ?, ?)",
      )
      .run(batchId, trapSeed, now, now);
    return {
      cycleId: Number(info.lastInsertRowid),
      batchId,
      stage: 'started',
      trapSeed,
      startedAt: now,
      updatedAt: now,
    };
  }

  async openCycle(): Promise<CycleRecord | undefined> {
    const r = this.db
      .prepare("SELECT * FROM cycles WHERE stage <> 'complete' ORDER BY cycle_id DESC LIMIT 1")
      .get() as Row | undefined;
    return r ? cycleFrom(r) : undefined;
  }

  async latestCycle(): Promise<CycleRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM cycles ORDER BY cycle_id DESC LIMIT 1').get() as Row | undefined;
    return r ? cycleFrom(r) : undefined;
  }

  async setCycleStage(cycleId: number, stage: CycleStage, now: number): Promise<void> {
    this.db
      .prepare('UPDATE cycles SET stage = ?, updated_at = ? WHERE cycle_id = ?')
      .run(stage, now, cycleId);
  }

  async putTraps(cycleId: number, traps: readonly TrapRecord[]): Promise<void> {
    const insert = this.db.prepare(
      'INSERT OR REPLACE INTO traps (cycle_id, alert_id, truth) VALUES (?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const t of traps) insert.run(cycleId, t.alertId, t.truth);
    })();
  }

  async traps(cycleId: number): Promise<TrapRecord[]> {
    return (
      this.db
        .prepare('SELECT alert_id, truth FROM traps WHERE cycle_id = ? ORDER BY alert_id')
        .all(cycleId) as Row[]
    ).map(trapFrom);
  }

  async putAnswers(cycleId: number, answers: readonly AnswerRecord[], now: number): Promise<void> {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO answers (cycle_id, hotkey, uid, status_code, elapsed_ms, model_version, answer_gz, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const packed = answers.map((a) => packAnswer(a.answer));
    this.db.transaction(() => {
      answers.forEach((a, i) => {
        insert.run(
          cycleId,
          a.hotkey,
          a.uid,
          a.statusCode,
          a.elapsedMs,
          a.modelVersion,
          packed[i],
          a.error ?? null,
        );
      });
      this.db
        .prepare("UPDATE cycles SET stage = 'queried', updated_at = ? WHERE cycle_id = ?")
        .run(now, cycleId);
    })();
  }

  async answers(cycleId: number): Promise<AnswerRecord[]> {
    return (
      this.db.prepare('SELECT * FROM answers WHERE cycle_id = ? ORDER BY uid, hotkey').all(cycleId) as Row[]
    ).map(answerFrom);
  }

  async putTierResults(cycleId: number, results: readonly TierRecord[], now: number): Promise<void> {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO tier_results (cycle_id, hotkey, uid, t1, t1_failure, t2, t2_detail, immediate, t3, final, settled)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const t of results) {
        insert.run(
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
        );
      }
      this.db
        .prepare("UPDATE cycles SET stage = 'scored', updated_at = ? WHERE cycle_id = ?")
        .run(now, cycleId);
    })();
  }

  async tierResults(cycleId: number): Promise<TierRecord[]> {
    return (
      this.db
        .prepare('SELECT * FROM tier_results WHERE cycle_id = ? ORDER BY uid, hotkey')
        .all(cycleId) as Row[]
    ).map(tierFrom);
  }

  async settleTier3(cycleId: number, hotkey: string, t3: number | null, final: number): Promise<void> {
    this.db
      .prepare('UPDATE tier_results SET t3 = ?, final = ?, settled = 1 WHERE cycle_id = ? AND hotkey = ?')
      .run(t3, final, cycleId, hotkey);
  }

  async unsettledCycles(): Promise<CycleRecord[]> {
    return (
      this.db
        .prepare(
          `SELECT * FROM cycles WHERE cycle_id IN (SELECT DISTINCT cycle_id FROM tier_results WHERE settled = 0)
           ORDER BY cycle_id`,
        )
        .all() as Row[]
    ).map(cycleFrom);
  }

  async performanceHistory(hotkey: string, limit: number): Promise<PerformancePoint[]> {
    return (
      this.db
        .prepare(
          'SELECT cycle_id, immediate, final FROM tier_results WHERE hotkey = ? ORDER BY cycle_id DESC LIMIT ?',
        )
        .all(hotkey, limit) as Row[]
    ).map(performanceFrom);
  }

  async putCanonical(
    cycleId: number,
    batchId: string,
    rows: readonly CanonicalRecord[],
    now: number,
  ): Promise<void> {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO canonical_scores (batch_id, cycle_id, alert_id, score, std, miner_count) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const r of rows) {
        insert.run(
          batchId,
          cycleId,
          r.alertId,
          Number.isNaN(r.score) ? null : r.score,
          Number.isNaN(r.std) ? null : r.std,
          r.minerCount,
        );
      }
      this.db
        .prepare("UPDATE cycles SET stage = 'ensembled', updated_at = ? WHERE cycle_id = ?")
        .run(now, cycleId);
    })();
  }

  async canonical(batchId: string): Promise<CanonicalRecord[]> {
    return (
      this.db
        .prepare('SELECT * FROM canonical_scores WHERE batch_id = ? ORDER BY alert_id')
        .all(batchId) as Row[]
    ).map(canonicalFrom);
  }

  async firstSeenModelVersion(modelVersion: string, hotkey: string, cycleId: number, now: number) {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO model_versions (model_version, hotkey, first_cycle, first_seen) VALUES (?, ?, ?, ?)',
      )
      .run(modelVersion, hotkey, cycleId, now);
    const r = this.db
      .prepare('SELECT hotkey, first_seen FROM model_versions WHERE model_version = ?')
      .get(modelVersion) as Row;
    return { hotkey: String(r.hotkey), firstSeen: Number(r.first_seen) };
  }

  async recordWeightIntent(
    w: Omit<WeightSubmission, 'id' | 'status' | 'detail' | 'createdAt'>,
    now: number,
  ): Promise<number> {
    const info = this.db
      .prepare(
        `INSERT INTO weight_submissions (cycle_id, block, kind, uids, weights, status, detail, created_at)
         VALUES (?, ?, ?, ?, ?, 'intent', NULL, ?)`,
      )
      .run(w.cycleId, w.block, w.kind, JSON.stringify(w.uids), JSON.stringify(w.weights), now);
    return Number(info.lastInsertRowid);
  }

  async resolveWeightSubmission(
    id: number,
    status: Exclude<WeightSubmission['status'], 'intent'>,
    detail: string | null,
  ) {
    this.db
      .prepare('UPDATE weight_submissions SET status = ?, detail = ? WHERE id = ?')
      .run(status, detail, id);
  }

  async lastWeightSubmission(kinds: readonly WeightSubmission['kind'][] = ['set', 'commit']) {
    const placeholders = kinds.map(() => '?').join(', ');
    const r = this.db
      .prepare(`SELECT * FROM weight_submissions WHERE kind IN (${placeholders}) ORDER BY id DESC LIMIT 1`)
      .get(...kinds) as Row | undefined;
    return r ? weightFrom(r) : undefined;
  }

  async unresolvedWeightSubmissions(): Promise<WeightSubmission[]> {
    return (
      this.db.prepare("SELECT * FROM weight_submissions WHERE status = 'intent' ORDER BY id").all() as Row[]
    ).map(weightFrom);
  }

  async putPendingReveal(cycleId: number, pending: unknown): Promise<number> {
    const info = this.db
      .prepare('INSERT INTO pending_reveals (cycle_id, pending) VALUES (?, ?)')
      .run(cycleId, JSON.stringify(pending));
    return Number(info.lastInsertRowid);
  }

  async pendingReveals(): Promise<PendingReveal[]> {
    return (
      this.db.prepare('SELECT * FROM pending_reveals WHERE revealed = 0 ORDER BY id').all() as Row[]
    ).map(pendingRevealFrom);
  }

  async markRevealed(id: number): Promise<void> {
    this.db.prepare('UPDATE pending_reveals SET revealed = 1 WHERE id = ?').run(id);
  }
}
