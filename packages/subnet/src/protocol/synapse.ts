/**
 * AmlScoringSynapse: the whole axon ⇄ dendrite contract (docs/protocol.md) in one module. The batch tables
 * and the answer entries are @aml/miner-template's schemas, never redefined here; this module adds
 * the synapse envelope (name, timeout, sizes, TerminalInfos, body hash) and the task → route map.
 */

import type {
  AlertInput,
  AlertRank,
  AlertScore,
  ClusterInput,
  ClusterScore,
  FeatureRowInput,
  MoneyFlowInput,
} from '@aml/miner-template/schemas';
import {
  AlertRankSchema,
  AlertSchema,
  AlertScoreSchema,
  ClusterSchema,
  ClusterScoreSchema,
  FeatureRowSchema,
  MoneyFlowSchema,
} from '@aml/miner-template/schemas';
import { z } from 'zod';
import type { TerminalInfo } from './terminal-info.js';
import { TerminalInfoSchema } from './terminal-info.js';

/** The synapse's class name: the URL path and the `name` field/header. */
export const SYNAPSE_NAME = 'AmlScoringSynapse';

export const TASKS = ['score_alerts', 'rank_alerts', 'score_clusters'] as const;
export type AmlTask = (typeof TASKS)[number];

/** The miner API route that serves each task (docs/api.md). */
export const TASK_ROUTES: Readonly<Record<AmlTask, string>> = {
  score_alerts: '/score/alerts',
  rank_alerts: '/rank/alerts',
  score_clusters: '/score/clusters',
};

/** Default synapse timeout in seconds (the validator's default, docs/validator.md). */
export const DEFAULT_TIMEOUT_S = 120;

export type ScoreEntry = AlertScore | AlertRank | ClusterScore;

/** Answer entries per task: the miner API's response array for that route. */
export const TASK_SCORES_SCHEMAS = {
  score_alerts: z.array(AlertScoreSchema),
  rank_alerts: z.array(AlertRankSchema),
  score_clusters: z.array(ClusterScoreSchema),
} as const;

/** An AmlScoringSynapse as it travels (inputs as they may arrive on the wire). */
export interface AmlScoringSynapse {
  name: string;
  /** Seconds the dendrite waits; the axon runs within it. */
  timeout: number;
  total_size: number;
  header_size: number;
  dendrite: TerminalInfo;
  axon: TerminalInfo;
  computed_body_hash: string;
  // inputs
  task: AmlTask;
  batch_id: string;
  alerts: AlertInput[];
  features: FeatureRowInput[];
  clusters: ClusterInput[];
  money_flows: MoneyFlowInput[];
  /**
   * The four tables as base64 of the gzip-compressed Arrow container (docs/protocol.md), instead
   * of the JSON tables, which are then empty. Hashed into the body hash.
   */
  batch_arrow: string | null;
  /** false: answer without explain_json (the validator's tier scoring does not use it). */
  explain: boolean;
  // outputs
  scores: ScoreEntry[] | null;
  miner_id: string | null;
  model_version: string | null;
  error: string | null;
}

/** Input fields a caller provides; the rest take their defaults. */
export type AmlScoringRequest = Pick<AmlScoringSynapse, 'task' | 'batch_id'> &
  Partial<
    Pick<
      AmlScoringSynapse,
      'alerts' | 'features' | 'clusters' | 'money_flows' | 'batch_arrow' | 'explain' | 'timeout'
    >
  >;

/** A new synapse with Bittensor's defaults for the envelope fields. */
export function createSynapse(request: AmlScoringRequest): AmlScoringSynapse {
  return {
    name: SYNAPSE_NAME,
    timeout: request.timeout ?? DEFAULT_TIMEOUT_S,
    total_size: 0,
    header_size: 0,
    dendrite: {},
    axon: {},
    computed_body_hash: '',
    task: request.task,
    batch_id: request.batch_id,
    alerts: request.alerts ?? [],
    features: request.features ?? [],
    clusters: request.clusters ?? [],
    money_flows: request.money_flows ?? [],
    batch_arrow: request.batch_arrow ?? null,
    explain: request.explain ?? true,
    scores: null,
    miner_id: null,
    model_version: null,
    error: null,
  };
}

