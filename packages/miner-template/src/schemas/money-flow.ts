/** One row of the `money_flows` table: a directed address pair aggregated over the window (docs/data-contracts.md). */
import { z } from 'zod';
import {
  booleanLike,
  optionalDecimal,
  optionalInteger,
  optionalText,
  optionalUnitInterval,
  optionalUnixMs,
} from './primitives.js';

export const MoneyFlowSchema = z.object({
  from_address: z.string().min(1, 'from_address is required'),
  to_address: z.string().min(1, 'to_address is required'),
  tx_count: optionalInteger,
  amount_usd_sum: optionalDecimal,
  first_seen_timestamp: optionalUnixMs,
  last_seen_timestamp: optionalUnixMs,
  active_days: optionalInteger,
  avg_tx_size_usd: optionalDecimal,
  unique_assets: optionalInteger,
  dominant_asset: optionalText,
  reciprocity_ratio: optionalUnitInterval,
  is_bidirectional: z
    .union([booleanLike, z.null()])
    .optional()
    .transform((v) => v ?? false),
});

export type MoneyFlow = z.output<typeof MoneyFlowSchema>;
export type MoneyFlowInput = z.input<typeof MoneyFlowSchema>;
