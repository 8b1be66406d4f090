/**
 * fast-check arbitraries for rows and bodies as they may arrive on the wire, valid or not, for the
 * equivalence tests of the fast path (fast-rows.test.ts, data/parse-request.test.ts). Test support
 * only. Valid rows come from the coerced-batch arbitraries through a JSON round trip; mutations
 * swap in awkward cells (decimal strings with spaces, 0/1 booleans, JSON-encoded lists, NaN,
 * Infinity, -0, wrong types, impossible dates), drop keys, add unknown and __proto__ keys.
 */
import fc from 'fast-check';
import { alertArb, clusterArb, moneyFlowArb } from '../data/batch-arbitraries.test-support.js';
import { CORE_FEATURE_COLUMNS } from './features.js';

/** Cells chosen to sit on the edges of the coercions in primitives.ts and features.ts. */
const EDGE_CELLS: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  '  12 ',
  '12abc',
  '1e400',
  '-1e400',
  '.5',
  '5.',
  '+3',
  '-0',
  '0x10',
  'NaN',
  'nan',
  'null',
  'Infinity',
  'true',
  'FALSE',
  ' yes ',
  'no',
  '0',
  '1',
  '2',
  'HIGH',
  ' medium ',
  'Critical',
  'extreme',
  '[]',
  '["a","b"]',
  '[1]',
  '[',
  '{"k":1}',
  '2026-01-15',
  '2024-02-29',
  '2026-02-30',
  '2026-1-5',
  ' 2026-01-15',
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  1,
  0.5,
  1.0000001,
  2,
  -1,
  1.5,
  1e21,
  true,
  false,
  [],
  ['a'],
  ['a', 1],
  [null],
  // a sparse array: a hole is not a string
  Object.assign(new Array<string>(2), { 1: 'a' }),
  {},
  { a: 1 },
  { nested: { deep: [1, 'x'] } },
  10n,
];

export const cellArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_CELLS) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => ` ${x} `) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }) },
);

/** A coerced row as a client would send it: JSON turns NaN into null and drops undefined. */
const viaJson = (row: object): Record<string, unknown> => JSON.parse(JSON.stringify(row));

/**
 * Takes a valid wire row and, with some probability, replaces cells, deletes keys and adds unknown
 * ones: so both accepted and rejected rows are frequent.
 */
