/**
 * `npm run localnet` as an end-to-end test: real processes on 127.0.0.1 (three miner APIs, three
 * axon proxies, a validator), one full cycle. The chain is a shared LocalChain file, or, when
 * AML_CHAIN_SPEC is set in the environment (which the script inherits), a real runtime under
 * chopsticks (docs/chain.md, "Localnet on chopsticks"). Needs both packages built (turbo builds
 * before testing).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const built = ['packages/miner-template/dist/cli/main.js', 'packages/subnet/dist/cli/validator.js'].every(
  (f) => existsSync(root + f),
);

function runLocalnet(): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [`${root}scripts/localnet.mjs`, '--alerts', '400'], { cwd: root });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => done({ code, out }));
  });
}

describe.skipIf(!built)('npm run localnet', () => {
  it('runs a full cycle: every miner passes tier 1, the weak model scores worst on tier 3, weights are set', async () => {
    const { code, out } = await runLocalnet();
    expect(code, out).toBe(0);
    expect(out).toMatch(/cycle \d+ on torus\/\d{4}-\d{2}-\d{2}\/7: 3 miner\(s\) scored/);
    expect(out).toMatch(/weights set \(set\): uid \d+=/);
    const hotkeyOf = (name: string) => new RegExp(`${name}=(\\S+)`).exec(out)![1];
    const row = (name: string) => {
      const hk = hotkeyOf(name);
      const line = out.split('\n').find((l) => l.includes(`${hk.slice(0, 8)}…${hk.slice(-6)}`))!;
      const cells = line.trim().split(/\s+/);
      return { tier1: cells[2], t3: Number(cells[4]) };
    };
    for (const m of ['miner-a', 'miner-b', 'miner-c']) expect(row(m).tier1).toBe('pass');
    expect(row('miner-c').t3).toBeLessThan(row('miner-a').t3);
    expect(row('miner-c').t3).toBeLessThan(row('miner-b').t3);
  }, 240_000);
});

if (!built) console.warn('[localnet] skipped: build the packages first (npm run build)');
