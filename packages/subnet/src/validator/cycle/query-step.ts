/**
 * Step 2 of a cycle: send the cycle's request (real alerts and traps under the batch's aliases) to every serving miner through the dendrite and store
 * every answer (failures included: a timeout is an answer with status 408) before anything is
 * scored, so a crash after this point never queries the miners twice for one cycle.
 */
import { type Batch, featureTableToRows } from '@aml/miner-template';
import type { MetagraphSnapshot } from '../../chain/types.js';
import type { AnswerRecord } from '../store/types.js';
import type { CycleContext } from './context.js';

export function servingMiners(snapshot: MetagraphSnapshot, ownHotkey: string | undefined) {
  return snapshot.neurons.filter((n) => n.axon !== null && n.hotkey !== ownHotkey);
}

export async function queryMiners(
  ctx: CycleContext,
  cycleId: number,
  batchId: string,
  batch: Batch,
  snapshot: MetagraphSnapshot,
): Promise<AnswerRecord[]> {
  const miners = servingMiners(snapshot, ctx.chain.hotkey);
  const targets = miners.map((n) => ({ ip: n.axon!.ip, port: n.axon!.port, hotkey: n.hotkey }));
  ctx.logger.info({ cycleId, miners: targets.length, alerts: batch.alerts.length }, 'querying miners');
  const started = Date.now();
  const answers = await ctx.dendrite.query(
    targets,
    {
      task: 'score_alerts',
      batch_id: batchId,
      alerts: batch.alerts as never,
      features: featureTableToRows(batch.features) as never,
      clusters: batch.clusters as never,
      money_flows: batch.money_flows as never,
      timeout: ctx.settings.timeoutS,
    },
    { timeoutS: ctx.settings.timeoutS, concurrency: ctx.settings.concurrency },
  );
  const records: AnswerRecord[] = answers.map((synapse, i) => {
    const status = synapse.dendrite.status_code ?? synapse.axon.status_code ?? 0;
    const processTime = synapse.dendrite.process_time;
    return {
      hotkey: miners[i].hotkey,
      uid: miners[i].uid,
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
  });
  ctx.logger.info(
    { cycleId, answered: records.filter((r) => r.statusCode === 200).length, ms: Date.now() - started },
    'miners answered',
  );
  return records;
}
