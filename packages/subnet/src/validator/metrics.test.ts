import { describe, expect, it } from 'vitest';
import type { CycleReport } from './cycle/run-cycle.js';
import { ValidatorMetrics } from './metrics.js';
import type { Performance } from './scoring/performance.js';

const perf = (p: number): Performance => ({
  perf: p,
  T1: 1,
  T2: 0,
  T3: 0,
  cycles: 1,
  settledDates: 0,
  t3FromReference: true,
});

describe('ValidatorMetrics', () => {
  it('exports the stealth audit, the reference and how many miners beat it', async () => {
    const metrics = new ValidatorMetrics();
    const report = {
      cycleId: 3,
      batchId: 'torus/2026-01-01/7',
      resumed: false,
      miners: 3,
      tiers: [
        { hotkey: 'a', t1: 1, t2: 0.8 },
        { hotkey: 'b', t1: 1, t2: 0.4 },
        { hotkey: 'c', t1: 0, t2: null },
      ],
      ensembleWeights: new Map(),
      weights: { status: 'skipped', reason: 'rate limit' },
      settled: 0,
      standing: {
        batchDate: '2026-01-01',
        reference: perf(0.45),
        miners: new Map([
          ['a', perf(0.7)],
          ['b', perf(0.45)],
          ['c', perf(0.1)],
        ]),
      },
      stealthAuc: 0.55,
    } as unknown as CycleReport;
    metrics.observe(report, 12);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^aml_validator_trap_stealth_auc 0\.55$/m);
    expect(text).toMatch(/^aml_validator_reference_performance 0\.45$/m);
    // Equal to the reference is not beating it.
    expect(text).toMatch(/^aml_validator_miners_beating_reference 1$/m);
    expect(text).toMatch(/^aml_validator_tier1_passed 2$/m);
    expect(text).toMatch(/^aml_validator_weights_total\{status="skipped"\} 1$/m);
  });
});
