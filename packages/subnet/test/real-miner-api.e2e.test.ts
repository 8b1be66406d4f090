/**
 * dendrite → axon proxy → the real miner API server (@aml/miner-template createServer) with a
 * deterministic fake ScoringService: proves the API accepts the forwarded synapse body as is (it
 * ignores the envelope's extra keys) and that its answers decode on the validator side.
 */
import type { AddressInfo } from 'node:net';
import type { ScoringService } from '@aml/miner-template';
import { createServer } from '@aml/miner-template';
import { Keyring } from '@polkadot/keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxonProxy } from '../src/axon/axon-server.js';
import { StaticNeuronRegistry } from '../src/axon/neuron-registry.js';
import { Dendrite } from '../src/dendrite/dendrite.js';
import { cryptoReady } from '../src/protocol/signing.js';
import { standInScore } from './support/stand-in-miner-api.js';

const fakeService: ScoringService = {
  health: () => ({ alert_scorer: true, alert_ranker: true, cluster_scorer: true }),
  versions: () => ({ alert_scorer: 'fake-1', alert_ranker: 'fake-1', cluster_scorer: 'fake-1' }),
  scoreAlerts: async (batch) =>
    batch.alerts.map((a) => ({
      alert_id: a.alert_id,
      score: standInScore(a.alert_id),
      model_version: 'fake-1',
      latency_ms: 0,
      explain_json: '{}',
    })),
  rankAlerts: async (batch) => batch.alerts.map((a) => standInScore(a.alert_id)),
  scoreClusters: async (batch) =>
    batch.clusters.map((c) => ({
      cluster_id: c.cluster_id,
      score: standInScore(c.cluster_id),
      model_version: 'fake-1',
      latency_ms: 0,
      explain_json: '{}',
    })),
};

let app: Awaited<ReturnType<typeof createServer>>;
let proxy: AxonProxy;
let dendrite: Dendrite;
let axon: { ip: string; port: number; hotkey: string };
const alerts = [
  { alert_id: 'a-1', address: 'addr-1' },
  { alert_id: 'a-2', address: 'addr-2' },
];

beforeAll(async () => {
  await cryptoReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const miner = keyring.addFromSeed(new Uint8Array(32).fill(21));
  const validator = keyring.addFromSeed(new Uint8Array(32).fill(22));
  app = await createServer({ service: fakeService, logger: false, openapi: false, metrics: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const apiPort = (app.server.address() as AddressInfo).port;
  proxy = new AxonProxy({
    hotkey: miner,
    minerApiUrl: `http://127.0.0.1:${apiPort}`,
    registry: StaticNeuronRegistry.validators([validator.address], 10),
    host: '127.0.0.1',
    port: 0,
  });
  const { port } = await proxy.listen();
  axon = { ip: '127.0.0.1', port, hotkey: miner.address };
  dendrite = new Dendrite({ signer: validator });
});

afterAll(async () => {
  await dendrite?.close();
  await proxy?.close();
  await app?.close();
});

describe('through the real miner API server', () => {
  it('serves all three tasks', async () => {
    const [scored] = await dendrite.query([axon], {
      task: 'score_alerts',
      batch_id: 'r-1',
      alerts,
      timeout: 10,
    });
    expect(scored.dendrite.status_code).toBe(200);
    expect(scored.scores?.map((s) => s.score)).toEqual(alerts.map((a) => standInScore(a.alert_id)));
    expect(scored.model_version).toBe('fake-1');
    const [ranked] = await dendrite.query([axon], {
      task: 'rank_alerts',
      batch_id: 'r-2',
      alerts,
      timeout: 10,
    });
    expect(ranked.dendrite.status_code).toBe(200);
    expect(ranked.scores).toHaveLength(2);
    const [clusters] = await dendrite.query([axon], {
      task: 'score_clusters',
      batch_id: 'r-3',
      alerts,
      clusters: [{ cluster_id: 'c-1', related_alert_ids: ['a-1'] }],
      timeout: 10,
    });
    expect(clusters.dendrite.status_code).toBe(200);
    expect(clusters.scores).toEqual([expect.objectContaining({ cluster_id: 'c-1' })]);
  });
  it('passes the API schema error through as 400 with error set', async () => {
    const [bad] = await dendrite.query([axon], {
      task: 'score_alerts',
      batch_id: 'r-4',
      alerts: [{ alert_id: 'x', address: '' }],
      timeout: 10,
    });
    expect(bad.dendrite.status_code).toBe(400);
    expect(bad.error).toMatch(/400/);
  });
});
