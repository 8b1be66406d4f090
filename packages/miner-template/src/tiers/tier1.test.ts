import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTier1 } from './tier1.js';

const ids = ['a1', 'a2', 'a3'];
const entry = (alert_id: string, score: number, extra: Record<string, unknown> = {}) => ({
  alert_id,
  score,
  model_version: '1.0.0',
  latency_ms: 2,
  explain_json: '{}',
  ...extra,
});

describe('checkTier1', () => {
  it('passes a complete answer in any order and aligns scores with the request', () => {
    const r = checkTier1({
      requestedAlertIds: ids,
      answer: [entry('a3', 0.3), entry('a1', 0.1), entry('a2', 0.2)],
      elapsedMs: 10,
    });
    expect(r.passed).toBe(true);
    expect(r.t1).toBe(1);
    expect(Array.from(r.scores!)).toEqual([0.1, 0.2, 0.3]);
    expect(r.modelVersion).toBe('1.0.0');
  });

  const cases: [string, unknown, string][] = [
    ['a non-list', { scores: [] }, 'not_a_list'],
    ['a short answer', [entry('a1', 0.1), entry('a2', 0.2)], 'count_mismatch'],
    ['a duplicate id', [entry('a1', 0.1), entry('a1', 0.2), entry('a2', 0.3)], 'duplicate_alert_id'],
    ['an unknown id', [entry('a1', 0.1), entry('a2', 0.2), entry('zz', 0.3)], 'unknown_alert_id'],
    ['a score above 1', [entry('a1', 1.5), entry('a2', 0.2), entry('a3', 0.3)], 'score_out_of_range'],
    ['a negative score', [entry('a1', -0.1), entry('a2', 0.2), entry('a3', 0.3)], 'score_out_of_range'],
    [
      'an empty model_version',
      [entry('a1', 0.1, { model_version: ' ' }), entry('a2', 0.2), entry('a3', 0.3)],
      'empty_model_version',
    ],
    [
      'a string score',
      [entry('a1', 0.1), { alert_id: 'a2', score: '0.2' }, entry('a3', 0.3)],
      'malformed_entry',
    ],
    [
      'slow alerts',
      [entry('a1', 0.1, { latency_ms: 500 }), entry('a2', 0.2), entry('a3', 0.3)],
      'latency_too_high',
    ],
    [
      'a missing latency',
      [entry('a1', 0.1, { latency_ms: undefined }), entry('a2', 0.2), entry('a3', 0.3)],
      'latency_too_high',
    ],
  ];
  it.each(cases)('fails %s', (_, answer, code) => {
    const r = checkTier1({ requestedAlertIds: ids, answer, elapsedMs: 10 });
    expect(r.passed).toBe(false);
    expect(r.t1).toBe(0);
    expect(r.failure?.code).toBe(code);
  });

  it('fails an answer that arrived after the timeout', () => {
    const answer = ids.map((id) => entry(id, 0.5));
    expect(checkTier1({ requestedAlertIds: ids, answer, elapsedMs: 120_001 }).failure?.code).toBe('timeout');
    expect(checkTier1({ requestedAlertIds: ids, answer, elapsedMs: 120_000 }).passed).toBe(true);
  });

  it('uses the mean latency, not the max: 100 ms on average passes, just above fails', () => {
    const answer = [
      entry('a1', 0.1, { latency_ms: 150 }),
      entry('a2', 0.2, { latency_ms: 50 }),
      entry('a3', 0.3, { latency_ms: 100 }),
    ];
    expect(checkTier1({ requestedAlertIds: ids, answer, elapsedMs: 1 }).passed).toBe(true);
    answer[2].latency_ms = 101;
    expect(checkTier1({ requestedAlertIds: ids, answer, elapsedMs: 1 }).failure?.code).toBe(
      'latency_too_high',
    );
  });

  it('property: any permutation of a valid answer passes with the same aligned scores', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 30 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        fc.func(fc.integer()),
        (alertIds, scoreStream, order) => {
          const scores = alertIds.map(() => scoreStream.next().value as number);
          const answer = alertIds.map((id, i) => entry(id, scores[i]));
          const shuffled = [...answer].sort((x, y) => order(x.alert_id) - order(y.alert_id));
          const r = checkTier1({ requestedAlertIds: alertIds, answer: shuffled, elapsedMs: 0 });
          expect(r.passed).toBe(true);
          expect(Array.from(r.scores!)).toEqual(scores);
        },
      ),
    );
  });
});
