import { afterEach, describe, expect, it, vi } from 'vitest';
import { collectGarbage } from './collect-garbage.js';

const host = globalThis as { gc?: () => void };
const original = host.gc;
afterEach(() => {
  host.gc = original;
});

describe('collectGarbage', () => {
  it('collects through the exposed gc once the live heap reaches the threshold', () => {
    const gc = vi.fn();
    host.gc = gc;
    expect(collectGarbage(0)).toBe(true);
    expect(gc).toHaveBeenCalledTimes(1);
    // a small heap is left alone: a collection would only add its milliseconds to a small request
    expect(collectGarbage(Number.MAX_SAFE_INTEGER)).toBe(false);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  it('does nothing when node runs without --expose-gc', () => {
    host.gc = undefined;
    expect(collectGarbage(0)).toBe(false);
  });
});
