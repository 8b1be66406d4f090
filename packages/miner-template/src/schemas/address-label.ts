/**
 * Ground truth for an address (docs/data-contracts.md). Never sent to miners. An alert is positive when its
 * address's risk_level is high or critical; confidence_score is its sample weight.
 */
import { z } from 'zod';
import { optionalText, optionalUnitInterval, severity } from './primitives.js';

export const AddressLabelSchema = z.object({
  address: z.string().min(1, 'address is required'),
  label: z.string(),
  risk_level: severity,
  confidence_score: optionalUnitInterval.transform((v) => (Number.isNaN(v) ? 1 : v)),
  source: optionalText,
});

export type AddressLabel = z.output<typeof AddressLabelSchema>;
export type AddressLabelInput = z.input<typeof AddressLabelSchema>;

export const AddressLabelsSchema = z.array(AddressLabelSchema);

/** Positive class of docs/data-contracts.md: high or critical risk. */
export function isPositiveRiskLevel(level: AddressLabel['risk_level']): boolean {
  return level === 'high' || level === 'critical';
}
