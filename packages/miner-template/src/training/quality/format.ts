/** The quality report as plain text for the terminal: one block per model, aligned columns. */
import { fmt } from './html.js';
import type { ModelQuality } from './model-quality.js';

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

export function formatModelQuality(q: ModelQuality, topFeatures = 5): string {
  const lines = [`${q.task} v${q.version}: ${q.rows} labelled rows, ${q.positives} positive (${q.positive})`];
  const headline: string[][] = [
    ['metric', 'value'],
    ['AUC-ROC', fmt(q.auc)],
    ['AUC-PR', fmt(q.aucPr)],
  ];
  if (q.ndcgAt10 !== undefined) headline.push(['NDCG@10', fmt(q.ndcgAt10)]);
  headline.push(['calibration (ECE)', q.calibration ? fmt(q.calibration.ece) : 'n/a (ranking scores)']);
  lines.push(...table(headline).map((l) => `  ${l}`));
  const topK = [
    ['top of queue', 'rows', 'precision', 'recall'],
    ...q.topK.map((t) => [
      `top ${+(t.fraction * 100).toFixed(2)}%`,
      String(t.k),
      fmt(t.precision),
      fmt(t.recall),
    ]),
  ];
  lines.push('', ...table(topK).map((l) => `  ${l}`));
  const features = [
    ['top feature', 'gain share', 'splits'],
    ...q.topFeatures
      .slice(0, topFeatures)
      .map((f) => [f.feature, `${(f.share * 100).toFixed(1)}%`, String(f.split)]),
  ];
  lines.push('', ...table(features).map((l) => `  ${l}`));
  return lines.join('\n');
}
