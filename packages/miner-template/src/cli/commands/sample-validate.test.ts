import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BatchRequestSchema } from '../../schemas/batch.js';
import { runCli } from '../run.js';
import { registerSampleCommand } from './sample.js';
import { registerValidateSubmissionCommand } from './validate-submission.js';
import { formatCoverage } from './validate-submission-action.js';

const MODELS = fileURLToPath(new URL('../../../../../trained_models', import.meta.url));

function program(): Command {
  const p = new Command('aml-miner');
  registerSampleCommand(p);
  registerValidateSubmissionCommand(p);
  return p;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  process.exitCode = 0;
  try {
    await runCli(program(), ['node', 'aml-miner', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out, err };
}

describe('aml-miner sample and validate-submission', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('sample writes a request body the API schema accepts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aml-sample-'));
    dirs.push(dir);
    const file = join(dir, 'req.json');
    const r = await run(['sample', '--alerts', '30', '--seed', '2', '--out', file]);
    expect(r.code).toBe(0);
    const body = BatchRequestSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(body.alerts).toHaveLength(30);
    expect(body.features.length).toBeGreaterThan(0);
  });

  it('validate-submission passes the shipped models and prints the report', async () => {
    const r = await run([
      'validate-submission',
      '--models-dir',
      MODELS,
      '--alerts',
      '200',
      '--traps',
      '10',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.passed).toBe(true);
    expect(report.tier1.passed).toBe(true);
    expect(report.deterministic.ok).toBe(true);
    // our generator sends the full upstream table: nearly every input column is carried
    expect(report.feature_coverage).toBeGreaterThan(0.95);
    expect(report.feature_coverage).toBeLessThanOrEqual(1);
  });

  it('reports feature coverage in the text report', async () => {
    const r = await run(['validate-submission', '--models-dir', MODELS, '--alerts', '100', '--traps', '10']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/feature coverage: \d+\.\d% of the alert scorer's input columns/);
  });

  it('warns below 80 % coverage and names the missing groups it knows', () => {
    const low = formatCoverage({ coverage: 0.55, missingGroups: ['distribution', 'money_flows'] }).join('\n');
    expect(low).toContain('55.0%');
    expect(low).toMatch(/warning: below 80%; missing groups: distribution, money_flows/);
    expect(formatCoverage({ coverage: 0.9 }).join('\n')).not.toContain('warning');
    expect(formatCoverage({}).join('\n')).toContain('not reported');
  });

  it('refuses a bad count with one readable line and exit 2', async () => {
    const r = await run(['validate-submission', '--models-dir', MODELS, '--alerts', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error \[AML_ERR_CONFIG_INVALID\]: .*--alerts must be an integer >= 1/);
  });
});
