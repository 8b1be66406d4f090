import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Batch } from './batch.js';
import { batchDir, readBatch, writeBatchFolder } from './batch-folder.js';
import { type DownloadProgress, dateRange, downloadBatches } from './download.js';
import { readLabels } from './labels.js';

/** A tiny static server over a folder, with per-path fault injection for the tests. */
interface Faults {
  /** path -> remaining number of 500 answers before serving normally */
  fail500: Map<string, number>;
  /** path -> body to serve instead of the file (a corrupted copy) */
  replace: Map<string, string>;
  /** path -> remaining number of answers cut off mid-body (connection reset) */
  reset: Map<string, number>;
  requests: string[];
}

let served: string;
let out: string;
let server: Server;
let baseUrl: string;
const faults: Faults = { fail500: new Map(), replace: new Map(), reset: new Map(), requests: [] };

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
  faults.requests.push(path);
  const left = faults.fail500.get(path) ?? 0;
  if (left > 0) {
    faults.fail500.set(path, left - 1);
    res.writeHead(500).end('boom');
    return;
  }
  const resets = faults.reset.get(path) ?? 0;
  if (resets > 0) {
    faults.reset.set(path, resets - 1);
    res.writeHead(200, { 'content-length': 1000 });
    res.write('only the first few bytes');
    setTimeout(() => res.socket?.destroy(), 10);
    return;
  }
  const replacement = faults.replace.get(path);
  if (replacement !== undefined) {
    res.writeHead(200).end(replacement);
    return;
  }
  const file = normalize(join(served, path));
  if (!file.startsWith(served)) {
    res.writeHead(403).end();
    return;
  }
  stat(file).then(
    (s) => {
      if (!s.isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-length': s.size });
      createReadStream(file).pipe(res);
    },
    () => res.writeHead(404).end('not found'),
  );
}

const dates = ['2025-01-01', '2025-01-02'];

function batchFor(date: string): Batch {
  return {
    key: { network: 'torus', processing_date: date, window_days: 7 },
    alerts: [
      {
        alert_id: `al-${date}`,
        address: 'addr-1',
        typology_type: 'layering',
        pattern_id: undefined,
        pattern_type: undefined,
        severity: 'high',
        suspected_address_type: 'unknown',
        suspected_address_subtype: undefined,
        alert_confidence_score: 0.9,
        description: 'ünïcode',
        volume_usd: Number.NaN,
        evidence_json: undefined,
        risk_indicators: ['burst', ''],
      },
    ],
    features: { address: ['addr-1'], columns: new Map([['degree_in', Float64Array.of(Number.NaN)]]) },
    clusters: [],
    money_flows: [],
  };
}

beforeAll(async () => {
  served = await mkdtemp(join(tmpdir(), 'aml-dl-served-'));
  for (const date of dates) {
    await writeBatchFolder(served, batchFor(date), {
      format: 'parquet',
      labels:
        date === dates[0]
          ? [
              {
                address: 'addr-1',
                label: 'mixer',
                risk_level: 'critical',
                confidence_score: 1,
                source: 'test',
              },
            ]
          : undefined,
    });
  }
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(served, { recursive: true, force: true });
});

beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'aml-dl-out-'));
  faults.fail500.clear();
  faults.replace.clear();
  faults.reset.clear();
  faults.requests.length = 0;
});

afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

const base = () => ({
  baseUrl,
  network: 'torus',
  startDate: dates[0],
  endDate: dates[1],
  windowDays: 7,
  retryDelayMs: 1,
});

