/**
 * The soak bench's load in short (3 s per target, 8 connections): the built miner API and axon
 * proxy, as separate processes, answer every request of mixed batch sizes completely, with no 5xx
 * and no transport error. No timing or memory assertion here: those are the bench's
 * (bench/soak.bench.ts, BENCHMARKS.md). Needs the packages built (`npm run build`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { built } from './support/bin-process.js';
import { soakMinerApi, soakProxy, soakSigners } from './support/soak.js';
import { type SoakServers, startSoakServers } from './support/soak-servers.js';

const CONNECTIONS = 8;
const signers = soakSigners(CONNECTIONS);
let servers: SoakServers;

describe.skipIf(!built)('short load on the built miner API and axon proxy', () => {
  beforeAll(async () => {
    servers = await startSoakServers(signers.map((s) => s.address));
  }, 60_000);
  afterAll(async () => {
    await servers?.close();
  });

  const options = { seconds: 3, connections: CONNECTIONS, warmupSeconds: 0 };

  it('miner API: every request answered 200, no 5xx, no errors', async () => {
    const f = await soakMinerApi(servers.apiUrl, { ...options, pid: servers.api.child.pid! });
    expect(f.requests).toBeGreaterThan(0);
    expect({ errors: f.errors, fiveXx: f.fiveXx }).toEqual({ errors: 0, fiveXx: 0 });
  }, 30_000);

  it('axon proxy: every signed request answered 200 with all its scores, no 5xx', async () => {
    const f = await soakProxy(servers.axon, signers, { ...options, pid: servers.proxy.child.pid! });
    expect(f.requests).toBeGreaterThan(0);
    expect({ errors: f.errors, fiveXx: f.fiveXx }).toEqual({ errors: 0, fiveXx: 0 });
  }, 30_000);
});

if (!built) console.warn('[soak] skipped: build the packages first (npm run build)');
