/**
 * A batch on disk (docs/data-contracts.md): `{root}/{network}/{processing_date}/{window_days}/` holding the four
 * tables in one format plus META.json with each file's md5, size and row count. Tables are written
 * first and META.json last, each atomically, so a folder with a META.json is complete; reading
 * verifies every md5 before decoding.
 */
import { join } from 'node:path';
import { amlError, ERRORS } from '../errors.js';
import type { AddressLabel } from '../schemas/address-label.js';
import type { Alert } from '../schemas/alert.js';
import type { BatchKey } from '../schemas/batch.js';
import type { Cluster } from '../schemas/cluster.js';
import {
  BATCH_SCHEMA_VERSION,
  type BatchMeta,
  BatchMetaSchema,
  type TableFile,
  type TableFormat,
} from '../schemas/meta.js';
import type { MoneyFlow } from '../schemas/money-flow.js';
import type { Batch } from './batch.js';
import { withCanonicalColumnOrder } from './feature-table.js';
import { md5Hex, readFileOrNotFound, writeFileAtomic } from './fs-atomic.js';
import { writeLabels } from './labels.js';
import { schemaError } from './parse-request.js';
import { decodeFeatures, decodeRows, encodeFeatures, encodeRows, FORMAT_EXTENSIONS } from './table-codec.js';

export const META_FILE = 'META.json';
export const BATCH_TABLES = ['alerts', 'features', 'clusters', 'money_flows'] as const;
export type BatchTable = (typeof BATCH_TABLES)[number];

/** Relative path of a batch folder under a root (also the URL path under a base URL). */
export function batchPath(key: BatchKey): string {
  return `${key.network}/${key.processing_date}/${key.window_days}`;
}

export function batchDir(root: string, key: BatchKey): string {
  return join(root, key.network, key.processing_date, String(key.window_days));
}

export interface WriteBatchOptions {
  format: TableFormat;
  labels?: AddressLabel[];
  createdBy?: string;
}

function encodeTable(
  batch: Batch,
  table: BatchTable,
  format: TableFormat,
): { bytes: Uint8Array; rows: number } {
  switch (table) {
    case 'features':
      return { bytes: encodeFeatures(batch.features, format), rows: batch.features.address.length };
    case 'alerts':
      return { bytes: encodeRows('alerts', batch.alerts, format), rows: batch.alerts.length };
    case 'clusters':
      return { bytes: encodeRows('clusters', batch.clusters, format), rows: batch.clusters.length };
    case 'money_flows':
      return { bytes: encodeRows('money_flows', batch.money_flows, format), rows: batch.money_flows.length };
  }
}

export async function writeBatchFolder(
  root: string,
  batch: Batch,
  opts: WriteBatchOptions,
): Promise<{ dir: string; meta: BatchMeta }> {
  const dir = batchDir(root, batch.key);
  const files = {} as Record<BatchTable, TableFile>;
  for (const table of BATCH_TABLES) {
    const file = `${table}.${FORMAT_EXTENSIONS[opts.format]}`;
    const { bytes, rows } = encodeTable(batch, table, opts.format);
    await writeFileAtomic(join(dir, file), bytes);
    files[table] = { file, format: opts.format, md5: md5Hex(bytes), bytes: bytes.byteLength, rows };
  }
  const meta: BatchMeta = {
    ...batch.key,
    schema_version: BATCH_SCHEMA_VERSION,
    ...(opts.createdBy === undefined ? {} : { created_by: opts.createdBy }),
    files,
  };
  await writeFileAtomic(join(dir, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
  if (opts.labels !== undefined) {
    await writeLabels(root, batch.key.network, batch.key.processing_date, opts.labels, opts.format);
  }
  return { dir, meta };
}

export function parseMeta(bytes: Uint8Array, where: string): BatchMeta {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_IO_FORMAT, [where, (err as Error).message], undefined, err);
  }
  const parsed = BatchMetaSchema.safeParse(json);
  if (!parsed.success) throw schemaError(where, parsed.error);
  return parsed.data;
}

export async function readBatchMeta(dir: string): Promise<BatchMeta> {
  const path = join(dir, META_FILE);
  return parseMeta(await readFileOrNotFound(path), path);
}

/** The table files a META.json lists, in table order (money_flows may be absent). */
export function metaFiles(meta: BatchMeta): [BatchTable, TableFile][] {
  const out: [BatchTable, TableFile][] = [];
  for (const table of BATCH_TABLES) {
    const entry = meta.files[table];
    if (entry !== undefined) out.push([table, entry]);
  }
  return out;
}

/** Reads one listed file and checks it against META.json (md5 always, size as a quick first test). */
export async function readVerified(dir: string, entry: TableFile): Promise<Buffer> {
  const path = join(dir, entry.file);
  const bytes = await readFileOrNotFound(path);
  const md5 = md5Hex(bytes);
  if (md5 !== entry.md5) {
    throw amlError(ERRORS.AML_ERR_IO_MD5_MISMATCH, [path, entry.md5, md5], {
      file: path,
      expected: entry.md5,
      actual: md5,
    });
  }
  return bytes;
}

export async function readBatchFolder(dir: string): Promise<Batch> {
  const meta = await readBatchMeta(dir);
  const batch: Batch = {
    key: { network: meta.network, processing_date: meta.processing_date, window_days: meta.window_days },
    alerts: [],
    features: { address: [], columns: new Map() },
    clusters: [],
    money_flows: [],
  };
  for (const [table, entry] of metaFiles(meta)) {
    const bytes = await readVerified(dir, entry);
    const format = entry.format;
    const path = join(dir, entry.file);
    let rows: number;
    if (table === 'features') {
      batch.features = withCanonicalColumnOrder(await decodeFeatures(bytes, format, path));
      rows = batch.features.address.length;
    } else if (table === 'alerts') {
      batch.alerts = await decodeRows<Alert>(table, bytes, format, path);
      rows = batch.alerts.length;
    } else if (table === 'clusters') {
      batch.clusters = await decodeRows<Cluster>(table, bytes, format, path);
      rows = batch.clusters.length;
    } else {
      batch.money_flows = await decodeRows<MoneyFlow>(table, bytes, format, path);
      rows = batch.money_flows.length;
    }
    if (rows !== entry.rows) {
      throw amlError(ERRORS.AML_ERR_IO_FORMAT, [
        path,
        `META.json says ${entry.rows} rows, the file has ${rows}`,
      ]);
    }
  }
  return batch;
}

export function readBatch(root: string, key: BatchKey): Promise<Batch> {
  return readBatchFolder(batchDir(root, key));
}
