/**
 * Inline SVG charts for the quality report, drawn by our code so the page renders offline with
 * no script and no CDN: a line chart over [0, 1]² (ROC, precision–recall, calibration) and a
 * horizontal bar chart (feature importance). Pure string builders; coordinates rounded to 0.01 px
 * so the same data gives the same bytes.
 */
import type { CurvePoint } from './curves.js';

export const CURVE_COLOR = '#1f6feb';
export const REFERENCE_COLOR = '#9a9a9a';

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const px = (v: number) => v.toFixed(2);

export interface Series {
  name: string;
  points: readonly CurvePoint[];
  color: string;
  dashed?: boolean;
  /** Draw a dot at each point (calibration bins). */
  markers?: boolean;
}

export interface LineChart {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  width?: number;
  height?: number;
}

const MARGIN = { left: 52, right: 16, top: 30, bottom: 44 };

export function lineChartSvg(chart: LineChart): string {
  const width = chart.width ?? 420;
  const height = chart.height ?? 340;
  const w = width - MARGIN.left - MARGIN.right;
  const h = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + Math.min(1, Math.max(0, x)) * w;
  const sy = (y: number) => MARGIN.top + (1 - Math.min(1, Math.max(0, y))) * h;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" id="${escapeHtml(chart.id)}" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(chart.title)}">`,
    `<text x="${width / 2}" y="18" text-anchor="middle" class="chart-title">${escapeHtml(chart.title)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${w}" height="${h}" fill="#fff" stroke="#333"/>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const t = i / 5;
    parts.push(
      `<line x1="${px(sx(t))}" y1="${MARGIN.top}" x2="${px(sx(t))}" y2="${MARGIN.top + h}" stroke="#e5e5e5"/>`,
      `<line x1="${MARGIN.left}" y1="${px(sy(t))}" x2="${MARGIN.left + w}" y2="${px(sy(t))}" stroke="#e5e5e5"/>`,
      `<text x="${px(sx(t))}" y="${MARGIN.top + h + 16}" text-anchor="middle" class="tick">${t.toFixed(1)}</text>`,
      `<text x="${MARGIN.left - 6}" y="${px(sy(t) + 4)}" text-anchor="end" class="tick">${t.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + w / 2}" y="${height - 6}" text-anchor="middle" class="axis">${escapeHtml(chart.xLabel)}</text>`,
    `<text transform="translate(14 ${MARGIN.top + h / 2}) rotate(-90)" text-anchor="middle" class="axis">${escapeHtml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${px(sx(p.x))} ${px(sy(p.y))}`).join(' ');
    parts.push(
      `<path class="series" data-series="${escapeHtml(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.dashed ? 1.5 : 2.5}"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
    );
    if (s.markers)
      for (const p of s.points)
        parts.push(`<circle cx="${px(sx(p.x))}" cy="${px(sy(p.y))}" r="3.5" fill="${s.color}"/>`);
    const ly = MARGIN.top + h - 10 - i * 16;
    parts.push(
      `<line x1="${MARGIN.left + w - 150}" y1="${ly - 4}" x2="${MARGIN.left + w - 130}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
      `<text x="${MARGIN.left + w - 126}" y="${ly}" class="legend">${escapeHtml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export interface Bar {
  label: string;
  value: number;
}

/** Horizontal bars scaled to the largest value, with the value printed as a percentage. */
export function barChartSvg(chart: {
  id: string;
  title: string;
  bars: readonly Bar[];
  width?: number;
}): string {
  const width = chart.width ?? 620;
  const labelWidth = 250;
  const row = 20;
  const top = 30;
  const height = top + Math.max(1, chart.bars.length) * row + 10;
  const max = Math.max(...chart.bars.map((b) => b.value), Number.MIN_VALUE);
  const span = width - labelWidth - 70;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" id="${escapeHtml(chart.id)}" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(chart.title)}">`,
    `<text x="${width / 2}" y="18" text-anchor="middle" class="chart-title">${escapeHtml(chart.title)}</text>`,
  ];
  chart.bars.forEach((b, i) => {
    const y = top + i * row;
    const len = (b.value / max) * span;
    parts.push(
      `<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end" class="tick">${escapeHtml(b.label)}</text>`,
      `<rect class="bar" x="${labelWidth}" y="${y + 3}" width="${px(len)}" height="${row - 6}" fill="${CURVE_COLOR}"/>`,
      `<text x="${px(labelWidth + len + 6)}" y="${y + 14}" class="tick">${(b.value * 100).toFixed(1)}%</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
