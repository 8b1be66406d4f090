/**
 * `aml-miner validate-submission`: one rehearsed validator cycle (tiers 1–3, the settled trap
 * credit, the copy check against the reference, the cycle score next to the reference's and why
 * it would or would not be paid), plus a determinism check, against a running miner API
 * (`--api-url`) or the local model files (`--models-dir`). Exit code 0 when tier 1 passes and
 * the answers are deterministic, 1 otherwise.
 * It also reports the alert scorer's feature coverage of the test batch: from the API's
 * `x-aml-feature-coverage` header, or computed from the local model's input columns.
 */
import { request } from 'undici';
import { featureTableToRows } from '../../data/feature-table.js';
import { amlError, ERRORS } from '../../errors.js';
import { COVERAGE_WARNING_THRESHOLD, featureCoverage } from '../../features/coverage.js';
import { loadModels } from '../../models/model-loader.js';
import type { CycleJudgement, SubmissionReport, SubmissionScorer } from '../../tiers/submission.js';
import { PRODUCERS, type Producer, validateSubmission } from '../../tiers/submission.js';
import { checkedFlag, integerFlag } from '../flags.js';

export interface Options {
  apiUrl?: string;
  modelsDir: string;
  alerts: string;
  traps: string;
  seed: string;
  date: string;
  producer: string;
  timeoutS: string;
  json?: boolean;
}

/** The last coverage a scorer saw; missing groups are known only when scoring locally. */
export interface CoverageSeen {
  coverage?: number;
  missingGroups?: string[];
}

function apiScorer(baseUrl: string, timeoutMs: number, seen: CoverageSeen): SubmissionScorer {
  const url = new URL('/score/alerts', baseUrl);
  return {
    description: `miner API at ${baseUrl}`,
    async scoreAlerts(batch) {
      const body = JSON.stringify({
        alerts: batch.alerts,
        features: featureTableToRows(batch.features),
        clusters: batch.clusters,
        money_flows: batch.money_flows,
      });
      let res: Awaited<ReturnType<typeof request>>;
      try {
        res = await request(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
      } catch (err) {
        throw amlError(ERRORS.AML_ERR_IO_DOWNLOAD, [url.href, (err as Error).message], undefined, err);
      }
      const text = await res.body.text();
      const header = Number(res.headers['x-aml-feature-coverage']);
      if (Number.isFinite(header)) seen.coverage = header;
      if (res.statusCode !== 200) return { status: res.statusCode, body: text.slice(0, 500) };
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return { status: res.statusCode, body: 'not JSON' };
      }
    },
  };
}

async function localScorer(modelsDir: string, seen: CoverageSeen): Promise<SubmissionScorer> {
  const models = await loadModels({ modelsDir });
  const scorer = models.alertScorer;
  if (!scorer)
    throw amlError(ERRORS.AML_ERR_MODEL_NOT_LOADED, [`alert_scorer (${models.problems.alert_scorer})`]);
  return {
    description: `local alert scorer v${scorer.version} in ${modelsDir}`,
    scoreAlerts: (batch) => {
      const c = featureCoverage(batch, scorer.model.featureNames);
      seen.coverage = c.coverage;
      seen.missingGroups = c.missingGroups;
      return scorer.score(batch);
    },
  };
}

const fixed = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(3));

/** "t3 = 0.xxx (AUC …, AP … at p = …)" or why tier 3 is unknown. */
function tier3Line(j: CycleJudgement): string {
  if (!j.tier3) return 'unknown (too few labelled real alerts)';
  const t = j.tier3;
  return `t3 = ${t.t3.toFixed(3)} (AUC ${t.aucRoc.toFixed(3)}, AP ${t.aucPr.toFixed(3)} at p = ${t.positiveRate.toFixed(3)}, ${t.labelled} labelled)`;
}

export function formatCoverage(seen: CoverageSeen): string[] {
  if (seen.coverage === undefined) return ['  feature coverage: not reported by the scorer'];
  const lines = [
    `  feature coverage: ${(seen.coverage * 100).toFixed(1)}% of the alert scorer's input columns`,
  ];
  if (seen.coverage < COVERAGE_WARNING_THRESHOLD)
    lines.push(
      `    warning: below ${COVERAGE_WARNING_THRESHOLD * 100}%${seen.missingGroups ? `; missing groups: ${seen.missingGroups.join(', ')}` : ' (the server log names the missing groups)'}`,
    );
  return lines;
}

