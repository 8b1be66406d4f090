/**
 * Crash tests: the `aml-validator run-once` CLI as a real child process, killed with SIGKILL right
 * after each committed step (the AML_VALIDATOR_CRASH_AFTER test hook in neuron.ts), then restarted
 * without the hook. The restart must finish the same cycle with every miner queried exactly once,
 * the canonical scores stored once and weights submitted exactly once: after the crash at
 * 'weights' the test moves the chain past the rate-limit window, so a repeated submission would
 * show. Miners (axon proxies + behaving APIs) run in this process; the LocalChain state file is
 * shared with the child.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPositiveRiskLevel } from '@aml/miner-template';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalChain } from '../../src/chain/local-chain.js';
import type { LocalChainSeed } from '../../src/chain/local-chain-seed.js';
import { cryptoReady } from '../../src/protocol/signing.js';
import { GeneratedBatchSource } from '../../src/validator/batch-source.js';
import { SqliteStore } from '../../src/validator/store/sqlite-store.js';
import { loadHotkeyFromEnv } from '../../src/wallet/hotkey.js';
import { localSimArgs } from './support/local-sim-args.js';
import { type Fleet, startFleet } from './support/miner-fleet.js';
import { canonicalRowsAfterOneCycle, unsentAlerts } from './support/unsent-alerts.js';

const NETUID = 9;
const ALERTS = 120;
const RATE_LIMIT = 10;
const SEED_HEX = `0x${'33'.repeat(32)}`;
const validator = loadHotkeyFromEnv({ AML_HOTKEY_SEED: SEED_HEX })!;
const packageDir = new URL('../..', import.meta.url).pathname;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI asynchronously: the miners answering it live in this process's event loop. */
function runValidator(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/validator.ts', 'run-once', ...args], {
      cwd: packageDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const fleets: Fleet[] = [];

let truth: Map<string, number>;
beforeAll(async () => {
  await cryptoReady();
  // The CLI's generated batch for that date (same generator and seed): miners with known skill.
  const labels = await new GeneratedBatchSource(ALERTS).labels({
    network: 'torus',
    processing_date: '2026-01-01',
    window_days: 7,
  });
  truth = new Map(labels!.map((l) => [l.address, isPositiveRiskLevel(l.risk_level) ? 1 : 0]));
});

afterAll(async () => {
  await Promise.all(fleets.map((f) => f.close()));
});

const STEPS = ['started', 'answered', 'queried', 'scored', 'ensembled', 'weights'] as const;

/** Miners, chain seed and store of one crash case, and the CLI arguments that use them. */
async function setupCase(step: string) {
  const fleet = await startFleet(
    validator.ss58Address,
    [
      { name: 'good', behaviour: { kind: 'good' } },
      { name: 'weak', behaviour: { kind: 'weak' } },
      { name: 'constant', behaviour: { kind: 'constant' } },
    ],
    40,
    truth,
  );
  fleets.push(fleet);
  const dir = mkdtempSync(join(tmpdir(), `aml-crash-${step}-`));
  const seed: LocalChainSeed = {
    startBlock: 1000,
    blockTimeMs: 0, // blocks move only when the test says so
    subnets: [
      {
        netuid: NETUID,
        hyperparameters: { weightsSetRateLimit: RATE_LIMIT },
        neurons: fleet.neurons,
      },
    ],
  };
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));
  const chainFile = join(dir, 'chain.json');
  const storePath = join(dir, 'validator.sqlite');
  const args = [
    ...localSimArgs({
      netuid: NETUID,
      dir,
      seedFile,
      chainFile,
      storePath,
      alerts: ALERTS,
      timeoutSeconds: 20,
    }),
    '--logging.level',
    'warn',
  ];
  return { fleet, args, chainFile, storePath };
}

