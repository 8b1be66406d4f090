/**
 * Bytes on the wire per miner and encode time for one cycle's batch: the JSON tables (today's
 * path, the baseline) against batch_arrow, both as the dendrite builds the synapse body, plus the
 * miner side's decode of each. `node --import tsx bench/batch-transport.bench.ts [alerts]`.
 */
import { loadavg, uptime } from 'node:os';
import { featureTableToRows, generateBatch } from '@aml/miner-template';
import { requestFromBody } from '@aml/miner-template/api';
import { encodeBatchArrowField } from '@aml/miner-template/data';
import { encodePayloadFields } from '../src/protocol/codec.js';
import { createSynapse } from '../src/protocol/synapse.js';

const alerts = Number(process.argv[2] ?? 10_000);
const REPS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(f: () => T): { value: T; ms: number } {
  const runs: number[] = [];
  let value!: T;
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    value = f();
    runs.push(performance.now() - t);
  }
  return { value, ms: median(runs) };
}

const { batch } = generateBatch({ network: 'torus', date: '2026-01-01', windowDays: 7, alerts, seed: 1 });
const tables = {
  alerts: batch.alerts as never,
  features: featureTableToRows(batch.features) as never,
  clusters: batch.clusters as never,
  money_flows: batch.money_flows as never,
};
const body = (fields: Record<string, unknown>) =>
  Buffer.from(
    `{${encodePayloadFields({ ...createSynapse({ task: 'score_alerts', batch_id: 'b', ...fields }) })}}`,
  );

const json = time(() => body(tables));
const arrow = time(() => body({ batch_arrow: encodeBatchArrowField(batch), explain: false }));
const NO_CAP = 2 ** 31;
const jsonDecode = time(() => requestFromBody(JSON.parse(json.value.toString('utf8')), NO_CAP));
const arrowDecode = time(() => requestFromBody(JSON.parse(arrow.value.toString('utf8')), NO_CAP));

const mb = (n: number) => (n / 1e6).toFixed(1);
console.log(
  `${alerts} alerts, ${batch.money_flows.length} money flows, ${batch.features.address.length} feature rows; load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (up ${Math.round(uptime())} s)\n`,
);
console.log('| encoding | bytes per miner | encode, median | miner-side decode + validate, median |');
console.log('| --- | ---: | ---: | ---: |');
console.log(
  `| JSON tables (baseline) | ${mb(json.value.length)} MB | ${json.ms.toFixed(0)} ms | ${jsonDecode.ms.toFixed(0)} ms |`,
);
console.log(
  `| batch_arrow | ${mb(arrow.value.length)} MB | ${arrow.ms.toFixed(0)} ms | ${arrowDecode.ms.toFixed(0)} ms |`,
);
console.log(
  `\nbatch_arrow / JSON bytes: ${(arrow.value.length / json.value.length).toFixed(3)} (${(json.value.length / arrow.value.length).toFixed(1)}× fewer)`,
);