function mutated(valid: fc.Arbitrary<Record<string, unknown>>, keys: readonly string[]) {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom(...keys), value: cellArb }),
    fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...keys) }),
    fc.record({
      kind: fc.constant('extra' as const),
      key: fc.constantFrom('extra', '__proto__', '0', 'constructor'),
      value: cellArb,
    }),
  );
  return fc.tuple(valid, fc.array(edit, { maxLength: 3 })).map(([row, edits]) => {
    const out = { ...row };
    for (const e of edits) {
      if (e.kind === 'delete') delete out[e.key];
      // defineProperty so a "__proto__" key becomes an own key, as JSON.parse makes it
      else
        Object.defineProperty(out, e.key, {
          value: e.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  });
}

const ALERT_KEYS = [
  'alert_id',
  'address',
  'processing_date',
  'window_days',
  'typology_type',
  'pattern_id',
  'pattern_type',
  'severity',
  'suspected_address_type',
  'suspected_address_subtype',
  'alert_confidence_score',
  'description',
  'volume_usd',
  'evidence_json',
  'risk_indicators',
] as const;
const CLUSTER_KEYS = [
  'cluster_id',
  'cluster_type',
  'primary_address',
  'pattern_id',
  'primary_alert_id',
  'related_alert_ids',
  'addresses_involved',
  'total_alerts',
  'total_volume_usd',
  'severity_max',
  'confidence_avg',
  'earliest_alert_timestamp',
  'latest_alert_timestamp',
] as const;
const MONEY_FLOW_KEYS = [
  'from_address',
  'to_address',
  'tx_count',
  'amount_usd_sum',
  'first_seen_timestamp',
  'last_seen_timestamp',
  'active_days',
  'avg_tx_size_usd',
  'unique_assets',
  'dominant_asset',
  'reciprocity_ratio',
  'is_bidirectional',
] as const;

export const validAlertRow = alertArb.map(viaJson);
export const validClusterRow = clusterArb.map(viaJson);
export const validMoneyFlowRow = moneyFlowArb.map(viaJson);

export const alertRowArb = mutated(validAlertRow, ALERT_KEYS);
export const clusterRowArb = mutated(validClusterRow, CLUSTER_KEYS);
export const moneyFlowRowArb = mutated(validMoneyFlowRow, MONEY_FLOW_KEYS);

const featureKey = fc.oneof(
  fc.constantFrom(...CORE_FEATURE_COLUMNS.slice(0, 6)),
  fc.constantFrom('address', '__proto__', '0', '7', 'x_label', 'emoji_🙂'),
);
const featureCell = fc.oneof(
  cellArb,
  fc.double(),
  fc.string({ maxLength: 4 }).map((s) => `${s}`),
  fc.constantFrom(null, 'nan', 'NULL', ' true ', 'False', 'label'),
);

/** Feature rows: mostly address first with numeric cells (the fast copy form), often not. */
export const featureRowArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc
    .tuple(
      fc.string({ minLength: 1, maxLength: 6 }),
      fc.array(fc.tuple(fc.constantFrom(...CORE_FEATURE_COLUMNS), fc.oneof(fc.double(), fc.constant(null)))),
    )
    .map(([address, cells]) => viaJson({ address, ...Object.fromEntries(cells) })),
  fc.array(fc.tuple(featureKey, featureCell), { maxLength: 8 }).chain((cells) =>
    fc
      .tuple(fc.constant(cells), fc.oneof(fc.string({ maxLength: 4 }), cellArb), fc.nat(8))
      .map(([cs, address, at]) => {
        const entries = [...cs];
        entries.splice(at, 0, ['address', address]);
        // Object.fromEntries defines keys (an own "__proto__" too), as JSON.parse does
        return Object.fromEntries(entries);
      }),
  ),
  // not plain: an inherited enumerable key, and a symbol key
  fc.constant(Object.assign(Object.create({ inherited: 1 }), { address: 'x', degree_in: 2 })),
  fc.constant({ address: 'x', degree_in: 2, [Symbol('s')]: 3 }),
);

/**
 * A canonical text of a value that tells apart everything deep equality may blur: key order and
 * presence, undefined, NaN, -0, holes, prototypes, Map order (Float64Array columns included).
 */
export function canon(x: unknown): string {
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x !== 'object' || x === null) return String(x);
  if (x instanceof Map) return `Map{${[...x].map(([k, v]) => `${canon(k)}=>${canon(v)}`).join(',')}}`;
  if (x instanceof Float64Array) return `F64[${Array.from(x, canon).join(',')}]`;
  if (Array.isArray(x)) {
    const items: string[] = [];
    for (let i = 0; i < x.length; i++) items.push(i in x ? canon(x[i]) : 'hole');
    return `[${items.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(x) === Object.prototype ? '' : 'non-plain';
  const own = Reflect.ownKeys(x).map((k) => `${String(k)}:${canon((x as Record<PropertyKey, unknown>)[k])}`);
  return `${proto}{${own.join(',')}}`;
}

/** What a table key may hold besides an array of rows. */
export const notATable = fc.oneof(fc.constantFrom(null, undefined, [], {}, '', '[]', 0), cellArb);

const table = <T>(rows: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary: fc.array(rows, { maxLength: 4 }) }, { weight: 2, arbitrary: notATable });

/** Bodies with tables of mutated rows, tables of the wrong kind, and missing or null tables. */
export const bodyArb = fc.oneof(
  { weight: 1, arbitrary: cellArb },
  {
    weight: 8,
    arbitrary: fc.record(
      {
        alerts: table(alertRowArb),
        features: table(featureRowArb),
        clusters: table(clusterRowArb),
        money_flows: table(moneyFlowRowArb),
        extra: cellArb,
      },
      { requiredKeys: [] },
    ),
  },
);

export const validBodyArb = fc.record(
  {
    alerts: fc.array(validAlertRow, { maxLength: 5 }),
    features: fc.array(featureRowArb, { maxLength: 3 }),
    clusters: fc.array(validClusterRow, { maxLength: 3 }),
    money_flows: fc.oneof(fc.array(validMoneyFlowRow, { maxLength: 3 }), fc.constant(null)),
  },
  { requiredKeys: ['alerts'] },
);
