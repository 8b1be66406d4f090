import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_FORMATS } from '../schemas/meta.js';
import type { Batch } from './batch.js';
import { addressLabelArb, batchArb } from './batch-arbitraries.test-support.js';
import { batchDir, readBatch, readBatchFolder, writeBatchFolder } from './batch-folder.js';
import { md5Hex, writeFileAtomic } from './fs-atomic.js';
import { readLabels, writeLabels } from './labels.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'aml-batch-folder-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Deep equality where NaN equals NaN and -0 differs from 0 (vitest's toEqual), plus column order. */
function expectSameBatch(actual: Batch, expected: Batch): void {
  expect(actual.key).toEqual(expected.key);
  expect(actual.alerts).toEqual(expected.alerts);
  expect(actual.clusters).toEqual(expected.clusters);
  expect(actual.money_flows).toEqual(expected.money_flows);
  expect(actual.features.address).toEqual(expected.features.address);
  expect([...actual.features.columns.keys()]).toEqual([...expected.features.columns.keys()]);
  for (const [name, values] of expected.features.columns) {
    expect(Array.from(actual.features.columns.get(name)!)).toEqual(Array.from(values));
  }
}

const tiny: Batch = {
  key: { network: 'torus', processing_date: '2025-03-04', window_days: 7 },
  alerts: [],
  features: { address: ['a'], columns: new Map([['degree_in', Float64Array.of(1)]]) },
  clusters: [],
  money_flows: [],
};

describe.each(TABLE_FORMATS)('batch folder (%s)', (format) => {
  it('round-trips random batches and their labels', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(batchArb, fc.array(addressLabelArb, { maxLength: 5 }), async (batch, labels) => {
        const where = join(root, `${format}-${run++}`);
        const { dir, meta } = await writeBatchFolder(where, batch, { format, labels, createdBy: 'test' });
        expect(dir).toBe(batchDir(where, batch.key));
        expect(meta.files.alerts.rows).toBe(batch.alerts.length);
        expect(meta.files.features.rows).toBe(batch.features.address.length);
        expectSameBatch(await readBatchFolder(dir), batch);
        expectSameBatch(await readBatch(where, batch.key), batch);
        expect(await readLabels(where, batch.key.network, batch.key.processing_date)).toEqual(labels);
      }),
      { numRuns: 12 },
    );
  });

  it('records the md5 and size of each file and leaves no temp file', async () => {
    const { dir, meta } = await writeBatchFolder(join(root, `meta-${format}`), tiny, { format });
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(
      [
        'META.json',
        `alerts.${format}`,
        `clusters.${format}`,
        `features.${format}`,
        `money_flows.${format}`,
      ].sort(),
    );
    for (const entry of Object.values(meta.files)) {
      const bytes = await readFile(join(dir, entry!.file));
      expect(entry!.md5).toBe(md5Hex(bytes));
      expect(entry!.bytes).toBe(bytes.byteLength);
    }
    const onDisk = JSON.parse(await readFile(join(dir, 'META.json'), 'utf8'));
    expect(onDisk.files.features.format).toBe(format);
  });

  it('refuses a file whose md5 differs from META.json, naming it', async () => {
    const { dir } = await writeBatchFolder(join(root, `md5-${format}`), tiny, { format });
    await appendFile(join(dir, `features.${format}`), 'x');
    await expect(readBatchFolder(dir)).rejects.toMatchObject({
      code: 'AML_ERR_IO_MD5_MISMATCH',
      message: expect.stringContaining(`features.${format}`),
    });
  });

  it('reports a missing file as not found', async () => {
    const { dir } = await writeBatchFolder(join(root, `missing-${format}`), tiny, { format });
    await rm(join(dir, `clusters.${format}`));
    await expect(readBatchFolder(dir)).rejects.toMatchObject({
      code: 'AML_ERR_IO_NOT_FOUND',
      message: expect.stringContaining(`clusters.${format}`),
    });
  });
});

describe('batch folder errors', () => {
  it('reports a missing folder as not found', async () => {
    await expect(readBatchFolder(join(root, 'nowhere'))).rejects.toMatchObject({
      code: 'AML_ERR_IO_NOT_FOUND',
    });
    await expect(readLabels(root, 'nonet', '2025-01-01')).rejects.toMatchObject({
      code: 'AML_ERR_IO_NOT_FOUND',
    });
  });

  it('rejects a META.json that does not match its schema', async () => {
    const dir = join(root, 'bad-meta');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'META.json'), JSON.stringify({ network: 'x', files: {} }));
    await expect(readBatchFolder(dir)).rejects.toMatchObject({ code: 'AML_ERR_SCHEMA_INVALID' });
  });

  it('rejects a row count that disagrees with META.json', async () => {
    const { dir, meta } = await writeBatchFolder(join(root, 'rows'), tiny, { format: 'json' });
    meta.files.features.rows = 5;
    await writeFile(join(dir, 'META.json'), JSON.stringify(meta));
    await expect(readBatchFolder(dir)).rejects.toMatchObject({ code: 'AML_ERR_IO_FORMAT' });
  });

  it('writes labels apart from the batch, in the chosen format', async () => {
    const labels = [
      { address: 'a', label: 'mixer', risk_level: 'high' as const, confidence_score: 0.5, source: undefined },
    ];
    const path = await writeLabels(root, 'torus', '2025-01-02', labels, 'parquet');
    expect(path).toBe(join(root, 'labels', 'torus', '2025-01-02.parquet'));
    expect(await readLabels(root, 'torus', '2025-01-02')).toEqual(labels);
  });
});

describe('writeFileAtomic', () => {
  it('leaves the old target and no temp file when the final rename fails', async () => {
    const dir = join(root, 'atomic');
    const target = join(dir, 'alerts.json');
    await mkdir(target, { recursive: true }); // a directory where the file should go: rename fails
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['alerts.json']);
  });

  it('replaces a file in one step', async () => {
    const target = join(root, 'atomic2', 'f.json');
    await writeFileAtomic(target, 'one');
    await writeFileAtomic(target, 'two');
    expect(await readFile(target, 'utf8')).toBe('two');
    expect(await readdir(join(root, 'atomic2'))).toEqual(['f.json']);
  });
});
