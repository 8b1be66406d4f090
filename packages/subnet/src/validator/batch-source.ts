/**
 * Where the day's batch and, later, its labels come from: a folder (`--batch.dir`), a base URL
 * through the downloader (`--batch.url`), or — the embedded default for trying the validator out —
 * the synthetic generator, seeded by the date so every validator sees the same day.
 */
import { join } from 'node:path';
import type { Batch } from '@aml/miner-template/data';
import { downloadBatches, readBatch, readLabels } from '@aml/miner-template/data';
import { hasErrorCode, ERRORS as TEMPLATE_ERRORS } from '@aml/miner-template/errors';
import type { AddressLabel, BatchKey } from '@aml/miner-template/schemas';
import { generateBatch } from '@aml/miner-template/synthetic';

export interface LoadedBatch {
  batch: Batch;
  source: string;
}

export interface BatchSource {
  load(key: BatchKey): Promise<LoadedBatch>;
  /** Labels for a date, or undefined while they are not published yet. */
  labels(key: BatchKey): Promise<AddressLabel[] | undefined>;
}

function isNotFound(err: unknown): boolean {
  return (
    hasErrorCode(err, TEMPLATE_ERRORS.AML_ERR_IO_NOT_FOUND) || (err as { code?: string }).code === 'ENOENT'
  );
}

export class FolderBatchSource implements BatchSource {
  constructor(
    private readonly root: string,
    private readonly labelsRoot: string = root,
  ) {}

  async load(key: BatchKey): Promise<LoadedBatch> {
    return { batch: await readBatch(this.root, key), source: `dir:${this.root}` };
  }

  async labels(key: BatchKey): Promise<AddressLabel[] | undefined> {
    try {
      return await readLabels(this.labelsRoot, key.network, key.processing_date);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

export class UrlBatchSource implements BatchSource {
  private readonly folder: FolderBatchSource;

  constructor(
    private readonly baseUrl: string,
    private readonly cacheDir: string,
  ) {
    this.folder = new FolderBatchSource(cacheDir);
  }

  async load(key: BatchKey): Promise<LoadedBatch> {
    await downloadBatches({
      baseUrl: this.baseUrl,
      network: key.network,
      startDate: key.processing_date,
      endDate: key.processing_date,
      windowDays: key.window_days,
      out: this.cacheDir,
    });
    return { batch: (await this.folder.load(key)).batch, source: `url:${this.baseUrl}` };
  }

  async labels(key: BatchKey): Promise<AddressLabel[] | undefined> {
    return this.folder.labels(key);
  }
}

/** Seeds the generator from the date, so a date always yields the same batch and labels. */
export function dateSeed(date: string, salt = 0): number {
  return (Number(date.replaceAll('-', '')) * 7919 + salt) >>> 0;
}

export class GeneratedBatchSource implements BatchSource {
  constructor(
    private readonly alerts: number,
    private readonly salt = 0,
  ) {}

  /** The last day generated: a cycle asks for the same day several times (begin, resume, tier 3). */
  private last: { id: string; value: ReturnType<typeof generateBatch> } | undefined;

  private generate(key: BatchKey) {
    const id = `${key.network}/${key.processing_date}/${key.window_days}`;
    if (this.last?.id !== id) this.last = { id, value: this.generateNew(key) };
    return this.last.value;
  }

  private generateNew(key: BatchKey) {
    return generateBatch({
      network: key.network,
      date: key.processing_date,
      windowDays: key.window_days,
      alerts: this.alerts,
      seed: dateSeed(key.processing_date, this.salt),
    });
  }

  async load(key: BatchKey): Promise<LoadedBatch> {
    return { batch: this.generate(key).batch, source: `generated:${this.alerts}:${this.salt}` };
  }

  async labels(key: BatchKey): Promise<AddressLabel[] | undefined> {
    return this.generate(key).labels;
  }
}

export function batchCacheDir(storePath: string): string {
  return join(storePath, '..', 'batches');
}
