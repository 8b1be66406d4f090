/**
 * Step 2 of a cycle: send the cycle's request (real alerts and traps under the batch's aliases)
 * to every serving miner through the dendrite and store every answer the moment it arrives
 * (failures included: a timeout is an answer with status 408), so a miner whose answer was stored
 * is never queried twice for one cycle, whenever the validator is killed.
 */
import { type Batch, encodeBatchArrowField, featureTableToRows } from '@aml/miner-template/data';
import type { MetagraphSnapshot } from '../../chain/types.js';
import type { AmlScoringRequest, AmlScoringSynapse } from '../../protocol/synapse.js';
import type { AnswerRecord } from '../store/types.js';
import type { CycleContext } from './context.js';

export function servingMiners(snapshot: MetagraphSnapshot, ownHotkey: string | undefined) {
  return snapshot.neurons.filter((n) => n.axon !== null && n.hotkey !== ownHotkey);
}

function answerRecord(
  ctx: CycleContext,
  miner: { hotkey: string; uid: number },
  synapse: AmlScoringSynapse,
): AnswerRecord {
  const status = synapse.dendrite.status_code ?? synapse.axon.status_code ?? 0;
  const processTime = synapse.dendrite.process_time;
  return {
    hotkey: miner.hotkey,
    uid: miner.uid,
    statusCode: status,
    elapsedMs:
      typeof processTime === 'number' && Number.isFinite(processTime)
        ? processTime * 1000
        : ctx.settings.timeoutS * 1000,
    modelVersion: synapse.model_version ?? null,
    answer: status === 200 ? synapse.scores : null,
    error:
      status === 200
        ? (synapse.error ?? null)
        : (synapse.dendrite.status_message ?? synapse.error ?? `status ${status}`),
  };
}

/**
 * The cycle's request body tables: by default the batch as `batch_arrow`, encoded here once per
 * cycle (the dendrite then sends the same bytes to every miner); always without explanations,
 * which tier scoring never reads.
 */
export function cycleRequest(
  ctx: CycleContext,
  batchId: string,
  batch: Batch,
): AmlScoringRequest & { task: 'score_alerts' } {
  const common = {
    task: 'score_alerts' as const,
    batch_id: batchId,
    explain: false,
    timeout: ctx.settings.timeoutS,
  };
  if ((ctx.settings.batchEncoding ?? 'arrow') === 'arrow') {
    return { ...common, batch_arrow: encodeBatchArrowField(batch) };
  }
  return {
    ...common,
    alerts: batch.alerts,
    features: featureTableToRows(batch.features),
    clusters: batch.clusters,
    money_flows: batch.money_flows,
  };
}

/**
 * Queries the serving miners that have no stored answer for this cycle yet and stores each answer
 * as it arrives; returns how many answered now with status 200. A crash mid-query loses only the
 * answers still in flight: on resume the miners already answered are skipped. Who answered is
 * read from the answers' summaries, and the answers themselves are not read back here: unpacking
 * 256 answers of 10,000 scores costs seconds, and the tier step reads them once.
 */
export async function queryMiners(
  ctx: CycleContext,
  cycleId: number,
  batchId: string,
  batch: Batch,
  snapshot: MetagraphSnapshot,
): Promise<number> {
  const answered = new Set((await ctx.store.answerSummaries(cycleId)).map((a) => a.hotkey));
  const miners = servingMiners(snapshot, ctx.chain.hotkey).filter((n) => !answered.has(n.hotkey));
  const targets = miners.map((n) => ({ ip: n.axon!.ip, port: n.axon!.port, hotkey: n.hotkey }));
  ctx.logger.info(
    { cycleId, miners: targets.length, answeredBefore: answered.size, alerts: batch.alerts.length },
    'querying miners',
  );
  const started = Date.now();
  let ok = 0;
  const stored = new Set<number>();
  const store = async (i: number, synapse: AmlScoringSynapse) => {
    if (stored.has(i)) return;
    stored.add(i);
    const record = answerRecord(ctx, miners[i], synapse);
    if (record.statusCode === 200) ok++;
    await ctx.store.putAnswer(cycleId, record);
    await ctx.afterStep?.('answer', cycleId);
  };
  const answers =
    targets.length === 0
      ? []
      : await ctx.dendrite.query(targets, cycleRequest(ctx, batchId, batch), {
          timeoutS: ctx.settings.timeoutS,
          concurrency: ctx.settings.concurrency,
          onAnswer: store,
        });
  // A query client that does not report answers one by one (test stand-ins) is stored here.
  for (const [i, synapse] of answers.entries()) await store(i, synapse);
  ctx.logger.info({ cycleId, answered: ok, ms: Date.now() - started }, 'miners answered');
  return ok;
}
