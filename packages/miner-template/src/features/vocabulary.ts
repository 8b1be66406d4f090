/**
 * The fixed vocabularies the builders encode categorical fields with. They are part of the feature
 * contract: changing one changes column names, so a model trained before the change no longer
 * loads (by design: a silent shift of one-hot columns would be worse).
 */
import { KNOWN_TYPOLOGIES } from '../schemas/alert.js';
import { SEVERITIES } from '../schemas/primitives.js';

/** Typology one-hot slots: the known typologies plus one bucket for everything else. */
export const TYPOLOGY_VOCABULARY = [...KNOWN_TYPOLOGIES, 'other'] as const;

/**
 * suspected_address_type one-hot slots. Upstream emits free text; these are the kinds an AML
 * analyst distinguishes. A missing or empty value is `unknown`; anything not listed is `other`.
 */
export const ADDRESS_TYPE_VOCABULARY = [
  'exchange',
  'mixer',
  'contract',
  'defi',
  'bridge',
  'wallet',
  'unknown',
  'other',
] as const;

const TYPOLOGY_SLOT = new Map<string, number>(TYPOLOGY_VOCABULARY.map((t, i) => [t, i]));
const ADDRESS_TYPE_SLOT = new Map<string, number>(ADDRESS_TYPE_VOCABULARY.map((t, i) => [t, i]));
const OTHER_TYPOLOGY = TYPOLOGY_VOCABULARY.length - 1;
const UNKNOWN_ADDRESS_TYPE = ADDRESS_TYPE_VOCABULARY.indexOf('unknown');
const OTHER_ADDRESS_TYPE = ADDRESS_TYPE_VOCABULARY.length - 1;

/** Text as matched against a vocabulary: trimmed and lower-cased. */
function normalise(value: string | undefined): string {
  return (value ?? '').trim().toLowerCase();
}

/** Index into TYPOLOGY_VOCABULARY; unlisted (including 'unknown' and 'other') map to 'other'. */
export function typologySlot(typology: string | undefined): number {
  return TYPOLOGY_SLOT.get(normalise(typology)) ?? OTHER_TYPOLOGY;
}

/** Index into ADDRESS_TYPE_VOCABULARY; empty maps to 'unknown', unlisted to 'other'. */
export function addressTypeSlot(addressType: string | undefined): number {
  const key = normalise(addressType);
  if (key === '') return UNKNOWN_ADDRESS_TYPE;
  return ADDRESS_TYPE_SLOT.get(key) ?? OTHER_ADDRESS_TYPE;
}

/** Ordinal severity: low 0, medium 1, high 2, critical 3; missing or unknown is NaN. */
export function severityOrdinal(severity: string | undefined): number {
  if (severity === undefined) return Number.NaN;
  const i = (SEVERITIES as readonly string[]).indexOf(severity.trim().toLowerCase());
  return i < 0 ? Number.NaN : i;
}

/** sign(x)·log1p(|x|): compresses USD amounts, keeps their sign, NaN stays NaN. */
export function signedLog1p(x: number): number {
  return x < 0 ? -Math.log1p(-x) : Math.log1p(x);
}
