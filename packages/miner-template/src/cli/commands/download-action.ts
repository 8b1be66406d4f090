/**
 * `aml-miner download`: fetches SOT batches for a date range from an S3-style base URL into a local
 * batch root (resumable, md5-checked; see data/download.ts). Progress goes to stderr, a one-line
 * summary to stdout.
 */
import { type DownloadProgress, downloadBatches } from '../../data/download.js';
import { checkedFlag, integerFlag } from '../flags.js';

export interface DownloadFlags {
  network: string;
  startDate: string;
  endDate?: string;
  windowDays: string;
  baseUrl: string;
  out: string;
  retries: string;
  labels: boolean;
  skipMissing?: boolean;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function progressLine(event: DownloadProgress): string {
  switch (event.kind) {
    case 'batch':
      return `[${event.index + 1}/${event.total}] ${event.date}: ${event.url}`;
    case 'file':
      return `  ${event.file} ${formatBytes(event.bytes)} ${event.cached ? '(already present, md5 ok)' : 'downloaded'}`;
    case 'missing':
      return `  not on the server, skipped: ${event.url}`;
    case 'labels':
      return `  ${event.file} ${formatBytes(event.bytes)} labels`;
  }
}

/** The command's action, loaded only when the command runs. */
export async function downloadAction(flags: DownloadFlags): Promise<void> {
  const result = await downloadBatches({
    baseUrl: flags.baseUrl,
    network: flags.network,
    startDate: flags.startDate,
    endDate: flags.endDate ?? flags.startDate,
    windowDays: checkedFlag(integerFlag('--window-days', 1), flags.windowDays),
    out: flags.out,
    retries: checkedFlag(integerFlag('--retries', 0), flags.retries),
    labels: flags.labels,
    skipMissing: flags.skipMissing ?? false,
    onProgress: (event) => process.stderr.write(`${progressLine(event)}\n`),
  });
  const files = result.batches.reduce((sum, b) => sum + b.downloaded, 0);
  const cached = result.batches.reduce((sum, b) => sum + b.cached, 0);
  const bytes = result.batches.reduce((sum, b) => sum + b.bytes, 0);
  const missing = result.missing.length > 0 ? `, ${result.missing.length} missing` : '';
  process.stdout.write(
    `${result.batches.length} batch(es) in ${flags.out}: ${files} file(s) downloaded (${formatBytes(bytes)}), ${cached} already present${missing}\n`,
  );
}
