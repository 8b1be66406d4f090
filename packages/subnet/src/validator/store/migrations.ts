/**
 * Schema migrations, shared by the SQLite and PostgreSQL stores (the SQL is the portable subset of
 * both: INTEGER/REAL/TEXT/BLOB types become BIGINT/DOUBLE PRECISION/TEXT/BYTEA in the PostgreSQL
 * dialect by a small rewrite). Append only: a released migration is never edited.
 */

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE batches (
    batch_id TEXT PRIMARY KEY,
    network TEXT NOT NULL,
    processing_date TEXT NOT NULL,
    window_days INTEGER NOT NULL,
    alert_count INTEGER NOT NULL,
    source TEXT NOT NULL
  );
  CREATE TABLE cycles (
    cycle_id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES batches(batch_id),
    stage TEXT NOT NULL,
    trap_seed INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE traps (
    cycle_id INTEGER NOT NULL REFERENCES cycles(cycle_id),
    alert_id TEXT NOT NULL,
    truth INTEGER NOT NULL,
    PRIMARY KEY (cycle_id, alert_id)
  );
  CREATE TABLE answers (
    cycle_id INTEGER NOT NULL REFERENCES cycles(cycle_id),
    hotkey TEXT NOT NULL,
    uid INTEGER NOT NULL,
    status_code INTEGER NOT NULL,
    elapsed_ms REAL NOT NULL,
    model_version TEXT,
    answer_gz BLOB,
    error TEXT,
    PRIMARY KEY (cycle_id, hotkey)
  );
  CREATE TABLE tier_results (
    cycle_id INTEGER NOT NULL REFERENCES cycles(cycle_id),
    hotkey TEXT NOT NULL,
    uid INTEGER NOT NULL,
    t1 REAL NOT NULL,
    t1_failure TEXT,
    t2 REAL,
    t2_detail TEXT,
    immediate REAL NOT NULL,
    t3 REAL,
    final REAL,
    settled INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cycle_id, hotkey)
  );
  CREATE INDEX tier_results_hotkey ON tier_results(hotkey, cycle_id);
  CREATE TABLE canonical_scores (
    batch_id TEXT NOT NULL,
    cycle_id INTEGER NOT NULL,
    alert_id TEXT NOT NULL,
    score REAL,
    std REAL,
    miner_count INTEGER NOT NULL,
    PRIMARY KEY (batch_id, alert_id)
  );
  CREATE TABLE model_versions (
    model_version TEXT PRIMARY KEY,
    hotkey TEXT NOT NULL,
    first_cycle INTEGER NOT NULL,
    first_seen INTEGER NOT NULL
  );
  CREATE TABLE weight_submissions (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL,
    block INTEGER NOT NULL,
    kind TEXT NOT NULL,
    uids TEXT NOT NULL,
    weights TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE pending_reveals (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL,
    pending TEXT NOT NULL,
    revealed INTEGER NOT NULL DEFAULT 0
  );
  `,
  // 2: scoring that pays only for skill (docs/validator.md): the cycle's trap plan and report, copy
  // verdicts per tier row, where a canonical score came from, and the trap bank of settled alerts.
  `
  ALTER TABLE cycles ADD COLUMN plan_gz BLOB;
  ALTER TABLE cycles ADD COLUMN report TEXT;
  ALTER TABLE tier_results ADD COLUMN copy_of TEXT;
  ALTER TABLE tier_results ADD COLUMN t2_settled REAL;
  ALTER TABLE tier_results ADD COLUMN trap_component REAL;
  ALTER TABLE canonical_scores ADD COLUMN source TEXT NOT NULL DEFAULT 'ensemble';
  CREATE TABLE trap_bank (
    id INTEGER PRIMARY KEY,
    network TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    address TEXT NOT NULL,
    truth INTEGER NOT NULL,
    payload_gz BLOB NOT NULL,
    added_at INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    last_used TEXT,
    UNIQUE (batch_id, alert_id)
  );
  CREATE INDEX trap_bank_network ON trap_bank(network, uses);
  CREATE TABLE bank_sources (
    batch_id TEXT PRIMARY KEY,
    added INTEGER NOT NULL,
    added_at INTEGER NOT NULL
  );
  CREATE TABLE trap_pools (
    batch_id TEXT PRIMARY KEY,
    seed INTEGER NOT NULL,
    payload_gz BLOB NOT NULL
  );
  CREATE INDEX batches_date ON batches(network, processing_date);
  `,
  // 3: exactly-once weights (docs/validator.md, "Weights exactly once"): each submission records the
  // hash and mortal era of its signed extrinsic before it is sent; rows from before this are
  // `mortal = 0` and keep the rate-limit rule. A reveal names the pending commit it reveals.
  `
  ALTER TABLE weight_submissions ADD COLUMN mortal INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE weight_submissions ADD COLUMN tx_hash TEXT;
  ALTER TABLE weight_submissions ADD COLUMN era_birth INTEGER;
  ALTER TABLE weight_submissions ADD COLUMN era_period INTEGER;
  ALTER TABLE weight_submissions ADD COLUMN reveal_id INTEGER;
  `,
  // 4: what each axon advertised about compression (docs/validator.md, "Negotiated compression"),
  // one row per hotkey at the address it was learned at, so the first cycle after a restart is
  // sent compressed; an axon that moves is plain again until it answers.
  `
  CREATE TABLE axon_codecs (
    hotkey TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    gzip_body INTEGER NOT NULL,
    brotli_batch INTEGER NOT NULL,
    learned_at INTEGER NOT NULL
  );
  `,
];