describe('validator killed with SIGKILL after each committed step', () => {
  // Each step has its own miners, chain file and store. Fourteen child processes (about 2 s of CPU each
  // to start under tsx) make this file the slow one of the validator's tests.
  it.each(STEPS)(
    'resumes after a crash at "%s" without repeating a query or a weights call',
    async (step) => {
      const { fleet, args, chainFile, storePath } = await setupCase(step);
      const crashed = await runValidator(args, {
        AML_HOTKEY_SEED: SEED_HEX,
        AML_VALIDATOR_CRASH_AFTER: step,
      });
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      expect(crashed.stdout).not.toContain('cycle 1');

      const chain = LocalChain.openFile(chainFile, { hotkey: validator.ss58Address });
      const lastUpdate = async () => (await chain.metagraph(NETUID, { refresh: true })).neurons[0].lastUpdate;
      const afterCrash = await lastUpdate();
      if (step === 'weights') {
        expect(afterCrash).toBe(1000);
        // Past the rate-limit window: only the store can now stop a second submission.
        await chain.advanceBlocks(RATE_LIMIT + 5);
      } else {
        expect(afterCrash).toBe(0);
      }

      const restarted = await runValidator(args, { AML_HOTKEY_SEED: SEED_HEX });
      expect(restarted.code, restarted.stderr).toBe(0);
      expect(restarted.stdout).toContain('cycle 1 on torus/2026-01-01/7 (resumed): 3 miner(s) scored');

      // Every miner was queried exactly once over both runs.
      for (const m of fleet.miners) expect(m.api.calls(), m.name).toBe(1);

      const store = new SqliteStore(storePath);
      try {
        expect(await store.openCycle()).toBeUndefined();
        expect(await store.latestCycle()).toMatchObject({ cycleId: 1, stage: 'complete' });
        const answers = await store.answers(1);
        // Three miners and the reference, every one answered once.
        expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
        expect((await store.tierResults(1)).map((t) => t.t1)).toEqual([1, 1, 1, 1]);
        const canonical = await store.canonical('torus/2026-01-01/7');
        const unsent = await unsentAlerts(store, 'torus/2026-01-01/7');
        expect(canonical).toHaveLength(canonicalRowsAfterOneCycle(ALERTS, unsent.length));
        // Ensemble or reference stand-in (decided before the labels settle), one or the other for
        // all the alerts miners were sent; the reference's for the others.
        const scored = canonical.filter((c) => c.source !== 'withheld');
        expect(new Set(scored.map((c) => c.source)).size).toBe(1);
        expect(canonical.length - scored.length).toBe(unsent.length);
        expect(await store.traps(1)).toHaveLength(20);
      } finally {
        await store.close();
      }
      const db = new Database(storePath, { readonly: true });
      const submissions = db.prepare('SELECT kind, status, block FROM weight_submissions').all();
      const cycles = db.prepare('SELECT count(*) AS n FROM cycles').get() as { n: number };
      db.close();
      expect(cycles.n).toBe(1);
      expect(submissions).toEqual([{ kind: 'set', status: 'included', block: 1000 }]);

      // On chain: one set_weights, at block 1000, with the good miner on top.
      expect(await lastUpdate()).toBe(1000);
      // The good miner (tier 3 ≈ 1 once labels settle) beats the reference and is paid; the
      // constant miner is below it and is not. Good against weak is left to tier 3's small gap
      // and 20 traps' noise in one cycle, so the order of those two is not asserted here.
      const row = new Map(await chain.weightsOf(NETUID, 0));
      expect(row.get(1)).toBeGreaterThan(0);
      expect(row.has(3)).toBe(false);
      expect(Math.max(...row.values())).toBe(65535);
      if (step === 'weights') expect(restarted.stdout).toContain('weights skipped');
      else expect(restarted.stdout).toContain('weights set (set)');
    },
  );

  it('resumes after a crash between two answers, querying again only the miners with no stored answer', async () => {
    const { fleet, args, storePath } = await setupCase('answer');
    const crashed = await runValidator(args, {
      AML_HOTKEY_SEED: SEED_HEX,
      AML_VALIDATOR_CRASH_AFTER: 'answer',
    });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    // The first answer was committed on its own before the kill; the others were in flight.
    const before = new SqliteStore(storePath);
    const stored = (await before.answers(1)).map((a) => a.hotkey);
    expect((await before.openCycle())?.stage).toBe('started');
    // What that axon advertised was stored before its answer: the restart sends it compressed.
    expect((await before.axonCodecs()).find((c) => c.hotkey === stored[0])).toMatchObject({ gzipBody: true });
    await before.close();
    expect(stored).toHaveLength(1);

    const restarted = await runValidator(args, { AML_HOTKEY_SEED: SEED_HEX });
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stdout).toContain('cycle 1 on torus/2026-01-01/7 (resumed): 3 miner(s) scored');
    for (const m of fleet.miners) {
      if (m.hotkey === stored[0]) expect(m.api.calls(), `${m.name} (answer stored)`).toBe(1);
      else expect(m.api.calls(), `${m.name} (answer lost in flight)`).toBeLessThanOrEqual(2);
    }
    const after = new SqliteStore(storePath);
    try {
      expect((await after.answers(1)).map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
      expect(await after.latestCycle()).toMatchObject({ cycleId: 1, stage: 'complete' });
    } finally {
      await after.close();
    }
  });
});
