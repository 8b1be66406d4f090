/**
 * The trials table (trials.csv): one row per trial with its id, the strategy that proposed it,
 * every searched parameter, the metric's CV mean and standard deviation, and the seconds it took.
 * RFC 4180 quoting; numbers written in full so the table re-reads exactly.
 */
import { csvLine } from '../../data/csv.js';
import type { Trial } from './search.js';
import type { SearchSpace } from './space.js';

export function formatTrialsCsv(trials: readonly Trial[], space: SearchSpace, metric: string): string {
  // Parameters the completion step added (bagging_freq) get their own columns after the space's.
  const names = space.map((p) => p.name);
  for (const t of trials)
    for (const name of Object.keys(t.params)) if (!names.includes(name)) names.push(name);
  const header = ['id', 'sampler', ...names, 'metric', 'mean', 'std', 'seconds', 'error'];
  const rows = trials.map((t) =>
    csvLine([
      t.id,
      t.sampler,
      ...names.map((n) => t.params[n]),
      metric,
      t.mean,
      t.std,
      t.seconds.toFixed(3),
      t.error,
    ]),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
