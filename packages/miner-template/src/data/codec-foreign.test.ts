/**
 * Files written by other tools: nullable and non-double feature columns, lists stored as JSON
 * strings, Arrow stream framing. The readers must coerce them exactly as the schemas would.
 */
import { Bool, Float64, Int32, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { FeatureRowSchema } from '../schemas/features.js';
import { encodeRowsArrow } from './codec-arrow.js';
import { featureRowsToTable } from './feature-table.js';
import { decodeFeatures, decodeRows } from './table-codec.js';

/** What the row path (FeatureRowSchema per row, then columns) makes of the same cells. */
function viaRows(raw: Record<string, unknown>[]) {
  return featureRowsToTable(raw.map((r) => FeatureRowSchema.parse(r)));
}

function plain(table: { address: string[]; columns: Map<string, Float64Array> }) {
  return { address: table.address, columns: [...table.columns].map(([k, v]) => [k, Array.from(v)]) };
}

const raw = [
  { address: 'a', degree_in: 1, is_mixer_like: true, kcore: 3, note: 'x', pagerank: null },
  { address: 'b', degree_in: null, is_mixer_like: false, kcore: null, note: 'y', pagerank: 0.25 },
  {
    address: 'c',
    degree_in: 2.5,
    is_mixer_like: null,
    kcore: 7,
    note: 'z',
    pagerank: Number.POSITIVE_INFINITY,
  },
];

describe('foreign feature files', () => {
  it('Arrow: nullable, int, bool and string columns coerce like the row path', async () => {
    const table = new Table({
      address: vectorFromArray(
        raw.map((r) => r.address),
        new Utf8(),
      ),
      degree_in: vectorFromArray(
        raw.map((r) => r.degree_in),
        new Float64(),
      ),
      is_mixer_like: vectorFromArray(
        raw.map((r) => r.is_mixer_like),
        new Bool(),
      ),
      kcore: vectorFromArray(
        raw.map((r) => r.kcore),
        new Int32(),
      ),
      note: vectorFromArray(
        raw.map((r) => r.note),
        new Utf8(),
      ),
      pagerank: vectorFromArray(
        raw.map((r) => r.pagerank),
        new Float64(),
      ),
    });
    const decoded = await decodeFeatures(tableToIPC(table, 'stream'), 'arrow', 'f.arrow');
    expect(plain(decoded)).toEqual(plain(viaRows(raw)));
    expect(decoded.columns.has('note')).toBe(false);
  });

  it('Parquet: optional doubles, int32, boolean and string columns coerce like the row path', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'address', data: raw.map((r) => r.address), type: 'STRING' },
        { name: 'degree_in', data: raw.map((r) => r.degree_in), type: 'DOUBLE' },
        { name: 'is_mixer_like', data: raw.map((r) => r.is_mixer_like), type: 'BOOLEAN' },
        { name: 'kcore', data: raw.map((r) => r.kcore), type: 'INT32' },
        { name: 'note', data: raw.map((r) => r.note), type: 'STRING' },
        { name: 'pagerank', data: raw.map((r) => r.pagerank), type: 'DOUBLE' },
      ],
    });
    const decoded = await decodeFeatures(new Uint8Array(bytes), 'parquet', 'f.parquet');
    expect(plain(decoded)).toEqual(plain(viaRows(raw)));
  });

  it('Parquet: a features file without an address column is a format error', async () => {
    const bytes = parquetWriteBuffer({ columnData: [{ name: 'kcore', data: [1], type: 'DOUBLE' }] });
    await expect(decodeFeatures(new Uint8Array(bytes), 'parquet', 'f.parquet')).rejects.toMatchObject({
      code: 'AML_ERR_IO_FORMAT',
    });
  });

  it('an empty address is a schema error naming the row', async () => {
    const table = new Table({ address: vectorFromArray(['ok', ''], new Utf8()) });
    await expect(decodeFeatures(tableToIPC(table), 'arrow', 'f.arrow')).rejects.toMatchObject({
      code: 'AML_ERR_SCHEMA_INVALID',
      message: expect.stringContaining('[1].address'),
    });
  });
});

describe('foreign row files', () => {
  it('Parquet: list columns stored as JSON strings and decimal strings are read through the schema', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'cluster_id', data: ['c1'], type: 'STRING' },
        { name: 'related_alert_ids', data: ['["a1","a2"]'], type: 'STRING' },
        { name: 'total_volume_usd', data: ['150000.00'], type: 'STRING' },
        { name: 'severity_max', data: ['HIGH'], type: 'STRING' },
      ],
    });
    const [cluster] = await decodeRows<{
      related_alert_ids: string[];
      total_volume_usd: number;
      severity_max: string;
    }>('clusters', new Uint8Array(bytes), 'parquet', 'c.parquet');
    expect(cluster.related_alert_ids).toEqual(['a1', 'a2']);
    expect(cluster.total_volume_usd).toBe(150000);
    expect(cluster.severity_max).toBe('high');
  });

  it('Arrow: stream framing reads like file framing', async () => {
    const flows = [
      {
        from_address: 'a',
        to_address: 'b',
        tx_count: 2,
        amount_usd_sum: Number.NaN,
        first_seen_timestamp: 1,
        last_seen_timestamp: 2,
        active_days: 1,
        avg_tx_size_usd: 3,
        unique_assets: 1,
        dominant_asset: undefined,
        reciprocity_ratio: 0.5,
        is_bidirectional: true,
      },
    ];
    const stream = encodeRowsArrow('money_flows', flows, 'stream');
    const file = encodeRowsArrow('money_flows', flows, 'file');
    expect(await decodeRows('money_flows', stream, 'arrow', 's')).toEqual(flows);
    expect(await decodeRows('money_flows', file, 'arrow', 'f')).toEqual(flows);
  });
});
