/**
 * Chain fault tests with the built bins in separate processes (issue 17, item 5): the validator's
 * connection to the chain drops mid-cycle and comes back. The chain is LocalChain, whose transport
 * is its state file (chopsticks, for a real websocket, cannot run offline here: docs/chain.md): the
 * test takes the file away while the validator is paused at a store write
 * (AML_VALIDATOR_PAUSE_AT with AML_VALIDATOR_PAUSE_MS, so it carries on by itself), waits until the
 * validator has failed to reach the chain and is retrying with growing backoff, then puts the file
 * back. The cycle must complete in that same run, with store and chain equal to an uninterrupted
 * control run of the same trap seed: one `set_weights`, no duplicate extrinsic.
 */
import { rename } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { built } from '../support/bin-process.js';
import { finish, minerQueries, newCase, outcome, startSubnet, stopSubnet } from './support/process-subnet.js';

beforeAll(async () => {
  if (built) await startSubnet();
}, 120_000);
afterAll(stopSubnet);

describe.skipIf(!built)('the real aml-validator when the chain goes away mid-cycle', () => {
  let control: Awaited<ReturnType<typeof outcome>>;

  beforeAll(async () => {
    const c = newCase('fault-control');
    await finish(c.run());
    control = await outcome(c.storePath, c.chainFile);
    expect(control.chain.setWeights).toEqual([true]);
  }, 120_000);

  /** Takes the chain file away at `point` until the validator has retried twice, then restores it. */
  async function dropChainAt(name: string, point: string) {
    const c = newCase(name);
    const before = await minerQueries();
    const validator = c.run({ AML_VALIDATOR_PAUSE_AT: point, AML_VALIDATOR_PAUSE_MS: '1000' });
    await validator.waitFor(/AML_TEST_PAUSE/);
    await rename(c.chainFile, `${c.chainFile}.away`);
    await validator.waitFor(/chain disconnected/);
    await validator.waitFor(/(chain attempt-failed[\s\S]*){2}/);
    await rename(`${c.chainFile}.away`, c.chainFile);
    const out = await finish(validator);
    expect(out).toMatch(/chain reconnected/);
    // The backoff grew between attempts.
    const waits = [...out.matchAll(/"retryInMs":(\d+)/g)].map((m) => Number(m[1]));
    expect(waits[1]).toBeGreaterThan(waits[0]);
    const after = await outcome(c.storePath, c.chainFile);
    expect(after.store).toEqual(control.store);
    expect(after.chain).toEqual(control.chain); // one set_weights: nothing sent twice
    expect(after.statuses).toEqual(['included']);
    expect(await minerQueries()).toBe(before + 1);
  }

  it('drops before the weights step reads the chain: reconnects with backoff and completes the cycle', async () => {
    await dropChainAt('drop-before-weights', 'after:putCanonical');
  }, 120_000);

  it('drops between signing set_weights and sending it: the send waits for the chain, lands once', async () => {
    await dropChainAt('drop-mid-send', 'after:recordWeightSigned');
  }, 120_000);
});

if (!built) console.warn('[chain-fault] skipped: build the packages first (npm run build)');
