/**
 * Ground-truth labels on disk, apart from the batches (docs/data-contracts.md):
 * `{root}/labels/{network}/{processing_date}.{json|arrow|parquet}`, written atomically and read
 * through AddressLabelSchema. The format is the file's extension.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { amlError, ERRORS } from '../errors.js';
import type { AddressLabel } from '../schemas/address-label.js';
import { TABLE_FORMATS, type TableFormat } from '../schemas/meta.js';
import { readFileOrNotFound, writeFileAtomic } from './fs-atomic.js';
import { decodeRows, encodeRows, FORMAT_EXTENSIONS } from './table-codec.js';

/** Relative path of a labels file (also the URL path under a base URL). */
export function labelsPath(network: string, processingDate: string, format: TableFormat): string {
  return `labels/${network}/${processingDate}.${FORMAT_EXTENSIONS[format]}`;
}

export async function writeLabels(
  root: string,
  network: string,
  processingDate: string,
  labels: readonly AddressLabel[],
  format: TableFormat,
): Promise<string> {
  const path = join(root, labelsPath(network, processingDate, format));
  await writeFileAtomic(path, encodeRows('address_labels', labels, format));
  return path;
}

export function decodeLabels(bytes: Uint8Array, format: TableFormat, file: string): Promise<AddressLabel[]> {
  return decodeRows<AddressLabel>('address_labels', bytes, format, file);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads the labels for a date in whichever format is present (parquet, then arrow, then json). */
export async function readLabels(
  root: string,
  network: string,
  processingDate: string,
): Promise<AddressLabel[]> {
  for (const format of ['parquet', 'arrow', 'json'] as const satisfies readonly TableFormat[]) {
    const path = join(root, labelsPath(network, processingDate, format));
    if (await exists(path)) return decodeLabels(await readFileOrNotFound(path), format, path);
  }
  const tried = TABLE_FORMATS.map((f) => labelsPath(network, processingDate, f)).join(', ');
  throw amlError(ERRORS.AML_ERR_IO_NOT_FOUND, [
    `labels for ${network} ${processingDate} under ${root} (${tried})`,
  ]);
}
