/**
 * `npm run bench` in a package: runs every `bench/*.bench.ts` of the package it is started in, each
 * in its own process, one after another (each prints a markdown table with its baseline measured
 * in the same run), or only those whose names contain the arguments: `npm run bench -- shap api`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const packageDir = process.cwd();
const benchDir = join(packageDir, 'bench');
const filters = process.argv.slice(2);
const benches = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
let failed = 0;
for (const bench of benches) {
  process.stdout.write(`\n## ${bench}\n\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, bench)], {
    stdio: 'inherit',
    cwd: packageDir,
  });
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`(${bench} exited with ${run.status ?? run.signal})\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
