/**
 * Regime knobs of the generator beyond difficulty: the everyday amount level, the network's size,
 * the typology mix and the export style of the features table. Training on many regimes (and
 * holding one out) is how the shipped models learn what carries over to other producers.
 */
import { z } from 'zod';
import { amlError, ERRORS } from '../errors.js';
import { DEFAULT_EXPORT_STYLE, type ExportStyle, FEATURE_COLUMN_SETS } from './export-style.js';
import { DEFAULT_TYPOLOGY_MIX, TYPOLOGIES, type Typology } from './typologies.js';

export const RegimeOptionsSchema = z.object({
  /** Multiplies everyday (benign) amounts; laundering amounts keep their own scale. */
  amountScale: z.number().min(0.05).max(20).optional(),
  /** Retail users per target alert: the network's size around the alerts (default 3.5). */
  retailPerAlert: z.number().min(1).max(20).optional(),
  /** Relative weights of the planted typologies; unnamed ones keep their default weight. */
  typologyMix: z.partialRecord(z.enum(TYPOLOGIES), z.number().nonnegative()).optional(),
  export: z
    .object({
      featureColumns: z.enum(FEATURE_COLUMN_SETS).optional(),
      missingRate: z.number().min(0).max(0.6).optional(),
      amountDecimals: z.number().int().min(0).max(8).optional(),
    })
    .optional(),
});
export type RegimeOptions = z.input<typeof RegimeOptionsSchema>;

export interface Regime {
  amountScale: number;
  retailPerAlert: number;
  typologyMix: readonly number[];
  export: ExportStyle;
}

export function resolveRegime(options: RegimeOptions = {}): Regime {
  const parsed = RegimeOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw amlError(
      ERRORS.AML_ERR_CONFIG_INVALID,
      [`${issue.path.join('.')}: ${issue.message}`],
      parsed.error.issues,
    );
  }
  const o = parsed.data;
  const mix = TYPOLOGIES.map((t: Typology, i) => o.typologyMix?.[t] ?? DEFAULT_TYPOLOGY_MIX[i]);
  if (!mix.some((w) => w > 0))
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, ['typologyMix: at least one weight must be positive']);
  return {
    amountScale: o.amountScale ?? 1,
    retailPerAlert: o.retailPerAlert ?? 3.5,
    typologyMix: mix,
    export: { ...DEFAULT_EXPORT_STYLE, ...definedOnly(o.export ?? {}) },
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
