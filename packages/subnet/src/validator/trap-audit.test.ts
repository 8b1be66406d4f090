/**
 * `aml-validator audit-traps` through the real bin: it builds a generated batch's traps as a cycle
 * would and prints the stealth audit, as text and as JSON, writing nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = new URL('../..', import.meta.url).pathname;
/** tsx's loader by absolute URL: the bin runs in a scratch folder, where `--import tsx` resolves nothing. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const run = (args: string[], cwd: string) =>
  spawnSync(
    process.execPath,
    ['--import', TSX, join(packageDir, 'src/cli/validator.ts'), 'audit-traps', ...args],
    {
      cwd,
      encoding: 'utf8',
      env: process.env,
    },
  );

describe('aml-validator audit-traps', () => {
  it('prints the audit of a generated batch and writes no store', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'aml-audit-'));
    const text = run(['--batch.alerts', '300', '--batch.date', '2026-02-01', '--folds', '3'], cwd);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /^trap stealth audit on generated:300:\d+ batch \(300 alerts\): 50 traps \(0 from the bank\) vs \d+ real alerts, 3-fold$/m,
    );
    expect(text.stdout).toMatch(/^AUC (0|1)\.\d{3}: (within|ABOVE) the target \(<= 0\.6\)/m);
    expect(existsSync(join(cwd, 'validator-data'))).toBe(false);

    const json = run(['--batch.alerts', '300', '--batch.date', '2026-02-01', '--folds', '3', '--json'], cwd);
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { auc: number; traps: number; folds: number; target: number };
    expect(report.traps).toBe(50);
    expect(report.folds).toBe(3);
    expect(report.target).toBe(0.6);
    expect(report.auc).toBeGreaterThanOrEqual(0);
    expect(report.auc).toBeLessThanOrEqual(1);
  }, 120_000);
});