const nullableText = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => v ?? null);

const sizeLike = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number), z.null()])
  .optional()
  .transform((v) => v ?? 0);

const timeoutLike = z
  .union([z.number().positive(), z.string().transform(Number).pipe(z.number().positive()), z.null()])
  .optional()
  .transform((v) => v ?? DEFAULT_TIMEOUT_S);

const terminal = z
  .union([TerminalInfoSchema, z.null()])
  .optional()
  .transform((v): TerminalInfo => v ?? {});

/** Envelope and output fields shared by every schema variant below. */
const envelopeShape = {
  name: z.literal(SYNAPSE_NAME).optional().default(SYNAPSE_NAME),
  timeout: timeoutLike,
  total_size: sizeLike,
  header_size: sizeLike,
  dendrite: terminal,
  axon: terminal,
  computed_body_hash: nullableText.transform((v) => v ?? ''),
  task: z.enum(TASKS),
  batch_id: z.string(),
  batch_arrow: z
    .union([z.string().min(1), z.null()])
    .optional()
    .transform((v) => v ?? null),
  explain: z
    .union([z.boolean(), z.null()])
    .optional()
    .transform((v) => v ?? true),
  miner_id: nullableText,
  model_version: nullableText,
  error: nullableText,
};

const scoresShape = z
  .union([z.array(z.union([AlertScoreSchema, AlertRankSchema, ClusterScoreSchema])), z.null()])
  .optional()
  .transform((v) => v ?? null);

const table = <T extends z.ZodType>(row: T) =>
  z
    .union([z.array(row), z.null()])
    .optional()
    .transform((v) => v ?? []);

/**
 * The full schema: every table row checked with the miner template's schemas. Use it where a
 * whole synapse must be trusted; the axon's hot path uses the envelope schema and leaves the rows
 * to the miner API, which checks them anyway.
 */
export const AmlScoringSynapseSchema = z.object({
  ...envelopeShape,
  alerts: table(AlertSchema),
  features: table(FeatureRowSchema),
  clusters: table(ClusterSchema),
  money_flows: table(MoneyFlowSchema),
  scores: scoresShape,
});

/** Envelope only: tables must be arrays, their rows are not inspected. */
export const SynapseEnvelopeSchema = z.object({
  ...envelopeShape,
  alerts: table(z.unknown()),
  features: table(z.unknown()),
  clusters: table(z.unknown()),
  money_flows: table(z.unknown()),
  scores: z.unknown().optional(),
});
export type SynapseEnvelope = z.output<typeof SynapseEnvelopeSchema>;

const responseSchema = (task: AmlTask) =>
  z.object({
    scores: z
      .union([TASK_SCORES_SCHEMAS[task], z.null()])
      .optional()
      .transform((v) => v ?? null),
    miner_id: nullableText,
    model_version: nullableText,
    error: nullableText,
    axon: terminal,
  });

/** Built once per task: zod schema construction is not free on a per-response path. */
const RESPONSE_SCHEMAS = {
  score_alerts: responseSchema('score_alerts'),
  rank_alerts: responseSchema('rank_alerts'),
  score_clusters: responseSchema('score_clusters'),
};

/**
 * An axon's answer as the dendrite reads it: the output fields checked against the task's entry
 * schema; echoed input tables (a Python axon sends them back) are ignored.
 */
export function parseSynapseResponse(
  body: unknown,
  task: AmlTask,
):
  | {
      ok: true;
      value: Pick<AmlScoringSynapse, 'scores' | 'miner_id' | 'model_version' | 'error'> & {
        axon: TerminalInfo;
      };
    }
  | { ok: false; message: string } {
  const parsed = RESPONSE_SCHEMAS[task].safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return { ok: true, value: parsed.data };
}
