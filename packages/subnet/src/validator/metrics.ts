/**
 * Prometheus metrics of the validator: cycle duration, miners answered, tier pass rates, weights
 * set, the traps' stealth and the reference every miner must beat.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CycleReport } from './cycle/run-cycle.js';

export class ValidatorMetrics {
  readonly registry = new Registry();
  private readonly cycleSeconds = new Histogram({
    name: 'aml_validator_cycle_seconds',
    help: 'wall time of a validator cycle',
    buckets: [1, 5, 15, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  private readonly miners = new Gauge({
    name: 'aml_validator_miners_queried',
    help: 'miners queried in the last cycle',
    registers: [this.registry],
  });
  private readonly passed = new Gauge({
    name: 'aml_validator_tier1_passed',
    help: 'miners passing tier 1 in the last cycle',
    registers: [this.registry],
  });
  private readonly meanT2 = new Gauge({
    name: 'aml_validator_tier2_mean',
    help: 'mean tier 2 score of tier-1 passers',
    registers: [this.registry],
  });
  private readonly weights = new Counter({
    name: 'aml_validator_weights_total',
    help: 'weight submissions by outcome',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly stealth = new Gauge({
    name: 'aml_validator_trap_stealth_auc',
    help: 'AUC of the trap-vs-real detector on the last cycle (0.5: traps indistinguishable; target <= 0.6)',
    registers: [this.registry],
  });
  private readonly referencePerf = new Gauge({
    name: 'aml_validator_reference_performance',
    help: 'performance of the reference (alert_confidence_score) over the window',
    registers: [this.registry],
  });
  private readonly beatReference = new Gauge({
    name: 'aml_validator_miners_beating_reference',
    help: 'miners whose performance is above the reference',
    registers: [this.registry],
  });
  private readonly cycles = new Counter({
    name: 'aml_validator_cycles_total',
    help: 'cycles completed',
    registers: [this.registry],
  });

  observe(report: CycleReport, seconds: number): void {
    this.cycleSeconds.observe(seconds);
    this.cycles.inc();
    this.miners.set(report.tiers.length);
    const passers = report.tiers.filter((t) => t.t1 === 1);
    this.passed.set(passers.length);
    this.meanT2.set(passers.length ? passers.reduce((s, t) => s + (t.t2 ?? 0), 0) / passers.length : 0);
    this.weights.inc({ status: report.weights.status });
    if (report.stealthAuc !== undefined && Number.isFinite(report.stealthAuc))
      this.stealth.set(report.stealthAuc);
    if (report.standing) {
      const ref = report.standing.reference.perf;
      this.referencePerf.set(ref);
      this.beatReference.set([...report.standing.miners.values()].filter((p) => p.perf > ref).length);
    }
  }
}
