/**
 * The chopsticks side of `npm run localnet` (used when AML_CHAIN_SPEC is set): starts chopsticks on
 * a free port with the spec and instant block building, then prepares netuid 1 over its RPC so the
 * demo's proxies and validator can run on a real subtensor runtime — coldkeys funded, the validator
 * and the miners burned_register'ed (each wallet's hotkey is its own coldkey), the validator given
 * a permit and stake, rate limit 0, MinAllowedWeights 1, commit-reveal off. The same recipe as
 * packages/subnet/test/support/chopsticks.ts and validator.chopsticks.test.ts (see docs/chain.md).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';

export const CHOPSTICKS_NETUID = 1;
const TAO = 1_000_000_000n;
const VALIDATOR_STAKE_TAO = 1000n;
// dev_setStorage deletes a key whose JSON value is falsy (0, false), bringing back the storage
// default, so zero and false go in as raw SCALE bytes.
const SCALE_FALSE = '0x00';
const SCALE_U64_ZERO = '0x0000000000000000';

/** The chopsticks command line: AML_CHOPSTICKS_CMD (whitespace-separated) or npx on Node >= 22. */
function chopsticksCommand(env) {
  const cmd = env.AML_CHOPSTICKS_CMD?.trim();
  if (cmd) return cmd.split(/\s+/);
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22)
    throw new Error(
      `chopsticks needs Node >= 22, this is ${process.versions.node}: set AML_CHOPSTICKS_CMD (see docs/chain.md)`,
    );
  return ['npx', '--yes', '@acala-network/chopsticks@1.5.1'];
}

function portOpen(port) {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * Starts chopsticks on `port` with `spec` (a raw spec path/URL starts a fresh chain; a ws(s)://
 * endpoint forks a live one) and waits until its websocket accepts connections.
 */
export async function startChopsticks({ spec, port, env = process.env, timeoutMs = 180_000 }) {
  const cmd = chopsticksCommand(env);
  const child = spawn(
    cmd[0],
    [
      ...cmd.slice(1),
      /^wss?:\/\//.test(spec) ? `--endpoint=${spec}` : `--genesis=${spec}`,
      `--port=${port}`,
      // its dev RPC has no authentication: loopback only, where the validator and proxies connect
      '--host=127.0.0.1',
      '--build-block-mode=Instant',
    ],
    // detached: chopsticks leads its own process group, so stop() ends it and its workers
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const keep = (d) => {
    output = (output + d).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((done) => child.once('exit', done));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const kill = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    await exited;
    clearTimeout(kill);
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await portOpen(port))) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`chopsticks exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`chopsticks did not listen on port ${port} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url: `ws://127.0.0.1:${port}`, stop, output: () => output };
}

/** The sr25519 pair of a hotkey file in the Bittensor wallet layout (as `wallet create` writes it). */
export function walletPair(walletPath, name, hotkey = 'default') {
  const data = JSON.parse(readFileSync(join(walletPath, name, 'hotkeys', hotkey), 'utf8'));
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const pair = data.secretSeed
    ? keyring.addFromSeed(hexToU8a(data.secretSeed))
    : keyring.addFromUri(data.secretPhrase);
  if (pair.address !== data.ss58Address)
    throw new Error(`${name}: the key does not match ${data.ss58Address}`);
  return pair;
}

/**
 * Disconnects and waits for the socket's close: the localnet then blocks its event loop in
 * spawnSync, and a close handled late makes @polkadot/api log a spurious "disconnected" warning.
 */
async function disconnect(api, provider) {
  const closed = new Promise((done) => {
    const off = provider.on('disconnected', () => {
      off();
      done();
    });
    setTimeout(done, 2000).unref();
  });
  await api.disconnect();
  await closed;
}

/** Signs and sends `tx`, resolving once it is in a block; a failed dispatch rejects with its name. */
function submit(api, tx, signer, what) {
  return new Promise((done, fail) => {
    let unsubscribe;
    tx.signAndSend(signer, ({ status, dispatchError }) => {
      if (!status.isInBlock && !status.isFinalized) {
        if (status.isInvalid || status.isDropped || status.isUsurped)
          fail(new Error(`${what}: ${status.type}`));
        return;
      }
      unsubscribe?.();
      if (!dispatchError) return done();
      if (dispatchError.isModule) {
        const { section, name } = api.registry.findMetaError(dispatchError.asModule);
        return fail(new Error(`${what} failed: ${section}.${name}`));
      }
      fail(new Error(`${what} failed: ${dispatchError.toString()}`));
    })
      .then((u) => {
        unsubscribe = u;
      })
      .catch(fail);
  });
}

