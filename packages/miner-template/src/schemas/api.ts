/** Miner API responses (docs/api.md). The subnet imports these for the synapse; it never redefines them. */
import { z } from 'zod';

export const AlertScoreSchema = z.object({
  alert_id: z.string(),
  score: z.number().min(0).max(1),
  model_version: z.string(),
  latency_ms: z.number().nonnegative(),
  /** Absent when the request asked for `explain: false`. */
  explain_json: z.string().optional(),
});
export type AlertScore = z.infer<typeof AlertScoreSchema>;

export const AlertRankSchema = z.object({
  alert_id: z.string(),
  rank: z.number().int().positive(),
  score: z.number(),
});
export type AlertRank = z.infer<typeof AlertRankSchema>;

export const ClusterScoreSchema = z.object({
  cluster_id: z.string(),
  score: z.number().min(0).max(1),
  model_version: z.string(),
  latency_ms: z.number().nonnegative(),
  /** Absent when the request asked for `explain: false`. */
  explain_json: z.string().optional(),
});
export type ClusterScore = z.infer<typeof ClusterScoreSchema>;

export const AlertScoresResponseSchema = z.array(AlertScoreSchema);
export const AlertRanksResponseSchema = z.array(AlertRankSchema);
export const ClusterScoresResponseSchema = z.array(ClusterScoreSchema);

/** Content of `explain_json`: exact TreeSHAP contributions in log-odds (raw score units). */
export const ExplanationSchema = z.object({
  top_features: z.array(
    z.object({ name: z.string(), value: z.number().nullable(), contribution: z.number() }),
  ),
  base_value: z.number(),
});
export type Explanation = z.infer<typeof ExplanationSchema>;

export const MODEL_NAMES = ['alert_scorer', 'alert_ranker', 'cluster_scorer'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export const HealthSchema = z.object({
  status: z.enum(['healthy', 'degraded']),
  models_loaded: z.object({
    alert_scorer: z.boolean(),
    alert_ranker: z.boolean(),
    cluster_scorer: z.boolean(),
  }),
  uptime_s: z.number().nonnegative(),
});
export type Health = z.infer<typeof HealthSchema>;

/**
 * What the API reads besides plain JSON, so a front end (the axon proxy) advertises no more than
 * that (docs/protocol.md, negotiated compression). Names, not an enum: a reader keeps the names it
 * knows and ignores the rest, so an API may list a codec newer than its reader.
 */
export const ApiAcceptsSchema = z.object({
  /** `batch_arrow` codecs the API decodes: "gzip" (the protocol default), "br". */
  batch_arrow_codecs: z.array(z.string()),
  /** HTTP Content-Encoding values the API decodes on a request body; [] for plain bodies only. */
  request_codings: z.array(z.string()),
});
export type ApiAccepts = z.infer<typeof ApiAcceptsSchema>;

export const VersionSchema = z.object({
  api_version: z.string(),
  model_versions: z.object({
    alert_scorer: z.string().nullable(),
    alert_ranker: z.string().nullable(),
    cluster_scorer: z.string().nullable(),
  }),
  accepts: ApiAcceptsSchema,
});
export type VersionInfo = z.infer<typeof VersionSchema>;

export const ErrorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
