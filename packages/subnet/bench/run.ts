/**
 * `npm run bench`: runs every `*.bench.ts` of this package in its own process, one after another
 * (each prints a markdown table with its baseline measured in the same run), or only those whose
 * names contain the arguments: `npm run bench -- shap api`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
let failed = 0;
for (const bench of benches) {
  process.stdout.write(`\n## ${bench}\n\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, bench)], {
    stdio: 'inherit',
    cwd: join(here, '..'),
  });
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`(${bench} exited with ${run.status ?? run.signal})\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