/**
 * dev_setStorage rewrites the head block's state under the same hash, and @polkadot/api caches
 * storage read at a block hash, so a block is built after each write.
 */
async function setStorage(provider, storage) {
  await provider.send('dev_setStorage', [storage]);
  await provider.send('dev_newBlock', [{ count: 1 }]);
}

/**
 * Registers `validator` and `miners` (key pairs; each is its own coldkey) on netuid 1 and makes
 * the subnet ready for one validator cycle. Returns the uids by address.
 */
export async function prepareChain(url, { validator, miners, log = () => {} }) {
  await cryptoWaitReady();
  // the provider carries the dev_* methods, which the typed api.rpc does not know
  const provider = new WsProvider(url);
  const api = await ApiPromise.create({ provider, noInitWarn: true });
  try {
    const netuid = CHOPSTICKS_NETUID;
    const everyone = [validator, ...miners];
    const free = { providers: 1, data: { free: (1_000_000n * TAO).toString() } };
    await setStorage(provider, {
      System: { Account: everyone.map((p) => [[p.address], free]) },
      SubtensorModule: {
        CommitRevealWeightsEnabled: [[[netuid], SCALE_FALSE]],
        // registration only stamps LastUpdate; with no rate limit the validator may set weights at once
        WeightsSetRateLimit: [[[netuid], SCALE_U64_ZERO]],
        MinAllowedWeights: [[[netuid], 1]],
        MaxRegistrationsPerBlock: [[[netuid], 16]],
        TargetRegistrationsPerInterval: [[[netuid], 16]],
      },
    });
    for (const pair of everyone) {
      await submit(api, api.tx.subtensorModule.burnedRegister(netuid, pair.address), pair, 'burned_register');
    }
    const uids = {};
    for (const pair of everyone) {
      const uid = await api.query.subtensorModule.uids(netuid, pair.address);
      if (uid.isNone) throw new Error(`${pair.address} is not registered on netuid ${netuid}`);
      uids[pair.address] = uid.unwrap().toNumber();
    }
    const n = (await api.query.subtensorModule.subnetworkN(netuid)).toNumber();
    const permits = (await api.query.subtensorModule.validatorPermit(netuid)).map((p) => p.isTrue);
    const validatorUid = uids[validator.address];
    const nextPermits = Array.from({ length: n }, (_, uid) => permits[uid] === true || uid === validatorUid);
    await setStorage(provider, {
      SubtensorModule: {
        ValidatorPermit: [[[netuid], nextPermits]],
        TotalHotkeyAlpha: [[[validator.address, netuid], (VALIDATOR_STAKE_TAO * TAO).toString()]],
      },
    });
    log(
      `netuid ${netuid}: validator uid ${validatorUid} (permit, ${VALIDATOR_STAKE_TAO} TAO), miners uids ${miners.map((m) => uids[m.address]).join(', ')}`,
    );
    return uids;
  } finally {
    await disconnect(api, provider);
  }
}

/** Waits until every hotkey in `ports` (address → port) advertises that axon port on netuid 1. */
export async function waitForAxons(url, ports, timeoutMs = 60_000) {
  const provider = new WsProvider(url);
  const api = await ApiPromise.create({ provider, noInitWarn: true });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const served = await Promise.all(
        Object.entries(ports).map(async ([address, port]) => {
          const axon = await api.query.subtensorModule.axons(CHOPSTICKS_NETUID, address);
          // Option<AxonInfo> on current runtimes, a defaulted AxonInfo on older ones
          const info = axon.isNone ? undefined : typeof axon.unwrap === 'function' ? axon.unwrap() : axon;
          return info?.port.toNumber() === port;
        }),
      );
      if (served.every(Boolean)) return;
      if (Date.now() > deadline)
        throw new Error(`the proxies did not serve their axons within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await disconnect(api, provider);
  }
}
