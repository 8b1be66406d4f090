/** One row of the `clusters` table: a group of related alerts (docs/data-contracts.md). */
import { z } from 'zod';
import {
  optionalDecimal,
  optionalInteger,
  optionalText,
  optionalUnitInterval,
  optionalUnixMs,
  severity,
  stringList,
} from './primitives.js';

export const ClusterSchema = z.object({
  cluster_id: z.string(),
  cluster_type: optionalText,
  primary_address: optionalText,
  pattern_id: optionalText,
  primary_alert_id: optionalText,
  related_alert_ids: stringList,
  addresses_involved: stringList,
  total_alerts: optionalInteger,
  total_volume_usd: optionalDecimal,
  severity_max: z
    .union([severity, z.null()])
    .optional()
    .transform((v) => v ?? undefined),
  confidence_avg: optionalUnitInterval,
  earliest_alert_timestamp: optionalUnixMs,
  latest_alert_timestamp: optionalUnixMs,
});

export type Cluster = z.output<typeof ClusterSchema>;
export type ClusterInput = z.input<typeof ClusterSchema>;
