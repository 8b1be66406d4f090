/**
 * SubtensorClient against a real subtensor runtime forked by chopsticks. Runs only when
 * AML_CHAIN_SPEC names a subtensor chain spec (raw JSON, e.g. the raonet/localnet spec) and
 * chopsticks can run: AML_CHOPSTICKS_CMD names an installed chopsticks command (run under its own
 * Node >= 22, so vitest itself may run on Node 20), or else this Node is >= 22 and
 * `npx @acala-network/chopsticks@1.5.1` is fetched.
 * Recipe: instant block building on a free port, fund a coldkey with dev_setStorage, burned_register
 * a hotkey on netuid 1, grant it a validator permit, see set_weights refused with
 * SettingWeightsTooFast until the rate limit has passed (dev_newBlock), then succeed and read
 * Weights back; serve_axon read back through the metagraph; commit-reveal enabled through
 * dev_setStorage, the commit and its reveal window compared with the runtime's WeightCommits, an
 * early reveal refused, the reveal in its window read back from Weights. See docs/chain.md.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubtensorClient } from '../src/chain/subtensor-client.js';
import type { PendingCommit } from '../src/chain/types.js';
import {
  announceSkip,
  newBlocks as buildBlocks,
  type Chopsticks,
  reason,
  SCALE_FALSE,
  SCALE_U64_ZERO,
  startChopsticks,
  TAO,
  setStorage as writeStorage,
} from './support/chopsticks.js';

const skip = announceSkip('chain.chopsticks');

const NETUID = 1;
// Blocks between two set_weights; small so the suite builds few blocks (each takes ~0.3 s).
const RATE_LIMIT = 10;

describe.skipIf(skip)('SubtensorClient on chopsticks', () => {
  let chopsticks: Chopsticks | undefined;
  let client: SubtensorClient;
  let hotkey: KeyringPair;
  let coldkey: KeyringPair;

  const newBlocks = (count: number) => buildBlocks(client, count);
  const setStorage = (storage: unknown) => writeStorage(client, storage);

  beforeAll(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    hotkey = keyring.addFromUri('//AmlChopsticksHot');
    coldkey = keyring.addFromUri('//AmlChopsticksCold');
    chopsticks = await startChopsticks();
    client = new SubtensorClient({
      network: chopsticks.url,
      hotkey,
      connectTimeoutMs: 180_000,
      txTimeoutMs: 60_000,
    });
    await client.connect();
    await setStorage({
      System: {
        Account: [[[coldkey.address], { providers: 1, data: { free: (1_000_000n * TAO).toString() } }]],
      },
      SubtensorModule: {
        CommitRevealWeightsEnabled: [[[NETUID], SCALE_FALSE]],
        WeightsSetRateLimit: [[[NETUID], RATE_LIMIT]],
        MinAllowedWeights: [[[NETUID], 1]],
      },
    });
  }, 240_000);

  afterAll(async () => {
    await client?.close();
    chopsticks?.stop();
  });

  it('registers, is refused while rate limited, then sets weights and reads them back', async () => {
    await client.burnedRegister(NETUID, hotkey.address, coldkey);
    let mg = await client.metagraph(NETUID, { refresh: true });
    const me = mg.neurons.find((n) => n.hotkey === hotkey.address);
    expect(me).toBeDefined();
    const permits = mg.neurons.map((n) => n.validatorPermit || n.uid === me!.uid);
    await setStorage({ SubtensorModule: { ValidatorPermit: [[[NETUID], permits]] } });
    mg = await client.metagraph(NETUID, { refresh: true });
    expect(mg.neurons[me!.uid].validatorPermit).toBe(true);

    const target = mg.neurons.find((n) => n.uid !== me!.uid)?.uid ?? me!.uid;
    const request = { netuid: NETUID, uids: [target], weights: [1] };
    expect(await reason(client.setWeights(request))).toBe('refused:SettingWeightsTooFast');
    expect(await reason(client.setWeights({ ...request, skipPrechecks: true }))).toBe(
      'failed:SettingWeightsTooFast',
    );

    await newBlocks(RATE_LIMIT + 1);
    expect(await reason(client.setWeights(request))).toBe('ok');
    expect(await client.weightsOf(NETUID, me!.uid)).toEqual([[target, 65535]]);
  }, 240_000);

  it('serves an axon and sees it in the metagraph', async () => {
    await client.serveAxon({ netuid: NETUID, version: 7002000, ip: '10.1.2.3', port: 8091 });
    const mg = await client.metagraph(NETUID, { refresh: true });
    const me = mg.neurons.find((n) => n.hotkey === hotkey.address);
    expect(me?.axon).toMatchObject({ ip: '10.1.2.3', port: 8091, ipType: 4, protocol: 4, version: 7002000 });
    expect(me?.axon?.block).toBeGreaterThan(0);
  }, 120_000);

  it('commits, is refused before the reveal window, then reveals and reads the weights back', async () => {
    // Tempo 10 keeps the reveal window a few blocks away; the rate limit is not under test here.
    await setStorage({
      SubtensorModule: {
        CommitRevealWeightsEnabled: [[[NETUID], true]],
        Tempo: [[[NETUID], 10]],
        WeightsSetRateLimit: [[[NETUID], SCALE_U64_ZERO]],
      },
    });
    const mg = await client.metagraph(NETUID, { refresh: true });
    const me = mg.neurons.find((n) => n.hotkey === hotkey.address)!;
    const target = mg.neurons.find((n) => n.uid !== me.uid)?.uid ?? me.uid;
    const request = { netuid: NETUID, uids: [me.uid, target], weights: [1, 3] };
    expect(await reason(client.setWeights(request))).toBe('refused:CommitRevealEnabled');
    expect(await reason(client.setWeights({ ...request, skipPrechecks: true }))).toBe(
      'failed:CommitRevealEnabled',
    );

    const persisted: PendingCommit[] = [];
    const { pending } = await client.commitWeights({ ...request, persist: (p) => void persisted.push(p) });
    expect(persisted).toHaveLength(1);
    // The runtime stores (hash, commit block, first reveal block, last reveal block) per commit.
    const stored = (
      await client.api.query.subtensorModule.weightCommits(NETUID, hotkey.address)
    ).toJSON() as Array<[string, number, number, number]>;
    expect(stored).toEqual([
      [pending.commitHash, pending.commitBlock, pending.revealFrom, pending.revealUntil],
    ]);

    expect(await reason(client.revealWeights(pending))).toBe('refused:RevealTooEarly');
    expect(await reason(client.revealWeights(pending, { skipPrechecks: true }))).toBe(
      'failed:RevealTooEarly',
    );
    // The reveal is included in the block after the head, which must be the window's first block.
    await newBlocks(pending.revealFrom - 1 - (await client.block()));
    expect(await reason(client.revealWeights(pending))).toBe('ok');
    // Weights 1:3 scaled so the largest is u16::MAX (65535 / 3 = 21845), stored in the order sent.
    expect(await client.weightsOf(NETUID, me.uid)).toEqual([
      [me.uid, 21845],
      [target, 65535],
    ]);
    expect(
      (await client.api.query.subtensorModule.weightCommits(NETUID, hotkey.address)).toJSON(),
    ).toBeNull();
  }, 180_000);
});
