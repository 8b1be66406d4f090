import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  contractBatch as batch,
  describeStoreContract,
} from '../../../test/validator/support/store-contract.js';
import { MIGRATIONS } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

describeStoreContract('SqliteStore', async () => new SqliteStore(':memory:'));

describe('SqliteStore', () => {
  it('loses nothing a call acknowledged when the process is killed with SIGKILL right after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aml-store-'));
    const path = join(dir, 'validator.sqlite');
    const script = `
      import { SqliteStore } from ${JSON.stringify(new URL('./sqlite-store.ts', import.meta.url).pathname)};
      const store = new SqliteStore(${JSON.stringify(path)});
      await store.putBatch(${JSON.stringify(batch)});
      const c = await store.beginCycle(${JSON.stringify(batch.batchId)}, 5, 1);
      await store.putAnswers(c.cycleId, [{ hotkey: 'hk', uid: 0, statusCode: 200, elapsedMs: 1, modelVersion: 'm', answer: [1, 2, 3] }], 2);
      await store.recordWeightIntent({ cycleId: c.cycleId, block: 7, kind: 'set', uids: [0], weights: [65535] }, 3);
      process.stdout.write('acknowledged\\n');
      process.kill(process.pid, 'SIGKILL');
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.stdout).toContain('acknowledged');
    expect(run.signal).toBe('SIGKILL');
    const store = new SqliteStore(path);
    const open = await store.openCycle();
    expect(open?.stage).toBe('queried');
    expect((await store.answers(open!.cycleId))[0].answer).toEqual([1, 2, 3]);
    expect((await store.unresolvedWeightSubmissions())[0]).toMatchObject({ block: 7, uids: [0] });
    await store.close();
  });

  it('migrates a store of schema 3: its cycles stay, the axon codecs table starts empty', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aml-store-')), 'validator.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const [i, sql] of MIGRATIONS.slice(0, 3).entries()) {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, 0)').run(i + 1);
    }
    db.prepare(
      "INSERT INTO batches VALUES ('torus/2026-01-01/7', 'torus', '2026-01-01', 7, 3, 'test')",
    ).run();
    db.prepare(
      "INSERT INTO cycles (cycle_id, batch_id, stage, trap_seed, started_at, updated_at) VALUES (1, 'torus/2026-01-01/7', 'complete', 5, 0, 0)",
    ).run();
    db.close();
    const store = new SqliteStore(path);
    expect((await store.latestCycle())?.cycleId).toBe(1);
    expect(await store.axonCodecs()).toEqual([]);
    await store.putAxonCodecs(
      { hotkey: 'hk', address: '127.0.0.1:8091', gzipBody: true, brotliBatch: true },
      9,
    );
    await store.close();
    const reopened = new SqliteStore(path);
    expect(await reopened.axonCodecs()).toEqual([
      { hotkey: 'hk', address: '127.0.0.1:8091', gzipBody: true, brotliBatch: true },
    ]);
    await reopened.close();
  });
});