export function formatSubmissionReport(r: SubmissionReport, seen: CoverageSeen = {}): string {
  const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const lines = [
    `validate-submission: ${r.scorer}`,
    `  batch (${r.producer === 'foreign' ? 'foreign producer' : 'our generator'}): ${r.alerts} real alerts + ${r.traps} traps, answered in ${r.elapsedMs.toFixed(0)} ms`,
    `  tier 1 (integrity): ${mark(r.tier1.passed)}${r.tier1.failure ? ` — ${r.tier1.failure.code}: ${r.tier1.failure.message}` : ` (mean latency ${r.tier1.meanLatencyMs?.toFixed(3)} ms/alert)`}`,
  ];
  if (r.tier2) {
    const t = r.tier2;
    lines.push(
      `  tier 2 (traps + behaviour): t2 = ${t.t2.toFixed(3)} (trap AUC ${fixed(t.trapAuc)}, behaviour ${t.behaviour.toFixed(3)}; variance ${t.variance.toFixed(4)}, ${t.distinct} distinct values); settled by the labels: ${fixed(r.t2Settled)}`,
    );
    if (t.flags.nearConstant) lines.push('    warning: scores are near-constant (variance < 0.001)');
    if (t.flags.coarse)
      lines.push(
        `    warning: scores are coarse (${t.distinct} distinct values, ${t.distinctRequired} needed)`,
      );
    lines.push(`  tier 3 (ground truth, real alerts): ${tier3Line(r)}`);
  }
  if (r.referenceAgreement)
    lines.push(
      `  copy check against the reference: rank correlation ${fixed(r.referenceAgreement.rankCorrelation)}, mean |difference| ${fixed(r.referenceAgreement.meanAbsDiff)}${r.referenceAgreement.copy ? ' — COPY' : ''}`,
    );
  lines.push(`  determinism: ${mark(r.deterministic.ok)} — ${r.deterministic.detail}`);
  lines.push(...formatCoverage(seen));
  lines.push(
    `  cycle score 0.2·t1 + 0.3·t2 + 0.5·t3: ${r.score.toFixed(3)}; the reference (alert_confidence_score): ${r.reference.score.toFixed(3)} (t2 ${fixed(r.reference.t2Settled)}, ${tier3Line(r.reference)})`,
    `  excess over the reference: ${r.excess >= 0 ? '+' : ''}${r.excess.toFixed(3)} — ${r.verdict}`,
  );
  lines.push(`result: ${mark(r.passed)}`);
  return lines.join('\n');
}

/** The command's action, loaded only when the command runs. */
export async function validateSubmissionAction(opts: Options): Promise<void> {
  const timeoutMs = checkedFlag(integerFlag('--timeout-s', 1), opts.timeoutS) * 1000;
  if (!(PRODUCERS as readonly string[]).includes(opts.producer))
    throw amlError(ERRORS.AML_ERR_CONFIG_INVALID, [
      `--producer expects ${PRODUCERS.join(' or ')}, got "${opts.producer}"`,
    ]);
  const seen: CoverageSeen = {};
  const scorer = opts.apiUrl
    ? apiScorer(opts.apiUrl, timeoutMs, seen)
    : await localScorer(opts.modelsDir, seen);
  const report = await validateSubmission(scorer, {
    alerts: checkedFlag(integerFlag('--alerts', 1), opts.alerts),
    traps: checkedFlag(integerFlag('--traps', 1), opts.traps),
    seed: checkedFlag(integerFlag('--seed', 1), opts.seed),
    date: opts.date,
    producer: opts.producer as Producer,
    timeoutMs,
  });
  process.stdout.write(
    opts.json
      ? `${JSON.stringify(
          {
            ...report,
            tier1: { ...report.tier1, scores: undefined },
            reference: { ...report.reference, tier1: { ...report.reference.tier1, scores: undefined } },
            feature_coverage: seen.coverage ?? null,
            ...(seen.missingGroups ? { feature_coverage_missing_groups: seen.missingGroups } : {}),
          },
          null,
          2,
        )}\n`
      : `${formatSubmissionReport(report, seen)}\n`,
  );
  if (!report.passed) process.exitCode = 1;
}
