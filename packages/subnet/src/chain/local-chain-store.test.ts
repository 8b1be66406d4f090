/**
 * LocalChain's state file is its transport: a store opened with a deadline rides out the file
 * being away (retrying with growing backoff, reporting disconnected / attempt-failed /
 * reconnected), and still fails at once on a corrupt file or when no deadline was given.
 */
import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectionEvent } from './connect.js';
import { createLocalChainState } from './local-chain-seed.js';
import { FileStore } from './local-chain-store.js';

async function stateFile() {
  const dir = await mkdtemp(join(tmpdir(), 'aml-filestore-'));
  const path = join(dir, 'chain.json');
  await FileStore.create(path, createLocalChainState({ startBlock: 7 }, 0));
  return path;
}

describe('FileStore when the state file goes away', () => {
  it('retries with backoff until the file is back, for reads and extrinsics', async () => {
    const path = await stateFile();
    const events: ConnectionEvent[] = [];
    const store = new FileStore(path, {
      unavailableTimeoutMs: 5_000,
      initialBackoffMs: 20,
      onEvent: (e) => events.push(e),
    });
    await rename(path, `${path}.away`);
    setTimeout(() => void rename(`${path}.away`, path), 250);
    const offset = await store.update((s) => {
      s.blockOffset += 1;
      return s.blockOffset;
    });
    expect(offset).toBe(8);
    expect((await store.read()).blockOffset).toBe(8);
    expect(events[0]).toEqual({ type: 'disconnected' });
    expect(events.at(-1)).toMatchObject({ type: 'reconnected' });
    const waits = events.flatMap((e) => (e.type === 'attempt-failed' ? [e.retryInMs] : []));
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[1]).toBe(2 * waits[0]); // exponential
  });

  it('gives up at the deadline, and never retries without one or on a corrupt file', async () => {
    const path = await stateFile();
    await rename(path, `${path}.away`);
    const started = Date.now();
    const patient = new FileStore(path, { unavailableTimeoutMs: 300, initialBackoffMs: 50 });
    await expect(patient.read()).rejects.toThrow(/cannot be read/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await expect(new FileStore(path).read()).rejects.toThrow(/cannot be read/);

    await writeFile(path, '{ not json');
    const events: ConnectionEvent[] = [];
    const store = new FileStore(path, { unavailableTimeoutMs: 5_000, onEvent: (e) => events.push(e) });
    await expect(store.read()).rejects.toThrow(/not valid JSON/);
    expect(events).toEqual([]);
  });
});
