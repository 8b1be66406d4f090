import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { readBatchFolder } from '../../data/batch-folder.js';
import { checkBatchIntegrity } from '../../data/integrity.js';
import { readLabels } from '../../data/labels.js';
import { isAmlError } from '../../errors.js';
import { UPSTREAM_NUMERIC_COLUMNS } from '../../schemas/upstream-features.js';
import { runCli } from '../run.js';
import { registerGenerateCommand } from './generate.js';
import { runGenerate } from './generate-action.js';

const base = {
  network: 'torus',
  date: '2026-01-01',
  alerts: '300',
  seed: '4',
  windowDays: '7',
  difficulty: '0.5',
  format: 'json',
  quiet: true,
};

describe('aml-miner generate', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes a batch folder and labels that read back intact', async () => {
    const out = await mkdtemp(join(tmpdir(), 'aml-gen-'));
    dirs.push(out);
    const truthFile = join(out, 'truth', 'truth.json');
    const line = await runGenerate({ ...base, out, truth: truthFile });
    expect(line).toMatch(/^wrote 300 alerts/);
    const batch = await readBatchFolder(join(out, 'torus', '2026-01-01', '7'));
    expect(batch.alerts).toHaveLength(300);
    expect(checkBatchIntegrity(batch)).toEqual([]);
    // the upstream table's numeric columns (docs/data-contracts.md), as the generator emits them by default
    expect([...batch.features.columns.keys()].sort()).toEqual([...UPSTREAM_NUMERIC_COLUMNS].sort());
    const labels = await readLabels(out, 'torus', '2026-01-01');
    const labelled = new Set(labels.map((l) => l.address));
    for (const a of batch.alerts) expect(labelled.has(a.address)).toBe(true);
    const truth = JSON.parse(await readFile(truthFile, 'utf8'));
    expect(truth.alerts).toHaveLength(300);
  });

  it('rejects bad options with an AmlError naming the option', async () => {
    const cases: [Partial<typeof base>, RegExp][] = [
      [{ date: '2026-13-01' }, /calendar date|YYYY-MM-DD/],
      [{ alerts: '-3' }, /alerts/],
      [{ alerts: 'many' }, /--alerts/],
      [{ difficulty: 'hard' }, /--difficulty/],
      [{ format: 'csv' }, /--format/],
    ];
    for (const [patch, message] of cases) {
      const err = await runGenerate({ ...base, ...patch, out: tmpdir() }).catch((e: unknown) => e);
      expect(isAmlError(err)).toBe(true);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('exits 2 (a usage error) with one readable line through the CLI runner', async () => {
    const program = new Command('aml-miner');
    registerGenerateCommand(program);
    const writes: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    const previous = process.exitCode;
    try {
      await runCli(program, ['node', 'aml-miner', 'generate', '--date', 'not-a-date', '--quiet']);
      expect(process.exitCode).toBe(2);
    } finally {
      process.stderr.write = original;
      process.exitCode = previous;
    }
    expect(writes.join('')).toMatch(/^error \[AML_ERR_CONFIG_INVALID\]: .*date/);
  });
});
