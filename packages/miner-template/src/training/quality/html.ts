/**
 * The quality report as one self-contained HTML page: per model, the headline metrics, precision
 * and recall at the top of the queue, ROC and PR curves, a calibration plot and feature
 * importance, all inline SVG (svg.ts). No script, no external file: it opens offline, from a
 * mail attachment or a CI artifact. Deterministic: no clock, the caller passes any date.
 */

import type { CurvePoint } from './curves.js';
import type { ModelQuality } from './model-quality.js';
import { barChartSvg, CURVE_COLOR, escapeHtml, lineChartSvg, REFERENCE_COLOR, type Series } from './svg.js';

export interface QualityReport {
  title: string;
  /** Where the rows came from, e.g. "3 labelled batches under data/ (torus, window 7)". */
  source: string;
  models: readonly ModelQuality[];
  /** Models left out and why. */
  notes?: readonly string[];
}

const MODEL_TITLES: Record<ModelQuality['task'], string> = {
  alert_scorer: 'Alert scorer',
  alert_ranker: 'Alert ranker',
  cluster_scorer: 'Cluster scorer',
};

export const fmt = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits);

const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 1 : 0)} %`;

const DIAGONAL = [
  { x: 0, y: 0 },
  { x: 1, y: 1 },
];

/** A dashed grey line to read the model's curve against. */
const reference = (name: string, points: CurvePoint[]): Series => ({
  name,
  points,
  color: REFERENCE_COLOR,
  dashed: true,
});

function metricsTable(q: ModelQuality): string {
  const rows: [string, string][] = [
    ['labelled rows', String(q.rows)],
    ['positives', `${q.positives} (${q.positive})`],
    ['AUC-ROC', fmt(q.auc)],
    ['AUC-PR (average precision)', fmt(q.aucPr)],
  ];
  if (q.ndcgAt10 !== undefined) rows.push(['NDCG@10 (per batch)', fmt(q.ndcgAt10)]);
  if (q.calibration) rows.push(['expected calibration error', fmt(q.calibration.ece)]);
  return `<table class="metrics"><tbody>${rows
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('')}</tbody></table>`;
}

function topKTable(q: ModelQuality): string {
  const body = q.topK
    .map(
      (t) =>
        `<tr><td>top ${pct(t.fraction)}</td><td>${t.k}</td><td>${fmt(t.precision)}</td><td>${fmt(t.recall)}</td></tr>`,
    )
    .join('');
  return `<table class="topk"><thead><tr><th>queue</th><th>rows</th><th>precision</th><th>recall</th></tr></thead><tbody>${body}</tbody></table>`;
}

function modelSection(q: ModelQuality): string {
  const id = q.task;
  const baseRate = q.rows > 0 ? q.positives / q.rows : 0;
  const charts = [
    lineChartSvg({
      id: `${id}-roc`,
      title: `ROC (AUC ${fmt(q.auc)})`,
      xLabel: 'false-positive rate',
      yLabel: 'true-positive rate',
      series: [{ name: 'model', points: q.roc, color: CURVE_COLOR }, reference('random', DIAGONAL)],
    }),
    lineChartSvg({
      id: `${id}-pr`,
      title: `Precision–recall (AP ${fmt(q.aucPr)})`,
      xLabel: 'recall',
      yLabel: 'precision',
      series: [
        { name: 'model', points: q.pr, color: CURVE_COLOR },
        reference('positive rate', [
          { x: 0, y: baseRate },
          { x: 1, y: baseRate },
        ]),
      ],
    }),
  ];
  if (q.calibration) {
    charts.push(
      lineChartSvg({
        id: `${id}-calibration`,
        title: `Calibration (ECE ${fmt(q.calibration.ece)})`,
        xLabel: 'mean predicted score',
        yLabel: 'observed positive rate',
        series: [
          {
            name: 'model',
            points: q.calibration.bins
              .filter((b) => b.weight > 0)
              .map((b) => ({ x: b.meanScore, y: b.observedRate })),
            color: CURVE_COLOR,
            markers: true,
          },
          reference('perfect', DIAGONAL),
        ],
      }),
    );
  }
  const importance = barChartSvg({
    id: `${id}-importance`,
    title: 'Feature importance (share of split gain)',
    bars: q.topFeatures.map((f) => ({ label: f.feature, value: f.share })),
  });
  const noCalibration = q.calibration
    ? ''
    : '<p class="note">No calibration plot: the ranker’s scores order alerts within a batch and are not probabilities.</p>';
  return `<section class="model" id="${id}">
<h2>${escapeHtml(MODEL_TITLES[q.task])} <small>v${escapeHtml(q.version)}</small></h2>
<div class="tables">${metricsTable(q)}${topKTable(q)}</div>
<div class="charts">${charts.join('\n')}</div>
${noCalibration}
<div class="charts">${importance}</div>
</section>`;
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:22px}h2{font-size:18px;margin-top:0}small{color:#666;font-weight:normal}
section.model{background:#fff;border:1px solid #ddd;border-radius:6px;padding:16px;margin:16px 0}
.tables{display:flex;gap:32px;flex-wrap:wrap}.charts{display:flex;gap:16px;flex-wrap:wrap;margin-top:12px}
table{border-collapse:collapse;font-size:14px}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}
.chart-title{font-size:14px;font-weight:600}.tick{font-size:11px;fill:#444}.axis,.legend{font-size:12px;fill:#222}
.note{color:#555;font-size:13px}`;

export function renderQualityReport(report: QualityReport): string {
  const notes = (report.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(report.title)}</h1>
<p class="source">${escapeHtml(report.source)}</p>
${notes ? `<ul class="notes">${notes}</ul>` : ''}
${report.models.map(modelSection).join('\n')}
</body>
</html>
`;
}
