/** Keeps docs/features.md in step with the builders: every column is documented. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RANKED_COLUMNS } from './address-derived.js';
import { alertFeatureNames } from './alert-features.js';
import { clusterFeatureNames, DEFAULT_MEMBER_FEATURE_COLUMNS } from './cluster-features.js';
import { ADDRESS_TYPE_VOCABULARY, TYPOLOGY_VOCABULARY } from './vocabulary.js';

const doc = readFileSync(new URL('../../../../docs/features.md', import.meta.url), 'utf8');

/** Columns documented through a pattern row (`alert_typology_<t>`, `addr_<c>`, ...). */
const PATTERN_PREFIXES = [
  'alert_typology_',
  'alert_address_type_',
  'addr_',
  'rank_addr_',
  'members_mean_addr_',
];

describe('docs/features.md', () => {
  it('documents every alert and cluster column by name', () => {
    const names = [...alertFeatureNames(), ...clusterFeatureNames()];
    const undocumented = names.filter(
      (n) => !PATTERN_PREFIXES.some((p) => n.startsWith(p)) && !doc.includes(`\`${n}\``),
    );
    expect(undocumented).toEqual([]);
  });

  it('lists the vocabularies and default member columns the pattern rows stand for', () => {
    const missing = [
      ...TYPOLOGY_VOCABULARY,
      ...ADDRESS_TYPE_VOCABULARY,
      ...DEFAULT_MEMBER_FEATURE_COLUMNS,
      ...RANKED_COLUMNS,
    ].filter((word) => !doc.includes(word));
    expect(missing).toEqual([]);
  });
});
