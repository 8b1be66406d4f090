/**
 * Shared plumbing for the tests that run against a real subtensor runtime under chopsticks: when
 * they may run (AML_CHAIN_SPEC, AML_CHOPSTICKS_CMD, Node version), starting chopsticks on a free
 * port with instant block building and stopping it, dev_setStorage / dev_newBlock helpers that
 * work around chopsticks' quirks, and a compact form of a chain call's outcome. See docs/chain.md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chainErrorReason } from '../../src/chain/errors.js';
import type { SubtensorClient } from '../../src/chain/subtensor-client.js';

export const CHAIN_SPEC = process.env.AML_CHAIN_SPEC;
// Whitespace-separated command line, e.g. "/opt/node22/bin/node /opt/chopsticks/.../chopsticks.cjs".
const CHOPSTICKS_CMD = process.env.AML_CHOPSTICKS_CMD?.trim().split(/\s+/) ?? [
  'npx',
  '--yes',
  '@acala-network/chopsticks@1.5.1',
];
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** Why the chopsticks tests cannot run here, or undefined when they can. */
export const chopsticksSkipReason: string | undefined = !CHAIN_SPEC
  ? 'AML_CHAIN_SPEC is not set (path or URL of a subtensor chain spec)'
  : !process.env.AML_CHOPSTICKS_CMD && NODE_MAJOR < 22
    ? `chopsticks needs Node >= 22, this is ${process.versions.node}; set AML_CHOPSTICKS_CMD`
    : undefined;

/** Prints the visible skip message for one suite; returns whether the suite must be skipped. */
export function announceSkip(suite: string): boolean {
  if (chopsticksSkipReason)
    console.info(`[${suite}] skipped: ${chopsticksSkipReason}. See docs/chain.md to run it.`);
  return chopsticksSkipReason !== undefined;
}

export const TAO = 1_000_000_000n;
// dev_setStorage deletes a key whose JSON value is falsy (0, false), which brings back the
// storage default; zero and false are therefore written as raw SCALE bytes.
export const SCALE_FALSE = '0x00';
export const SCALE_U64_ZERO = '0x0000000000000000';

/** A u64 as raw little-endian SCALE bytes (for small values that dev_setStorage would mangle). */
export function scaleU64(value: number | bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return `0x${bytes.toString('hex')}`;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Chopsticks {
  url: string;
  process: ChildProcess;
  stop(): void;
}

/** Starts chopsticks on the spec in AML_CHAIN_SPEC; connect a client to `url` (it retries until up). */
export async function startChopsticks(): Promise<Chopsticks> {
  if (!CHAIN_SPEC) throw new Error('AML_CHAIN_SPEC is not set');
  const port = await freePort();
  const child = spawn(
    CHOPSTICKS_CMD[0]!,
    [
      ...CHOPSTICKS_CMD.slice(1),
      // a raw chain spec (path or URL) starts a fresh chain; a ws(s):// endpoint forks a live one
      /^wss?:\/\//.test(CHAIN_SPEC) ? `--endpoint=${CHAIN_SPEC}` : `--genesis=${CHAIN_SPEC}`,
      `--port=${port}`,
      // chopsticks listens on every interface unless told; its dev RPC (dev_setStorage,
      // dev_newBlock) has no authentication, so keep it on loopback, where the tests connect
      '--host=127.0.0.1',
      '--build-block-mode=Instant',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], detached: true },
  );
  return {
    url: `ws://127.0.0.1:${port}`,
    process: child,
    stop: () => {
      // detached: chopsticks leads its own process group, so this ends it and its workers
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    },
  };
}

export function newBlocks(client: SubtensorClient, count: number): Promise<unknown> {
  return client.rawRpc('dev_newBlock', [{ count }]);
}

/**
 * dev_setStorage rewrites the head block's state under the same hash, and @polkadot/api caches
 * storage read at a block hash (immutable on a real chain), so build a block to get a new hash.
 */
export async function setStorage(client: SubtensorClient, storage: unknown): Promise<void> {
  await client.rawRpc('dev_setStorage', [storage]);
  await newBlocks(client, 1);
}

/** 'ok', 'refused:<runtime error>' (our pre-check) or 'failed:<runtime error>' (the chain). */
export async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    const kind = (err as { code?: string }).code === 'AML_ERR_CHAIN_REFUSED' ? 'refused' : 'failed';
    return `${kind}:${chainErrorReason(err) ?? String(err)}`;
  }
}
