/**
 * Exports a batch's canonical ensemble scores (the subnet's product) as JSON, Arrow IPC or
 * Parquet: one row per real alert with its score, standard deviation and miner count. Traps never
 * reach the canonical table, so nothing here needs filtering. The Arrow and Parquet writers are
 * loaded when a batch is exported in their format, not when the validator starts.
 */
import type { CanonicalRecord } from './store/types.js';

export const EXPORT_FORMATS = ['json', 'arrow', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export async function encodeCanonical(
  batchId: string,
  rows: readonly CanonicalRecord[],
  format: ExportFormat,
): Promise<Uint8Array> {
  if (format === 'json') {
    const out = rows.map((r) => ({
      batch_id: batchId,
      alert_id: r.alertId,
      score: Number.isNaN(r.score) ? null : r.score,
      std: Number.isNaN(r.std) ? null : r.std,
      miner_count: r.minerCount,
    }));
    return new TextEncoder().encode(`${JSON.stringify(out, null, 1)}\n`);
  }
  const alertId = rows.map((r) => r.alertId);
  const score = Float64Array.from(rows, (r) => r.score);
  const std = Float64Array.from(rows, (r) => r.std);
  const minerCount = Int32Array.from(rows, (r) => r.minerCount);
  if (format === 'arrow') {
    const { tableFromArrays, tableToIPC } = await import('apache-arrow');
    return tableToIPC(
      tableFromArrays({
        batch_id: rows.map(() => batchId),
        alert_id: alertId,
        score,
        std,
        miner_count: minerCount,
      }),
      'file',
    );
  }
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'batch_id', data: rows.map(() => batchId), type: 'STRING' },
        { name: 'alert_id', data: alertId, type: 'STRING' },
        { name: 'score', data: score, type: 'DOUBLE' },
        { name: 'std', data: std, type: 'DOUBLE' },
        { name: 'miner_count', data: minerCount, type: 'INT32' },
      ],
    }),
  );
}
