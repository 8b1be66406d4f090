import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readBatch, writeBatchFolder } from '../../data/batch-folder.js';
import { registerDownloadCommand } from './download.js';

let served: string;
let out: string;
let server: Server;
let baseUrl: string;
const key = { network: 'torus', processing_date: '2025-06-01', window_days: 7 };

beforeAll(async () => {
  served = await mkdtemp(join(tmpdir(), 'aml-cli-served-'));
  out = await mkdtemp(join(tmpdir(), 'aml-cli-out-'));
  await writeBatchFolder(
    served,
    { key, alerts: [], features: { address: [], columns: new Map() }, clusters: [], money_flows: [] },
    { format: 'json' },
  );
  server = createServer((req, res) => {
    const file = normalize(join(served, new URL(req.url ?? '/', 'http://x').pathname));
    stat(file).then(
      () => createReadStream(file).pipe(res),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(served, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

describe('aml-miner download', () => {
  it('downloads a batch, reporting progress on stderr and a summary on stdout', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const program = new Command('aml-miner').exitOverride();
      registerDownloadCommand(program);
      await program.parseAsync(
        [
          'download',
          '--network',
          'torus',
          '--start-date',
          key.processing_date,
          '--base-url',
          baseUrl,
          '--out',
          out,
        ],
        { from: 'user' },
      );
      const progress = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(progress).toContain('[1/1] 2025-06-01');
      expect(progress).toContain('alerts.json');
      expect(stdout.mock.calls.map((c) => String(c[0])).join('')).toMatch(
        /^1 batch\(es\) in .+: 4 file\(s\) downloaded/,
      );
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
    expect((await readBatch(out, key)).key).toEqual(key);
  });
});
