import { describe, expect, it } from 'vitest';
import { alignedScores } from './aligned-scores.js';

describe('alignedScores', () => {
  it('aligns entries by alert id and leaves gaps NaN', () => {
    const out = alignedScores(
      [{ alert_id: 'b', score: 0.2 }, { alert_id: 'zz', score: 1 }, 'junk'],
      ['a', 'b'],
    );
    expect(out[0]).toBeNaN();
    expect(out[1]).toBe(0.2);
  });
});
