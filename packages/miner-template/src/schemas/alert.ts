/** One row of the `alerts` table (docs/data-contracts.md). */
import { z } from 'zod';
import {
  isoDate,
  optionalDecimal,
  optionalInteger,
  optionalText,
  optionalUnitInterval,
  severity,
  stringList,
} from './primitives.js';

/** Typologies the upstream detectors (and our synthetic generator) emit. Others are accepted as free text. */
export const KNOWN_TYPOLOGIES = [
  'layering',
  'fan_in',
  'fan_out',
  'cycle',
  'peel_chain',
  'structuring',
  'mixer_interaction',
] as const;

export const AlertSchema = z.object({
  alert_id: z.string(),
  address: z.string().min(1, 'address is required'),
  processing_date: isoDate.optional(),
  window_days: optionalInteger.optional(),
  typology_type: optionalText.transform((v) => v ?? 'unknown'),
  pattern_id: optionalText,
  pattern_type: optionalText,
  severity: z
    .union([severity, z.null()])
    .optional()
    .transform((v) => v ?? 'medium'),
  suspected_address_type: optionalText.transform((v) => v ?? 'unknown'),
  suspected_address_subtype: optionalText,
  alert_confidence_score: optionalUnitInterval,
  description: optionalText,
  volume_usd: optionalDecimal,
  evidence_json: z
    .union([z.string(), z.record(z.string(), z.unknown()), z.null()])
    .optional()
    .transform((v) =>
      v === null || v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v),
    ),
  risk_indicators: stringList,
});

/** An alert as the rest of the code sees it (coerced: numbers are float64, missing is NaN). */
export type Alert = z.output<typeof AlertSchema>;
/** An alert as it may arrive on the wire. */
export type AlertInput = z.input<typeof AlertSchema>;
