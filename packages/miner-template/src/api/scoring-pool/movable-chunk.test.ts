import { describe, expect, it } from 'vitest';
import { movableChunk } from './worker-scoring-service.js';

describe('movableChunk', () => {
  it('moves a chunk that is its whole buffer as it is', () => {
    const chunk = Buffer.alloc(65_536, 7);
    expect(movableChunk(chunk)).toBe(chunk);
  });

  it('copies a slice of a larger buffer and a chunk of the Buffer pool, bytes unchanged', () => {
    const slice = Buffer.alloc(100_000, 1).subarray(10, 60_000);
    const pooled = Buffer.from('{"alerts":[]}');
    expect(pooled.buffer.byteLength).toBe(Buffer.poolSize);
    for (const chunk of [slice, pooled]) {
      const moved = movableChunk(chunk);
      expect(moved.buffer).not.toBe(chunk.buffer);
      expect(moved.byteOffset).toBe(0);
      expect(moved.buffer.byteLength).toBe(chunk.length);
      expect(Buffer.from(moved)).toEqual(Buffer.from(chunk));
    }
  });
});
