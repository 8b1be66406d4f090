/**
 * The validator end to end against a real subtensor runtime under chopsticks (issue 8): the same
 * cycle as validator.e2e.test.ts, with SubtensorClient in place of LocalChain. Runs only when
 * AML_CHAIN_SPEC is set (see test/support/chopsticks.ts and docs/chain.md); skipped with a message
 * otherwise.
 * Recipe: fund coldkeys, burned_register a validator and three miners on netuid 1, grant the
 * validator a permit and stake, drop the weights rate limit (all by dev_setStorage), start a real
 * axon proxy per miner (good, weak, constant) in front of a behaving miner API, its blacklist fed by
 * the chain's metagraph (permit and a stake floor), serve each axon on chain with the miner's own
 * SubtensorClient, then one runCycle signed by the validator. The runtime
 * refuses 127.0.0.1 as an axon IP, so the proxies listen on 127.0.0.2 (still loopback on Linux).
 * The expected order comes from how the behaviours are built, not from the validator's numbers.
 */

import { isPositiveRiskLevel } from '@aml/miner-template';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxonProxy } from '../../src/axon/axon-server.js';
import { type ChainConnection, connectApi } from '../../src/chain/connect.js';
import { MetagraphSync } from '../../src/chain/metagraph-lookup.js';
import { SubtensorClient } from '../../src/chain/subtensor-client.js';
import { Dendrite } from '../../src/dendrite/dendrite.js';
import { cryptoReady } from '../../src/protocol/signing.js';
import { WIRE_VERSION } from '../../src/protocol/version.js';
import { GeneratedBatchSource } from '../../src/validator/batch-source.js';
import type { CycleContext } from '../../src/validator/cycle/context.js';
import { type CycleReport, runCycle } from '../../src/validator/cycle/run-cycle.js';
import { SqliteStore } from '../../src/validator/store/sqlite-store.js';
import { loadHotkeyFromEnv } from '../../src/wallet/hotkey.js';
import {
  announceSkip,
  type Chopsticks,
  SCALE_FALSE,
  SCALE_U64_ZERO,
  setStorage,
  startChopsticks,
  TAO,
} from '../support/chopsticks.js';
import { type BehavingApi, startBehavingMinerApi } from './support/behaving-miner-api.js';

const skip = announceSkip('validator.chopsticks');

const NETUID = 1;
const ALERTS = 200;
const TRAPS = 40;
const TIMEOUT_S = 10;
const VALIDATOR_STAKE_TAO = 1000n;
// The miners' blacklist floor: only the stake written by dev_setStorage clears it.
const MIN_STAKE_TAO = 500;
// Any loopback address but 127.0.0.1, which serve_axon refuses (InvalidIpAddress).
const AXON_IP = '127.0.0.2';
const KINDS = ['good', 'weak', 'constant'] as const;

interface ChainMiner {
  kind: (typeof KINDS)[number];
  hotkey: KeyringPair;
  coldkey: KeyringPair;
  api: BehavingApi;
  proxy: AxonProxy;
  sync: MetagraphSync;
  port: number;
  uid: number;
}

