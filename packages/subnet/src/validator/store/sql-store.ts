/**
 * The validator's store, written once for both databases: every query is in the portable subset
 * of SQLite and PostgreSQL with `?` placeholders, and a SqlDriver runs it (sqlite-driver.ts,
 * postgres-driver.ts). Each method is one transaction, so when it resolves the step it records is
 * durable and a restart resumes from what the store says.
 */
import type { MortalEra } from '../../chain/types.js';
import type { KnownAxonCodecs } from '../../dendrite/axon-codecs.js';
import { packAnswer, packJson, unpackJson } from './codec.js';
import {
  answerFrom,
  bankEntryFrom,
  batchFrom,
  canonicalFrom,
  cycleFrom,
  nullableNumber,
  pendingRevealFrom,
  type Row,
  tierFrom,
  trapFrom,
  weightFrom,
} from './rows.js';
import { insertMany, type SqlDriver } from './sql-driver.js';
import type {
  AnswerRecord,
  AnswerSummary,
  BankEntry,
  BatchRecord,
  CanonicalRecord,
  CycleRecord,
  CycleStage,
  PendingReveal,
  ScoreWindow,
  SettledTier,
  TierRecord,
  TrapRecord,
  ValidatorStore,
  WeightIntent,
  WeightSubmission,
} from './types.js';

const nanToNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
/** Kept in its own column so the performance window reads it without parsing every detail. */
const trapComponentOf = (t: TierRecord): number | null => {
  const v = (t.t2Detail as { trapComponent?: unknown } | null | undefined)?.trapComponent;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

const UPSERT_ANSWER = `INSERT INTO answers (cycle_id, hotkey, uid, status_code, elapsed_ms, model_version, answer_gz, error)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (cycle_id, hotkey) DO UPDATE SET uid = excluded.uid, status_code = excluded.status_code,
    elapsed_ms = excluded.elapsed_ms, model_version = excluded.model_version,
    answer_gz = excluded.answer_gz, error = excluded.error`;

const answerParams = (cycleId: number, a: AnswerRecord, packed: unknown) => [
  cycleId,
  a.hotkey,
  a.uid,
  a.statusCode,
  a.elapsedMs,
  a.modelVersion,
  packed,
  a.error ?? null,
];

export class SqlStore implements ValidatorStore {
  constructor(protected readonly db: SqlDriver) {}

  async close(): Promise<void> {
    await this.db.close();
  }

  private async one(sql: string, params: readonly unknown[] = []): Promise<Row | undefined> {
    return (await this.db.all(sql, params))[0];
  }

  async putBatch(b: BatchRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO batches (batch_id, network, processing_date, window_days, alert_count, source)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (batch_id) DO UPDATE SET alert_count = excluded.alert_count, source = excluded.source`,
      [b.batchId, b.network, b.processingDate, b.windowDays, b.alertCount, b.source],
    );
  }

  async getBatch(batchId: string): Promise<BatchRecord | undefined> {
    const r = await this.one('SELECT * FROM batches WHERE batch_id = ?', [batchId]);
    return r ? batchFrom(r) : undefined;
  }

  async batchDates(network: string): Promise<string[]> {
    return (
      await this.db.all(
        'SELECT DISTINCT processing_date FROM batches WHERE network = ? ORDER BY processing_date DESC',
        [network],
      )
    ).map((r) => String(r.processing_date));
  }

  async beginCycle(
    batchId: string,
    trapSeed: number,
    now: number,
    extras: { plan?: unknown; traps?: readonly TrapRecord[] } = {},
  ): Promise<CycleRecord> {
    return this.db.transaction(async (tx) => {
      const [r] = await tx.all(
        `INSERT INTO cycles (batch_id, stage, trap_seed, started_at, updated_at, plan_gz)
         VALUES (?, 'started', ?, ?, ?, ?) RETURNING *`,
        [batchId, trapSeed, now, now, extras.plan === undefined ? null : packJson(extras.plan)],
      );
      const cycle = cycleFrom(r);
      if (extras.traps?.length) {
        await insertMany(
          tx,
          'traps',
          ['cycle_id', 'alert_id', 'truth'],
          extras.traps.map((t) => [cycle.cycleId, t.alertId, t.truth]),
        );
      }
      return cycle;
    });
  }

  async cyclePlan(cycleId: number): Promise<unknown> {
    const r = await this.one('SELECT plan_gz FROM cycles WHERE cycle_id = ?', [cycleId]);
    return r ? unpackJson(r.plan_gz as Uint8Array | null) : null;
  }

  async updateCycleReport(cycleId: number, patch: Record<string, unknown>): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [r] = await tx.all('SELECT report FROM cycles WHERE cycle_id = ?', [cycleId]);
      const current = r?.report ? (JSON.parse(String(r.report)) as Record<string, unknown>) : {};
      await tx.run('UPDATE cycles SET report = ? WHERE cycle_id = ?', [
        JSON.stringify({ ...current, ...patch }),
        cycleId,
      ]);
    });
  }

  async cycleReport(cycleId: number): Promise<Record<string, unknown>> {
    const r = await this.one('SELECT report FROM cycles WHERE cycle_id = ?', [cycleId]);
    return r?.report ? (JSON.parse(String(r.report)) as Record<string, unknown>) : {};
  }

  async recentCycles(limit: number): Promise<CycleRecord[]> {
    return (await this.db.all('SELECT * FROM cycles ORDER BY cycle_id DESC LIMIT ?', [limit])).map(cycleFrom);
  }

  async putTrapPool(batchId: string, seed: number, pool: unknown): Promise<unknown> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        'INSERT INTO trap_pools (batch_id, seed, payload_gz) VALUES (?, ?, ?) ON CONFLICT (batch_id) DO NOTHING',
        [batchId, seed, packJson(pool)],
      );
      const [r] = await tx.all('SELECT payload_gz FROM trap_pools WHERE batch_id = ?', [batchId]);
      return unpackJson(r.payload_gz as Uint8Array);
    });
  }

  async trapPool(batchId: string): Promise<unknown> {
    const r = await this.one('SELECT payload_gz FROM trap_pools WHERE batch_id = ?', [batchId]);
    return r ? unpackJson(r.payload_gz as Uint8Array) : undefined;
  }

  async openCycle(): Promise<CycleRecord | undefined> {
    const r = await this.one("SELECT * FROM cycles WHERE stage <> 'complete' ORDER BY cycle_id DESC LIMIT 1");
    return r ? cycleFrom(r) : undefined;
  }

  async latestCycle(): Promise<CycleRecord | undefined> {
    const r = await this.one('SELECT * FROM cycles ORDER BY cycle_id DESC LIMIT 1');
    return r ? cycleFrom(r) : undefined;
  }

  async setCycleStage(cycleId: number, stage: CycleStage, now: number): Promise<void> {
    await this.db.run('UPDATE cycles SET stage = ?, updated_at = ? WHERE cycle_id = ?', [
      stage,
      now,
      cycleId,
    ]);
  }

  async putTraps(cycleId: number, traps: readonly TrapRecord[]): Promise<void> {
    await this.db.transaction((tx) =>
      insertMany(
        tx,
        'traps',
        ['cycle_id', 'alert_id', 'truth'],
        traps.map((t) => [cycleId, t.alertId, t.truth]),
        'ON CONFLICT (cycle_id, alert_id) DO UPDATE SET truth = excluded.truth',
      ),
    );
  }

  async traps(cycleId: number): Promise<TrapRecord[]> {
    return (
      await this.db.all('SELECT alert_id, truth FROM traps WHERE cycle_id = ? ORDER BY alert_id', [cycleId])
    ).map(trapFrom);
  }

  async putAnswer(cycleId: number, answer: AnswerRecord): Promise<void> {
    const packed = packAnswer(answer.answer);
    await this.db.transaction(async (tx) => {
      await tx.run(UPSERT_ANSWER, answerParams(cycleId, answer, packed));
    });
  }

  async putAnswers(cycleId: number, answers: readonly AnswerRecord[], now: number): Promise<void> {
    const packed = answers.map((a) => packAnswer(a.answer));
    await this.db.transaction(async (tx) => {
      for (const [i, a] of answers.entries())
        await tx.run(UPSERT_ANSWER, answerParams(cycleId, a, packed[i]));
      await tx.run("UPDATE cycles SET stage = 'queried', updated_at = ? WHERE cycle_id = ?", [now, cycleId]);
    });
  }

  async answers(cycleId: number): Promise<AnswerRecord[]> {
    return (
      await this.db.all('SELECT * FROM answers WHERE cycle_id = ? ORDER BY uid, hotkey', [cycleId])
    ).map(answerFrom);
  }

  async answerOf(cycleId: number, hotkey: string): Promise<AnswerRecord | undefined> {
    const rows = await this.db.all('SELECT * FROM answers WHERE cycle_id = ? AND hotkey = ?', [
      cycleId,
      hotkey,
    ]);
    return rows.length === 0 ? undefined : answerFrom(rows[0]);
  }

  async answerSummaries(cycleId: number): Promise<AnswerSummary[]> {
    // LENGTH of a BLOB (SQLite) or BYTEA (PostgreSQL) is its size in bytes in both dialects
    return (
      await this.db.all(
        `SELECT hotkey, uid, status_code, elapsed_ms, model_version, error, LENGTH(answer_gz) AS stored_bytes
         FROM answers WHERE cycle_id = ? ORDER BY uid, hotkey`,
        [cycleId],
      )
    ).map((r) => ({
      hotkey: String(r.hotkey),
      uid: Number(r.uid),
      statusCode: Number(r.status_code),
      elapsedMs: Number(r.elapsed_ms),
      modelVersion:
        r.model_version === null || r.model_version === undefined ? null : String(r.model_version),
      error: r.error === null || r.error === undefined ? null : String(r.error),
      storedBytes: Number(r.stored_bytes ?? 0),
    }));
  }

  async putTierResults(cycleId: number, results: readonly TierRecord[], now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const t of results) {
        await tx.run(
          `INSERT INTO tier_results
             (cycle_id, hotkey, uid, t1, t1_failure, t2, t2_detail, immediate, t3, final, settled, copy_of, t2_settled,
              trap_component)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (cycle_id, hotkey) DO UPDATE SET uid = excluded.uid, t1 = excluded.t1,
             t1_failure = excluded.t1_failure, t2 = excluded.t2, t2_detail = excluded.t2_detail,
             immediate = excluded.immediate, t3 = excluded.t3, final = excluded.final, settled = excluded.settled,
             copy_of = excluded.copy_of, t2_settled = excluded.t2_settled, trap_component = excluded.trap_component`,
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
            t.copyOf ?? null,
            t.t2Settled ?? null,
            trapComponentOf(t),
          ],
        );
      }
      await tx.run("UPDATE cycles SET stage = 'scored', updated_at = ? WHERE cycle_id = ?", [now, cycleId]);
    });
  }

  async tierResults(cycleId: number): Promise<TierRecord[]> {
    return (
      await this.db.all('SELECT * FROM tier_results WHERE cycle_id = ? ORDER BY uid, hotkey', [cycleId])
    ).map(tierFrom);
  }

  async settleTier3(cycleId: number, settled: readonly SettledTier[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const s of settled) {
        await tx.run(
          'UPDATE tier_results SET t3 = ?, final = ?, t2_settled = ?, settled = 1 WHERE cycle_id = ? AND hotkey = ?',
          [s.t3, s.final, s.t2Settled, cycleId, s.hotkey],
        );
      }
    });
  }

  async unsettledCycles(): Promise<CycleRecord[]> {
    return (
      await this.db.all(
        `SELECT * FROM cycles WHERE cycle_id IN (SELECT DISTINCT cycle_id FROM tier_results WHERE settled = 0)
         ORDER BY cycle_id`,
      )
    ).map(cycleFrom);
  }

  async scoreWindow(network: string, fromDate: string, toDate: string): Promise<ScoreWindow> {
    const inWindow = `FROM cycles c JOIN batches b ON b.batch_id = c.batch_id
      WHERE b.network = ? AND b.processing_date >= ? AND b.processing_date <= ?
        AND c.stage IN ('scored', 'ensembled', 'weights', 'complete')`;
    const params = [network, fromDate, toDate];
    const cycles = (
      await this.db.all(`SELECT c.cycle_id, b.processing_date ${inWindow} ORDER BY c.cycle_id`, params)
    ).map((r) => ({ cycleId: Number(r.cycle_id), batchDate: String(r.processing_date) }));
    const rows = (
      await this.db.all(
        `SELECT t.cycle_id, t.hotkey, t.uid, t.t1, t.t2, t.t2_settled, t.trap_component, t.copy_of, t.t3, t.settled
         FROM tier_results t WHERE t.cycle_id IN (SELECT c.cycle_id ${inWindow}) ORDER BY t.cycle_id, t.hotkey`,
        params,
      )
    ).map((r) => ({
      cycleId: Number(r.cycle_id),
      hotkey: String(r.hotkey),
      uid: Number(r.uid),
      t1: Number(r.t1),
      t2: nullableNumber(r.t2),
      t2Settled: nullableNumber(r.t2_settled),
      trapComponent: nullableNumber(r.trap_component),
      copyOf: r.copy_of === null || r.copy_of === undefined ? null : String(r.copy_of),
      t3: nullableNumber(r.t3),
      settled: Number(r.settled) === 1,
    }));
    const firstCycle = new Map<string, number>();
    for (const r of await this.db.all(
      `SELECT hotkey, MIN(cycle_id) AS first FROM tier_results
       WHERE hotkey IN (SELECT DISTINCT t.hotkey FROM tier_results t WHERE t.cycle_id IN (SELECT c.cycle_id ${inWindow}))
       GROUP BY hotkey`,
      params,
    ))
      firstCycle.set(String(r.hotkey), Number(r.first));
    return { cycles, rows, firstCycle };
  }

  async putCanonical(
    cycleId: number,
    batchId: string,
    rows: readonly CanonicalRecord[],
    now: number,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await insertMany(
        tx,
        'canonical_scores',
        ['batch_id', 'cycle_id', 'alert_id', 'score', 'std', 'miner_count', 'source'],
        rows.map((r) => [
          batchId,
          cycleId,
          r.alertId,
          nanToNull(r.score),
          nanToNull(r.std),
          r.minerCount,
          r.source ?? 'ensemble',
        ]),
        `ON CONFLICT (batch_id, alert_id) DO UPDATE SET cycle_id = excluded.cycle_id, score = excluded.score,
           std = excluded.std, miner_count = excluded.miner_count, source = excluded.source`,
      );
      await tx.run("UPDATE cycles SET stage = 'ensembled', updated_at = ? WHERE cycle_id = ?", [
        now,
        cycleId,
      ]);
    });
  }

  async canonical(batchId: string): Promise<CanonicalRecord[]> {
    return (
      await this.db.all('SELECT * FROM canonical_scores WHERE batch_id = ? ORDER BY alert_id', [batchId])
    ).map(canonicalFrom);
  }

  async addToTrapBank(
    network: string,
    batchId: string,
    entries: readonly { alertId: string; address: string; truth: 0 | 1; payload: unknown }[],
    now: number,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [done] = await tx.all('SELECT batch_id FROM bank_sources WHERE batch_id = ?', [batchId]);
      if (done) return;
      await insertMany(
        tx,
        'trap_bank',
        ['network', 'batch_id', 'alert_id', 'address', 'truth', 'payload_gz', 'added_at'],
        entries.map((e) => [network, batchId, e.alertId, e.address, e.truth, packJson(e.payload), now]),
        'ON CONFLICT (batch_id, alert_id) DO NOTHING',
      );
      await tx.run('INSERT INTO bank_sources (batch_id, added, added_at) VALUES (?, ?, ?)', [
        batchId,
        entries.length,
        now,
      ]);
    });
  }

  async trapBankSources(): Promise<Set<string>> {
    return new Set((await this.db.all('SELECT batch_id FROM bank_sources')).map((r) => String(r.batch_id)));
  }

  async trapBankIndex(network: string): Promise<BankEntry[]> {
    return (
      await this.db.all(
        'SELECT id, network, batch_id, alert_id, address, truth, uses FROM trap_bank WHERE network = ? ORDER BY id',
        [network],
      )
    ).map(bankEntryFrom);
  }

  async trapBankPayloads(ids: readonly number[]): Promise<Map<number, unknown>> {
    const out = new Map<number, unknown>();
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      const rows = await this.db.all(
        `SELECT id, payload_gz FROM trap_bank WHERE id IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const r of rows) out.set(Number(r.id), unpackJson(r.payload_gz as Uint8Array));
    }
    return out;
  }

  async markTrapBankUsed(ids: readonly number[], date: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (let start = 0; start < ids.length; start += 500) {
        const chunk = ids.slice(start, start + 500);
        await tx.run(
          `UPDATE trap_bank SET uses = uses + 1, last_used = ? WHERE id IN (${chunk.map(() => '?').join(', ')})`,
          [date, ...chunk],
        );
      }
    });
  }

  async pruneTrapBank(network: string, keep: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [r] = await tx.all('SELECT COUNT(*) AS n FROM trap_bank WHERE network = ?', [network]);
      const excess = Number(r.n) - keep;
      if (excess <= 0) return 0;
      await tx.run(
        `DELETE FROM trap_bank WHERE id IN (SELECT id FROM trap_bank WHERE network = ? ORDER BY id LIMIT ?)`,
        [network, excess],
      );
      return excess;
    });
  }

  async recordWeightIntent(w: WeightIntent, now: number): Promise<number> {
    const [r] = await this.db.all(
      `INSERT INTO weight_submissions (cycle_id, block, kind, uids, weights, status, detail, created_at, mortal, reveal_id)
       VALUES (?, ?, ?, ?, ?, 'intent', NULL, ?, 1, ?) RETURNING id`,
      [
        w.cycleId,
        w.block,
        w.kind,
        JSON.stringify(w.uids),
        JSON.stringify(w.weights),
        now,
        w.revealId ?? null,
      ],
    );
    return Number(r.id);
  }

  async recordWeightSigned(id: number, txHash: string, era: MortalEra): Promise<void> {
    await this.db.run(
      'UPDATE weight_submissions SET tx_hash = ?, era_birth = ?, era_period = ? WHERE id = ?',
      [txHash, era.birth, era.period, id],
    );
  }

  async resolveWeightSubmission(
    id: number,
    status: Exclude<WeightSubmission['status'], 'intent'>,
    detail: string | null,
  ): Promise<void> {
    await this.db.run('UPDATE weight_submissions SET status = ?, detail = ? WHERE id = ?', [
      status,
      detail,
      id,
    ]);
  }

  async lastWeightSubmission(kinds: readonly WeightSubmission['kind'][] = ['set', 'commit']) {
    const r = await this.one(
      `SELECT * FROM weight_submissions WHERE kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT 1`,
      kinds,
    );
    return r ? weightFrom(r) : undefined;
  }

  async unresolvedWeightSubmissions(
    kinds: readonly WeightSubmission['kind'][] = ['set', 'commit', 'reveal'],
  ): Promise<WeightSubmission[]> {
    const rows = await this.db.all(
      `SELECT * FROM weight_submissions WHERE status = 'intent' AND kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY id`,
      kinds,
    );
    return rows.map(weightFrom);
  }

  async axonCodecs(): Promise<KnownAxonCodecs[]> {
    return (await this.db.all('SELECT * FROM axon_codecs ORDER BY hotkey')).map((r) => ({
      hotkey: String(r.hotkey),
      address: String(r.address),
      gzipBody: Number(r.gzip_body) === 1,
      brotliBatch: Number(r.brotli_batch) === 1,
    }));
  }

  async putAxonCodecs(c: KnownAxonCodecs, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO axon_codecs (hotkey, address, gzip_body, brotli_batch, learned_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (hotkey) DO UPDATE SET address = excluded.address, gzip_body = excluded.gzip_body,
         brotli_batch = excluded.brotli_batch, learned_at = excluded.learned_at`,
      [c.hotkey, c.address, c.gzipBody, c.brotliBatch, now],
    );
  }

  async dropAxonCodecs(hotkey: string): Promise<void> {
    await this.db.run('DELETE FROM axon_codecs WHERE hotkey = ?', [hotkey]);
  }

  async putPendingReveal(cycleId: number, pending: unknown): Promise<number> {
    const [r] = await this.db.all(
      'INSERT INTO pending_reveals (cycle_id, pending) VALUES (?, ?) RETURNING id',
      [cycleId, JSON.stringify(pending)],
    );
    return Number(r.id);
  }

  async pendingReveals(): Promise<PendingReveal[]> {
    return (await this.db.all('SELECT * FROM pending_reveals WHERE revealed = 0 ORDER BY id')).map(
      pendingRevealFrom,
    );
  }

  async markRevealed(id: number): Promise<void> {
    await this.db.run('UPDATE pending_reveals SET revealed = 1 WHERE id = ?', [id]);
  }
}
