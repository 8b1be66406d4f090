/**
 * CSV writing (RFC 4180): a cell is quoted only when it holds a comma, a quote or a line break;
 * missing values (undefined, null, NaN) are empty cells, which pandas and our table reader read
 * back as missing. Numbers are written in full (shortest round-trip form), so they re-read exactly.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' && Number.isNaN(value)) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(',');
}
