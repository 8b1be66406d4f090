import { describe, expect, it } from 'vitest';
import { AxonCodecMemory, type CodecChangeListener } from './axon-codecs.js';

const BOTH = { 'accept-encoding': 'gzip, br', 'aml-batch-arrow-codecs': 'gzip, br' };

describe('AxonCodecMemory', () => {
  it('keeps what the last answer advertised, and forgets the oldest axon past its capacity', async () => {
    const memory = new AxonCodecMemory(2);
    await memory.learn('a', '10.0.0.1:1', BOTH);
    await memory.learn('b', '10.0.0.2:1', { 'accept-encoding': 'gzip' });
    expect(memory.get('a', '10.0.0.1:1')).toEqual({ gzipBody: true, brotliBatch: true });
    expect(memory.get('b', '10.0.0.2:1')).toEqual({ gzipBody: true, brotliBatch: false });
    await memory.learn('a', '10.0.0.1:1', {});
    expect(memory.get('a', '10.0.0.1:1')).toEqual({ gzipBody: false, brotliBatch: false });
    await memory.learn('c', '10.0.0.3:1', { 'aml-batch-arrow-codecs': 'br' });
    await memory.learn('d', '10.0.0.4:1', { 'aml-batch-arrow-codecs': 'br' });
    expect(memory.get('b', '10.0.0.2:1').gzipBody).toBe(false);
    expect(memory.get('d', '10.0.0.4:1').brotliBatch).toBe(true);
  });

  it('is plain for a hotkey at another address, and the new address replaces the old', async () => {
    const memory = new AxonCodecMemory();
    await memory.learn('a', '10.0.0.1:8091', BOTH);
    expect(memory.get('a', '10.0.0.9:8091')).toEqual({ gzipBody: false, brotliBatch: false });
    await memory.learn('a', '10.0.0.9:8091', { 'accept-encoding': 'gzip' });
    expect(memory.get('a', '10.0.0.1:8091')).toEqual({ gzipBody: false, brotliBatch: false });
    expect(memory.get('a', '10.0.0.9:8091')).toEqual({ gzipBody: true, brotliBatch: false });
  });

  it('tells its listener each change and nothing else; a seeded entry is not a change', async () => {
    const heard: unknown[] = [];
    const listener: CodecChangeListener = (change) => {
      heard.push(change);
    };
    const memory = new AxonCodecMemory(10, listener);
    memory.seed([{ hotkey: 'old', address: '10.0.0.5:1', gzipBody: true, brotliBatch: true }]);
    expect(memory.get('old', '10.0.0.5:1')).toEqual({ gzipBody: true, brotliBatch: true });
    await memory.learn('old', '10.0.0.5:1', BOTH);
    await memory.learn('a', '10.0.0.1:1', BOTH);
    await memory.learn('a', '10.0.0.1:1', BOTH);
    await memory.learn('a', '10.0.0.2:1', BOTH);
    await memory.learn('a', '10.0.0.2:1', {});
    await memory.forget('a');
    await memory.learn('plain', '10.0.0.3:1', {});
    expect(heard).toEqual([
      { hotkey: 'a', address: '10.0.0.1:1', gzipBody: true, brotliBatch: true },
      { hotkey: 'a', address: '10.0.0.2:1', gzipBody: true, brotliBatch: true },
      { hotkey: 'a', forgotten: true },
    ]);
  });
});
