/**
 * Crash tests with the built bins in separate processes (issue 17, item 6): a real miner API
 * (`aml-miner serve`, shipped models) behind a real axon proxy (`aml-miner-proxy`), and the real
 * `aml-validator run-once`, each in its own process group (support/process-subnet.ts). The
 * validator pauses at a store write (AML_VALIDATOR_PAUSE_AT) and prints AML_TEST_PAUSE; the test
 * kills its process group with SIGKILL there, then runs it again without the hook. Afterwards its
 * store and the LocalChain state file must equal an uninterrupted control run of the same trap
 * seed: the same answers, tiers, canonical scores and traps, one `set_weights` on chain with the
 * same weights, and the miner asked once. Needs both packages built (`npm run build`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalChain } from '../../src/chain/local-chain.js';
import { type BinProcess, built } from '../support/bin-process.js';
import { finish, minerQueries, newCase, outcome, startSubnet, stopSubnet } from './support/process-subnet.js';

beforeAll(async () => {
  if (built) await startSubnet();
}, 120_000);
afterAll(stopSubnet);

describe.skipIf(!built)('the real aml-validator killed by process group, against a control run', () => {
  let control: Awaited<ReturnType<typeof outcome>>;

  beforeAll(async () => {
    const c = newCase('control');
    const before = await minerQueries();
    const out = await finish(c.run());
    expect(out).toContain('weights set (set)');
    control = await outcome(c.storePath, c.chainFile);
    expect(await minerQueries()).toBe(before + 1);
    expect(control.chain.setWeights).toEqual([true]);
    expect(control.statuses).toEqual(['included']);
    expect(control.lastUpdate).toBe(1000);
    expect(control.store.answers).toHaveLength(2); // the miner and the reference
  }, 180_000);

  /** Kills at `point`, restarts, and checks the result against the control run. */
  async function crashAndResume(
    name: string,
    kill: (p: BinProcess) => Promise<unknown>,
    hooks: Record<string, string>,
    duringRestart?: (p: BinProcess, c: ReturnType<typeof newCase>) => Promise<void>,
  ) {
    const c = newCase(name);
    const before = await minerQueries();
    const crashed = c.run(hooks);
    await kill(crashed);
    crashed.kill();
    expect((await crashed.exited).signal).toBe('SIGKILL');
    const restarted = c.run();
    await duringRestart?.(restarted, c);
    const out = await finish(restarted);
    const after = await outcome(c.storePath, c.chainFile);
    expect(after.store).toEqual(control.store);
    expect(after.chain).toEqual(control.chain); // one set_weights, the same row
    expect(await minerQueries()).toBe(before + 1); // asked once over both runs
    return { out, after };
  }

  const pauseAt = (point: string) => ({ AML_VALIDATOR_PAUSE_AT: point });
  const paused = (p: BinProcess) => p.waitFor(/AML_TEST_PAUSE/);

  it('killed after the intent is stored, before signing: nothing was sent, sent on restart', async () => {
    const { after } = await crashAndResume('intent', paused, pauseAt('after:recordWeightIntent'));
    expect(after.statuses).toEqual(['unsent', 'included']);
    expect(after.lastUpdate).toBe(1000);
  }, 120_000);

  it('killed after hash and era are stored, before sending: waits for the era to close, then sends once', async () => {
    const { after } = await crashAndResume(
      'signed',
      paused,
      pauseAt('after:recordWeightSigned'),
      async (restarted, c) => {
        await restarted.waitFor(/waiting for an earlier submission/);
        // The era (32 blocks from 1000) closes once the chain is two blocks past its last block.
        await LocalChain.openFile(c.chainFile).advanceBlocks(34);
      },
    );
    expect(after.statuses).toEqual(['expired', 'included']);
    expect(after.lastUpdate).toBe(1034);
  }, 120_000);

  it('killed after set_weights landed, before its outcome is stored: found by hash, not sent again', async () => {
    const { after } = await crashAndResume('landed', paused, pauseAt('before:resolveWeightSubmission'));
    expect(after.statuses).toEqual(['included']);
    expect(after.lastUpdate).toBe(1000);
  }, 120_000);

  it('killed after the miner answer is stored, after the tiers and after the canonical scores', async () => {
    for (const point of ['after:putAnswer', 'after:putTierResults', 'after:putCanonical']) {
      const { after } = await crashAndResume(point.split(':')[1], paused, pauseAt(point));
      expect(after.statuses, point).toEqual(['included']);
    }
  }, 240_000);
});

if (!built) console.warn('[crash-process] skipped: build the packages first (npm run build)');
