/**
 * Alert-fields family: what the alert row itself says (severity, confidence, volume, typology,
 * suspected address type, risk indicators). One row per alert, no cross-row information.
 */
import type { Alert } from '../schemas/alert.js';
import type { FeatureMatrix } from './types.js';
import {
  ADDRESS_TYPE_VOCABULARY,
  addressTypeSlot,
  severityOrdinal,
  signedLog1p,
  TYPOLOGY_VOCABULARY,
  typologySlot,
} from './vocabulary.js';

const TYPOLOGY_COLUMNS = TYPOLOGY_VOCABULARY.map((t) => `alert_typology_${t}`);
const ADDRESS_TYPE_COLUMNS = ADDRESS_TYPE_VOCABULARY.map((t) => `alert_address_type_${t}`);

export const ALERT_FIELD_COLUMNS: readonly string[] = [
  'alert_severity',
  'alert_confidence_score',
  'alert_log1p_volume_usd',
  'alert_risk_indicator_count',
  ...TYPOLOGY_COLUMNS,
  ...ADDRESS_TYPE_COLUMNS,
];

/** Fills ALERT_FIELD_COLUMNS, starting at column `offset`. */
export function writeAlertFields(alerts: readonly Alert[], matrix: FeatureMatrix, offset: number): void {
  const stride = matrix.names.length;
  const values = matrix.values;
  const typologyStart = offset + 4;
  const addressTypeStart = typologyStart + TYPOLOGY_COLUMNS.length;
  for (let r = 0; r < alerts.length; r++) {
    const alert = alerts[r]!;
    const base = r * stride;
    values[base + offset] = severityOrdinal(alert.severity);
    values[base + offset + 1] = alert.alert_confidence_score;
    values[base + offset + 2] = signedLog1p(alert.volume_usd);
    values[base + offset + 3] = alert.risk_indicators.length;
    // One-hot: every slot is a known 0 except the alert's own.
    for (let k = 0; k < TYPOLOGY_COLUMNS.length; k++) values[base + typologyStart + k] = 0;
    values[base + typologyStart + typologySlot(alert.typology_type)] = 1;
    for (let k = 0; k < ADDRESS_TYPE_COLUMNS.length; k++) values[base + addressTypeStart + k] = 0;
    values[base + addressTypeStart + addressTypeSlot(alert.suspected_address_type)] = 1;
  }
}
