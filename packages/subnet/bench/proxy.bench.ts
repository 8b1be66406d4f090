/**
 * Axon proxy benchmark (plain script: `node --import tsx bench/proxy.bench.ts`). Measures, in one
 * run on 127.0.0.1 against the stand-in miner API:
 *   1. a 10,000-alert batch (with a features row per alert) through dendrite → proxy → API versus
 *      a direct POST to the API (target: proxy ≤ 1.2× direct, median of several rounds);
 *   2. the cost of one signature verification (and one signature);
 *   3. requests/s for 10-alert batches at 32 concurrent connections.
 */

import type { FeatureRowInput } from '@aml/miner-template';
import { CORE_FEATURE_COLUMNS } from '@aml/miner-template';
import { sr25519PairFromSeed } from '@polkadot/util-crypto';
import { request } from 'undici';
import { AxonProxy } from '../src/axon/axon-server.js';
import { StaticNeuronRegistry } from '../src/axon/neuron-registry.js';
import { Dendrite } from '../src/dendrite/dendrite.js';
import { EMPTY_BODY_HASH } from '../src/protocol/body-hash.js';
import { createSr25519Signer, cryptoReady, signRequest, verifyRequest } from '../src/protocol/signing.js';
import { startStandInMinerApi } from '../test/support/stand-in-miner-api.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const RPS_SECONDS = Number(process.env.BENCH_RPS_SECONDS ?? 5);

function batch(n: number) {
  const alerts = [];
  const features: FeatureRowInput[] = [];
  for (let i = 0; i < n; i++) {
    alerts.push({
      alert_id: `alert-${i}`,
      address: `addr-${i}`,
      typology_type: 'layering',
      severity: 'high',
      volume_usd: 1000 + i,
      alert_confidence_score: (i % 100) / 100,
    });
    const row: FeatureRowInput = { address: `addr-${i}` };
    for (const [j, c] of CORE_FEATURE_COLUMNS.entries()) row[c] = ((i * 31 + j * 7) % 1000) / 10;
    features.push(row);
  }
  return { alerts, features, clusters: [], money_flows: [] };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main() {
  await cryptoReady();
  const signerFor = (byte: number) => createSr25519Signer(sr25519PairFromSeed(new Uint8Array(32).fill(byte)));
  const miner = signerFor(1);
  const validators = Array.from({ length: 32 }, (_, i) => signerFor(10 + i));
  const api = await startStandInMinerApi();
  const proxy = new AxonProxy({
    hotkey: miner,
    minerApiUrl: api.url,
    registry: StaticNeuronRegistry.validators(
      validators.map((v) => v.address),
      100,
    ),
    host: '127.0.0.1',
    port: 0,
    maxConcurrent: 32,
    maxQueued: 256,
  });
  const { port } = await proxy.listen();
  const axon = { ip: '127.0.0.1', port, hotkey: miner.address };
  const dendrites = validators.map((v) => new Dendrite({ signer: v }));

  // 1. large batch: direct vs through the proxy
  const big = batch(10_000);
  const bigBody = JSON.stringify(big);
  const direct: number[] = [];
  const proxied: number[] = [];
  for (let r = 0; r < ROUNDS + 1; r++) {
    let t0 = process.hrtime.bigint();
    const res = await request(`${api.url}/score/alerts`, {
      method: 'POST',
      body: Buffer.from(JSON.stringify(big)),
      headers: { 'content-type': 'application/json' },
    });
    const scores = (await res.body.json()) as unknown[];
    if (scores.length !== 10_000) throw new Error('direct call lost alerts');
    const d = ms(t0);
    t0 = process.hrtime.bigint();
    const answer = await dendrites[0].call(axon, {
      task: 'score_alerts',
      batch_id: `big-${r}`,
      ...big,
      timeout: 60,
    });
    if (answer.dendrite.status_code !== 200 || answer.scores?.length !== 10_000)
      throw new Error(`proxy call failed: ${answer.dendrite.status_message}`);
    const p = ms(t0);
    if (r > 0) {
      direct.push(d);
      proxied.push(p);
    } // round 0 warms up both paths
  }
  const directMs = median(direct);
  const proxyMs = median(proxied);

  // 2. signature cost
  const fields = {
    nonce: 1_732_560_000_000_000_000n,
    axonHotkey: miner.address,
    dendriteUuid: 'u',
    bodyHash: EMPTY_BODY_HASH,
  };
  const sig = signRequest(validators[0], fields);
  const N = 2_000;
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) verifyRequest(sig, { ...fields, dendriteHotkey: validators[0].address });
  const verifyUs = (ms(t0) * 1000) / N;
  t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) signRequest(validators[0], fields);
  const signUs = (ms(t0) * 1000) / N;

  // 3. small batches at 32 connections (one dendrite each: a dendrite's nonces must arrive in order)
  const small = batch(10);
  let ok = 0;
  let failed = 0;
  const until = Date.now() + RPS_SECONDS * 1000;
  const t1 = process.hrtime.bigint();
  await Promise.all(
    dendrites.map(async (d, i) => {
      let n = 0;
      while (Date.now() < until) {
        const a = await d.call(axon, {
          task: 'score_alerts',
          batch_id: `s-${i}-${n++}`,
          ...small,
          timeout: 10,
        });
        if (a.dendrite.status_code === 200) ok++;
        else failed++;
      }
    }),
  );
  const rps = ok / (ms(t1) / 1000);

  const figures = {
    batch_alerts: 10_000,
    request_body_mb: +(Buffer.byteLength(bigBody) / 1e6).toFixed(2),
    direct_ms_median: +directMs.toFixed(1),
    proxy_ms_median: +proxyMs.toFixed(1),
    proxy_over_direct: +(proxyMs / directMs).toFixed(2),
    direct_ms_min: +Math.min(...direct).toFixed(1),
    proxy_ms_min: +Math.min(...proxied).toFixed(1),
    proxy_over_direct_min: +(Math.min(...proxied) / Math.min(...direct)).toFixed(2),
    verify_us_per_request: +verifyUs.toFixed(1),
    sign_us_per_request: +signUs.toFixed(1),
    small_batch_rps_32_connections: +rps.toFixed(0),
    small_batch_failures: failed,
  };
  console.log(JSON.stringify(figures, null, 2));
  await Promise.all(dendrites.map((d) => d.close()));
  await proxy.close();
  await api.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
