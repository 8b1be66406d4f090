/**
 * Bytes on the wire per miner and encode time for one cycle's batch, as the dendrite builds the
 * request body: the JSON tables (the path before batch_arrow, the baseline), batch_arrow as a
 * Python axon gets it (gzip container, plain body), and what negotiated compression adds
 * (docs/protocol.md): a gzip-coded body, a brotli container, and both. Then the answer (one score
 * per alert, no explanations) plain and gzip-coded, the miner side's decode of each request, and
 * the bytes per cycle and miner of each route against JSON's.
 * `node --import tsx bench/batch-transport.bench.ts [alerts]`.
 */
import { loadavg, uptime } from 'node:os';
import { featureTableToRows, generateBatch } from '@aml/miner-template';
import { requestFromBody } from '@aml/miner-template/api';
import { encodeBatchArrowField, unwrapBatchArrowField, wrapBatchArrowField } from '@aml/miner-template/data';
import { encodePayloadFields } from '../src/protocol/codec.js';
import { decodeBody, encodeAnswer, gzipMember } from '../src/protocol/content-coding.js';
import { createSynapse } from '../src/protocol/synapse.js';

const alerts = Number(process.argv[2] ?? 10_000);
const REPS = 3;
const NO_CAP = 2 ** 31;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time<T>(f: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const runs: number[] = [];
  let value!: T;
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    value = await f();
    runs.push(performance.now() - t);
  }
  return { value, ms: median(runs) };
}

const { batch } = generateBatch({ network: 'torus', date: '2026-01-01', windowDays: 7, alerts, seed: 1 });
const body = (fields: Record<string, unknown>) =>
  Buffer.from(
    `{${encodePayloadFields({ ...createSynapse({ task: 'score_alerts', batch_id: 'b', ...fields }) })}}`,
  );

const json = await time(() =>
  body({
    alerts: batch.alerts,
    features: featureTableToRows(batch.features),
    clusters: batch.clusters,
    money_flows: batch.money_flows,
  }),
);
const gzipField = await time(() => encodeBatchArrowField(batch));
// What the dendrite does once per query for axons that read brotli: unwrap, recompress.
const brField = await time(async () =>
  wrapBatchArrowField(unwrapBatchArrowField(gzipField.value, NO_CAP), 'br'),
);
const gzipBody = body({ batch_arrow: gzipField.value, explain: false });
const brBody = body({ batch_arrow: brField.value, explain: false });
const gzipCoded = await time(() => gzipMember(gzipBody));
const brCoded = await time(() => gzipMember(brBody));

// The answer: one score per alert without explanations, as the validator asks (explain: false).
const answer = Buffer.from(
  JSON.stringify({
    scores: batch.alerts.map((a, i) => ({
      alert_id: a.alert_id,
      score: ((i * 7919) % 10_007) / 10_007,
      model_version: 'alert_scorer-1',
      latency_ms: 0.1,
    })),
    miner_id: 'm',
    model_version: 'alert_scorer-1',
    error: null,
  }),
);
const answerCoded = await time(() => encodeAnswer(answer, 'gzip'));

// The miner side: the proxy's decode of a coded body, then the API's decode and validation.
const apiDecode = (bytes: Buffer) => requestFromBody(JSON.parse(bytes.toString('utf8')), NO_CAP);
const decodeJson = await time(() => apiDecode(json.value));
const decodeGzip = await time(() => apiDecode(gzipBody));
const decodeBoth = await time(async () => apiDecode(await decodeBody(brCoded.value, 'gzip', NO_CAP)));

const mb = (n: number) => (n / 1e6).toFixed(2);
const ms = (n: number) => `${n.toFixed(0)} ms`;
console.log(
  `${alerts} alerts, ${batch.money_flows.length} money flows, ${batch.features.address.length} feature rows; load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (up ${Math.round(uptime())} s)\n`,
);
const jsonCycle = json.value.length + answer.length;
const rows: [string, number, string, number, string][] = [
  ['JSON tables (baseline)', json.value.length, ms(json.ms), answer.length, ms(decodeJson.ms)],
  ['batch_arrow gzip, plain body', gzipBody.length, ms(gzipField.ms), answer.length, ms(decodeGzip.ms)],
  [
    'batch_arrow gzip, gzip body',
    gzipCoded.value.length,
    `${ms(gzipField.ms)} + ${ms(gzipCoded.ms)}`,
    answerCoded.value.body.length,
    '–',
  ],
  [
    'batch_arrow brotli, plain body',
    brBody.length,
    `${ms(gzipField.ms)} + ${ms(brField.ms)}`,
    answerCoded.value.body.length,
    '–',
  ],
  [
    'batch_arrow brotli, gzip body (negotiated)',
    brCoded.value.length,
    `${ms(gzipField.ms)} + ${ms(brField.ms)} + ${ms(brCoded.ms)}`,
    answerCoded.value.body.length,
    ms(decodeBoth.ms),
  ],
];
console.log(
  '| request | bytes per miner | encode per cycle, median | answer | request + answer, JSON ÷ these | miner-side decode + validate, median |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, bytes, encode, answerBytes, decode] of rows) {
  const ratio = (jsonCycle / (bytes + answerBytes)).toFixed(1);
  console.log(`| ${name} | ${mb(bytes)} MB | ${encode} | ${mb(answerBytes)} MB | ${ratio}× | ${decode} |`);
}
console.log(
  `\nanswer gzip: ${ms(answerCoded.ms)} per answer; rows 3–4 take the gzip-coded answer, as our axon gives it to any caller that accepts gzip`,
);