describe.skipIf(skip)('validator cycle on chopsticks', () => {
  let chopsticks: Chopsticks | undefined;
  let connection: ChainConnection | undefined;
  let chain: SubtensorClient;
  let store: SqliteStore | undefined;
  let dendrite: Dendrite | undefined;
  const miners: ChainMiner[] = [];
  let validatorUid: number;
  let report: CycleReport;

  const batches = new GeneratedBatchSource(ALERTS);
  let truth: Map<string, number>;
  beforeAll(async () => {
    await cryptoReady();
    const labels = await batches.labels({ network: 'torus', processing_date: '2026-01-01', window_days: 7 });
    truth = new Map(labels!.map((l) => [l.address, isPositiveRiskLevel(l.risk_level) ? 1 : 0]));
    const validator = loadHotkeyFromEnv({ AML_HOTKEY_SEED: `0x${'23'.repeat(32)}` })!;
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const validatorColdkey = keyring.addFromUri('//AmlValidatorCold');
    const minerKeys = KINDS.map((kind) => ({
      kind,
      hotkey: keyring.addFromUri(`//AmlMinerHot/${kind}`),
      coldkey: keyring.addFromUri(`//AmlMinerCold/${kind}`),
    }));

    chopsticks = await startChopsticks();
    // One socket for every client: each signs as its own hotkey, none owns the connection.
    connection = await connectApi({ url: chopsticks.url, connectTimeoutMs: 180_000 });
    const clientFor = (hotkey: KeyringPair) =>
      new SubtensorClient({ network: chopsticks!.url, hotkey, txTimeoutMs: 60_000 }, connection);
    chain = clientFor(validator.pair);

    const free = { providers: 1, data: { free: (1_000_000n * TAO).toString() } };
    await setStorage(chain, {
      System: {
        Account: [validatorColdkey, ...minerKeys.map((m) => m.coldkey)].map((c) => [[c.address], free]),
      },
      SubtensorModule: {
        CommitRevealWeightsEnabled: [[[NETUID], SCALE_FALSE]],
        // Registration only stamps LastUpdate; with no rate limit the validator may set weights at once.
        WeightsSetRateLimit: [[[NETUID], SCALE_U64_ZERO]],
        MinAllowedWeights: [[[NETUID], 1]],
        MaxRegistrationsPerBlock: [[[NETUID], 16]],
        TargetRegistrationsPerInterval: [[[NETUID], 16]],
      },
    });

    await chain.burnedRegister(NETUID, validator.ss58Address, validatorColdkey);
    for (const m of minerKeys) await chain.burnedRegister(NETUID, m.hotkey.address, m.coldkey);
    let mg = await chain.metagraph(NETUID, { refresh: true });
    const uidOf = (hotkey: string) => {
      const n = mg.neurons.find((x) => x.hotkey === hotkey);
      if (!n) throw new Error(`${hotkey} is not registered on netuid ${NETUID}`);
      return n.uid;
    };
    validatorUid = uidOf(validator.ss58Address);
    await setStorage(chain, {
      SubtensorModule: {
        ValidatorPermit: [[[NETUID], mg.neurons.map((n) => n.validatorPermit || n.uid === validatorUid)]],
        TotalHotkeyAlpha: [[[validator.ss58Address, NETUID], (VALIDATOR_STAKE_TAO * TAO).toString()]],
      },
    });

    for (const m of minerKeys) {
      const client = clientFor(m.hotkey);
      // The blacklist reads the validator's permit and stake from the chain, as in production.
      const sync = new MetagraphSync(client, NETUID);
      await sync.start();
      const api = await startBehavingMinerApi({ kind: m.kind }, `${m.kind}-model-1.0`, truth);
      const proxy = new AxonProxy({
        hotkey: m.hotkey,
        minerApiUrl: api.url,
        registry: sync,
        blacklist: { minStake: MIN_STAKE_TAO, allowedHotkeys: new Set(), requireValidatorPermit: true },
        host: AXON_IP,
        port: 0,
      });
      const { port } = await proxy.listen();
      miners.push({ ...m, api, proxy, sync, port, uid: uidOf(m.hotkey.address) });
      await client.serveAxon({ netuid: NETUID, version: WIRE_VERSION, ip: AXON_IP, port });
    }
    mg = await chain.metagraph(NETUID, { refresh: true });
    for (const m of miners) expect(mg.neurons[m.uid].axon).toMatchObject({ ip: AXON_IP, port: m.port });
    expect(mg.neurons[validatorUid].validatorPermit).toBe(true);
    // At least what was written: the runtime's per-block emission may add alpha on top.
    expect(mg.neurons[validatorUid].stake).toBeGreaterThanOrEqual(Number(VALIDATOR_STAKE_TAO));

    store = new SqliteStore(':memory:');
    dendrite = new Dendrite({ signer: validator.signer });
    let last = 0;
    const ctx: CycleContext = {
      store,
      chain,
      dendrite,
      batches,
      settings: {
        netuid: NETUID,
        network: 'torus',
        windowDays: 7,
        trapsPerCycle: TRAPS,
        timeoutS: TIMEOUT_S,
        concurrency: 4,
        tauDays: 7,
        batchDate: '2026-01-01',
        txTimeoutMs: 60_000,
        stealthAudit: false,
      },
      logger: pino({ level: 'silent' }),
      now: () => {
        last = Math.max(last + 1, Date.now());
        return last;
      },
      randomSeed: () => 4242,
    };
    report = await runCycle(ctx);
  }, 240_000);

  afterAll(async () => {
    for (const m of miners) m.sync.stop();
    await dendrite?.close();
    await Promise.all(miners.map((m) => m.proxy.close()));
    await Promise.all(miners.map((m) => m.api.close()));
    await store?.close();
    await connection?.close();
    chopsticks?.stop();
  });

  const byKind = (kind: ChainMiner['kind']) => miners.find((m) => m.kind === kind)!;
  const tier = (kind: ChainMiner['kind']) => {
    const t = report.tiers.find((x) => x.hotkey === byKind(kind).hotkey.address);
    if (!t) throw new Error(`no tier result for ${kind}`);
    return t;
  };

  it('queries every miner served on chain once and passes them all at tier 1', async () => {
    expect(report.miners).toBe(KINDS.length);
    for (const m of miners) expect(m.api.calls(), m.kind).toBe(1);
    const answers = await store!.answers(report.cycleId);
    expect(answers.map((a) => a.statusCode)).toEqual([200, ...KINDS.map(() => 200)]); // the reference too
    for (const kind of KINDS) expect(tier(kind).t1, kind).toBe(1);
  });

  it('ranks good above weak above constant on the settled labels', () => {
    expect(tier('good').t3!).toBeGreaterThan(tier('weak').t3!);
    expect(tier('weak').t3!).toBeGreaterThan(tier('constant').t3 ?? 0);
    expect(tier('good').final!).toBeGreaterThan(tier('weak').final!);
  });

  it('lands set_weights on chain with the good miner highest', async () => {
    expect(report.weights).toMatchObject({ status: 'included', kind: 'set' });
    const row = new Map(await chain.weightsOf(NETUID, validatorUid));
    const good = row.get(byKind('good').uid);
    expect(good).toBe(65535);
    for (const [uid, value] of row) if (uid !== byKind('good').uid) expect(value).toBeLessThan(good!);
    expect(row.get(byKind('weak').uid) ?? 0).toBeGreaterThan(row.get(byKind('constant').uid) ?? 0);
    const mg = await chain.metagraph(NETUID, { refresh: true });
    expect(mg.neurons[validatorUid].lastUpdate).toBe(mg.block);
  });
});
