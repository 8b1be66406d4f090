/**
 * ops/grafana/aml-subnet.json names Prometheus metrics of the three servers; a renamed metric would
 * leave a panel silently empty. This scrapes what the code really exports (the miner API's and the
 * axon proxy's /metrics over HTTP on 127.0.0.1, the validator's registry, which is what its
 * --metrics.port serves) and checks every aml_* name in the dashboard against it, and that each
 * of our own metrics has a panel.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type ScoringService } from '@aml/miner-template';
import { Keyring } from '@polkadot/keyring';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxonProxy } from '../../src/axon/axon-server.js';
import { StaticNeuronRegistry } from '../../src/axon/neuron-registry.js';
import { cryptoReady } from '../../src/protocol/signing.js';
import { ValidatorMetrics } from '../../src/validator/metrics.js';
import { repoPath } from './repo-facts.js';

const DASHBOARD = repoPath('ops/grafana/aml-subnet.json');

const service: ScoringService = {
  health: () => ({ alert_scorer: true, alert_ranker: true, cluster_scorer: false }),
  versions: () => ({ alert_scorer: '1.0.0', alert_ranker: '1.0.0', cluster_scorer: null }),
  scoreAlerts: async () => [],
  rankAlerts: async () => [],
  scoreClusters: async () => [],
};

/** Sample names a Prometheus text exposition offers: each TYPE'd family, and a histogram's series. */
function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m;
    names.add(name);
    if (type === 'histogram' || type === 'summary')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

interface Panel {
  title: string;
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[]; uid: string };
const named = new Set(
  dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => t.expr.match(/\baml_[a-z0-9_]+/g) ?? [])),
);

let exported: Set<string>;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  const api = await createServer({ service, logger: false, openapi: false });
  await api.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => api.close());
  const apiUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;

  await cryptoReady();
  const keyring = new Keyring({ type: 'sr25519' });
  const proxy = new AxonProxy({
    hotkey: keyring.addFromSeed(new Uint8Array(32).fill(31)),
    minerApiUrl: apiUrl,
    registry: new StaticNeuronRegistry(),
    host: '127.0.0.1',
    port: 0,
  });
  const { port } = await proxy.listen();
  closers.push(() => proxy.close());

  const scrape = async (url: string) => (await request(url)).body.text();
  exported = new Set([
    ...exportedNames(await scrape(`${apiUrl}/metrics`)),
    ...exportedNames(await scrape(`http://127.0.0.1:${port}/metrics`)),
    ...exportedNames(await new ValidatorMetrics().registry.metrics()),
  ]);
});

afterAll(async () => {
  for (const close of closers) await close();
});

describe('ops/grafana/aml-subnet.json', () => {
  it('names only metrics the miner API, the axon proxy and the validator export', () => {
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((name) => !exported.has(name))).toEqual([]);
  });

  it('has a panel for each of our own metrics (process metrics aside)', () => {
    const ours = [...exported].filter(
      (n) => !/_(bucket|sum|count)$/.test(n) && !/^aml_miner_(process|nodejs)_/.test(n),
    );
    const shown = new Set([...named].map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    expect(ours.filter((n) => !shown.has(n))).toEqual([]);
  });

  it('is a Grafana dashboard with a Prometheus datasource variable and unique panel ids', () => {
    expect(dashboard.uid).toBe('aml-subnet');
    const ids = dashboard.panels.map((p) => (p as unknown as { id: number }).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels.filter((x) => x.targets))
      for (const t of p.targets ?? []) expect(t.expr, p.title).toMatch(/\$\w+_job/);
  });
});
