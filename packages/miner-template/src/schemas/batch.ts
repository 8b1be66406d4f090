/**
 * A batch: one day's snapshot for one network (docs/data-contracts.md). `BatchRequestSchema` is the wire body the
 * miner API and the synapse carry; `BatchKeySchema` names a batch on disk and at a URL.
 */
import { z } from 'zod';
import { AlertSchema } from './alert.js';
import { ClusterSchema } from './cluster.js';
import { FeatureRowSchema } from './features.js';
import { MoneyFlowSchema } from './money-flow.js';
import { isoDate } from './primitives.js';

export const NETWORK_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const BatchKeySchema = z.object({
  network: z
    .string()
    .regex(NETWORK_PATTERN, 'expected a lowercase network name such as "torus" or "ethereum"'),
  processing_date: isoDate,
  window_days: z.number().int().positive().max(3650),
});
export type BatchKey = z.infer<typeof BatchKeySchema>;

export const BatchRequestSchema = z.object({
  alerts: z.array(AlertSchema),
  features: z.array(FeatureRowSchema).default([]),
  clusters: z.array(ClusterSchema).default([]),
  money_flows: z
    .array(z.lazy(() => MoneyFlowSchema))
    .nullish()
    .transform((v) => v ?? []),
});

/** A parsed batch body: every table coerced, money_flows defaulted to []. */
export type BatchRequest = z.output<typeof BatchRequestSchema>;
export type BatchRequestInput = z.input<typeof BatchRequestSchema>;

export const TABLE_NAMES = ['alerts', 'features', 'clusters', 'money_flows'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/**
 * What the scoring routes accept: the batch as JSON tables, or as `batch_arrow` (base64 of the
 * gzip-compressed Arrow container, docs/protocol.md) with the JSON tables empty or absent; and
 * `explain` (default true): false skips the TreeSHAP explanations, so entries carry no
 * explain_json. Other keys (a forwarded synapse's envelope) are ignored.
 */
export const ScoringRequestSchema = BatchRequestSchema.extend({
  alerts: z.array(AlertSchema).default([]),
  batch_arrow: z.string().min(1).nullish(),
  explain: z.boolean().nullish(),
});
export type ScoringRequestInput = z.input<typeof ScoringRequestSchema>;
