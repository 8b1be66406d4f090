/**
 * The README's `npm start` serves through `node … dist/cli/main.js serve`, not the bin shim:
 * it must start node with the shim's flags (`bin/aml-miner.js`'s `#!` line), or the quick start
 * runs another server than operators do (it kept `--max-semi-space-size=64` after the bin
 * dropped it, which gave every scoring worker a 192 MB young generation).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url);

describe('npm start', () => {
  it('serves with the node flags of the aml-miner bin', () => {
    const shim = readFileSync(new URL('packages/miner-template/bin/aml-miner.js', ROOT), 'utf8');
    const flags = /^#!\/usr\/bin\/env -S node(.*)$/m.exec(shim.split('\n', 1)[0])?.[1].trim();
    expect(flags).toBe('--expose-gc');
    const start = (
      JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { scripts: Record<string, string> }
    ).scripts.start;
    const serve = start
      .split('&&')
      .map((s) => s.trim())
      .find((s) => s.endsWith('dist/cli/main.js serve'));
    expect(serve).toBe(`node ${flags} packages/miner-template/dist/cli/main.js serve`);
  });
});