describe('downloadBatches', () => {
  it('downloads every batch byte for byte, with labels when the server has them', async () => {
    const events: DownloadProgress[] = [];
    const result = await downloadBatches({ ...base(), out, onProgress: (e) => events.push(e) });
    expect(result.batches.map((b) => b.date)).toEqual(dates);
    for (const date of dates) {
      const key = batchFor(date).key;
      for (const name of await readdir(batchDir(served, key))) {
        expect(await readFile(join(batchDir(out, key), name))).toEqual(
          await readFile(join(batchDir(served, key), name)),
        );
      }
      expect((await readBatch(out, key)).alerts).toEqual(batchFor(date).alerts);
    }
    expect(await readLabels(out, 'torus', dates[0])).toHaveLength(1);
    expect(result.batches[1].labels).toBeUndefined();
    expect(events.filter((e) => e.kind === 'file')).toHaveLength(8);
  });

  it('resumes: files already present with the right md5 are not fetched again', async () => {
    await downloadBatches({ ...base(), out });
    const key = batchFor(dates[0]).key;
    await writeFile(join(batchDir(out, key), 'alerts.parquet'), 'stale partial content');
    faults.requests.length = 0;
    const result = await downloadBatches({ ...base(), out });
    const fetchedTables = faults.requests.filter((p) => !p.endsWith('META.json') && !p.startsWith('labels/'));
    expect(fetchedTables).toEqual([`torus/${dates[0]}/7/alerts.parquet`]);
    expect(result.batches[0]).toMatchObject({ downloaded: 1, cached: 3 });
    expect(result.batches[1]).toMatchObject({ downloaded: 0, cached: 4 });
    expect((await readBatch(out, key)).alerts).toEqual(batchFor(dates[0]).alerts);
  });

  it('retries a transient 500 and then succeeds', async () => {
    faults.fail500.set(`torus/${dates[0]}/7/features.parquet`, 2);
    faults.fail500.set(`torus/${dates[1]}/7/META.json`, 1);
    const result = await downloadBatches({ ...base(), out, retries: 3 });
    expect(result.batches).toHaveLength(2);
    expect(faults.requests.filter((p) => p.endsWith(`${dates[0]}/7/features.parquet`))).toHaveLength(3);
  });

  it('retries a connection reset in the middle of a body, keeping no partial file', async () => {
    faults.reset.set(`torus/${dates[1]}/7/alerts.parquet`, 1);
    const result = await downloadBatches({ ...base(), out });
    expect(result.batches[1]).toMatchObject({ downloaded: 4 });
    expect(faults.requests.filter((p) => p.endsWith(`${dates[1]}/7/alerts.parquet`))).toHaveLength(2);
    expect((await readBatch(out, batchFor(dates[1]).key)).alerts).toEqual(batchFor(dates[1]).alerts);
  });

  it('gives up after the retries with AML_ERR_IO_DOWNLOAD and leaves no complete-looking file', async () => {
    faults.fail500.set(`torus/${dates[0]}/7/features.parquet`, 10);
    await expect(downloadBatches({ ...base(), out, retries: 2 })).rejects.toMatchObject({
      code: 'AML_ERR_IO_DOWNLOAD',
      message: expect.stringContaining('HTTP 500'),
    });
    const names = await readdir(batchDir(out, batchFor(dates[0]).key));
    expect(names).not.toContain('features.parquet');
    expect(names).not.toContain('META.json');
    expect(names.some((n) => n.endsWith('.part'))).toBe(false);
  });

  it('reports a 404 as AML_ERR_IO_NOT_FOUND naming the URL', async () => {
    await expect(
      downloadBatches({ ...base(), out, startDate: '2024-12-31', endDate: '2024-12-31' }),
    ).rejects.toMatchObject({
      code: 'AML_ERR_IO_NOT_FOUND',
      message: expect.stringContaining('2024-12-31/7/META.json'),
    });
  });

  it('skips a missing date when asked to', async () => {
    const result = await downloadBatches({ ...base(), out, startDate: '2024-12-31', skipMissing: true });
    expect(result.missing).toEqual(['2024-12-31']);
    expect(result.batches.map((b) => b.date)).toEqual(dates);
  });

  it('refuses a file whose md5 differs from META.json and keeps nothing of it', async () => {
    faults.replace.set(`torus/${dates[0]}/7/clusters.parquet`, 'tampered bytes');
    await expect(downloadBatches({ ...base(), out })).rejects.toMatchObject({
      code: 'AML_ERR_IO_MD5_MISMATCH',
      message: expect.stringContaining('clusters.parquet'),
    });
    const names = await readdir(batchDir(out, batchFor(dates[0]).key));
    expect(names).not.toContain('clusters.parquet');
    expect(names).not.toContain('META.json');
    expect(names.some((n) => n.endsWith('.part'))).toBe(false);
  });

  it('rejects a bad base URL and bad dates before any request', async () => {
    await expect(downloadBatches({ ...base(), out, baseUrl: 'not a url' })).rejects.toMatchObject({
      code: 'AML_ERR_IO_DOWNLOAD',
    });
    await expect(
      downloadBatches({ ...base(), out, baseUrl: 'ftp://example.invalid/' }),
    ).rejects.toMatchObject({
      code: 'AML_ERR_IO_DOWNLOAD',
    });
    await expect(downloadBatches({ ...base(), out, startDate: '2025-02-30' })).rejects.toMatchObject({
      code: 'AML_ERR_SCHEMA_INVALID',
    });
    await expect(
      downloadBatches({ ...base(), out, startDate: dates[1], endDate: dates[0] }),
    ).rejects.toMatchObject({
      code: 'AML_ERR_CONFIG_INVALID',
    });
    expect(faults.requests).toEqual([]);
  });

  it('turns a refused connection into AML_ERR_IO_DOWNLOAD after retrying', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(
      downloadBatches({ ...base(), out, baseUrl: `http://127.0.0.1:${port}`, retries: 1 }),
    ).rejects.toMatchObject({ code: 'AML_ERR_IO_DOWNLOAD', message: expect.stringContaining('2 attempt') });
  });
});

describe('dateRange', () => {
  it('lists UTC days inclusively, across month ends and leap days', () => {
    expect(dateRange('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(dateRange('2025-01-01', '2025-01-01')).toEqual(['2025-01-01']);
  });
});
