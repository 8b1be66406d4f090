import { describe, expect, it } from 'vitest';
import { blacklistReason, callerPriority } from './blacklist.js';
import { StaticNeuronRegistry } from './neuron-registry.js';
import { PriorityGate } from './priority-gate.js';

describe('blacklist', () => {
  const registry = new StaticNeuronRegistry([
    ['val', { registered: true, validatorPermit: true, stake: 50 }],
    ['miner', { registered: true, validatorPermit: false, stake: 500 }],
    ['gone', { registered: false, validatorPermit: true, stake: 500 }],
  ]);
  const policy = { minStake: 10, allowedHotkeys: new Set(['friend']), requireValidatorPermit: true };
  it('lets in registered, permitted, staked validators and allow-listed hotkeys only', () => {
    expect(blacklistReason('val', registry, policy)).toBeUndefined();
    expect(blacklistReason('friend', registry, policy)).toBeUndefined();
    expect(blacklistReason('miner', registry, policy)).toMatch(/validator permit/);
    expect(blacklistReason('gone', registry, policy)).toMatch(/not registered/);
    expect(blacklistReason('nobody', registry, policy)).toMatch(/not registered/);
    expect(blacklistReason(undefined, registry, policy)).toMatch(/missing/);
    expect(blacklistReason('val', registry, { ...policy, minStake: 51 })).toMatch(/below 51/);
    expect(blacklistReason('miner', registry, { ...policy, requireValidatorPermit: false })).toBeUndefined();
    expect(callerPriority('val', registry)).toBe(50);
    expect(callerPriority('friend', registry)).toBe(0);
  });
});

describe('priority gate', () => {
  it('runs up to the limit, serves waiters by priority then arrival, and refuses beyond the queue', async () => {
    const gate = new PriorityGate(1, 3);
    const first = await gate.acquire(0, 1000);
    expect(first.ok).toBe(true);
    const order: string[] = [];
    const waiters = [
      ['low', 1],
      ['high', 9],
      ['high2', 9],
    ].map(([name, p]) =>
      gate.acquire(p as number, 5000).then((v) => {
        order.push(name as string);
        if (v.ok) setTimeout(v.release, 1);
        return v.ok;
      }),
    );
    expect(await gate.acquire(100, 1000)).toEqual({ ok: false, reason: 'overloaded' });
    if (first.ok) first.release();
    expect(await Promise.all(waiters)).toEqual([true, true, true]);
    expect(order).toEqual(['high', 'high2', 'low']);
  });
  it('times a waiter out and forgets it', async () => {
    const gate = new PriorityGate(1, 1);
    const held = await gate.acquire(0, 1000);
    expect(await gate.acquire(0, 10)).toEqual({ ok: false, reason: 'timeout' });
    expect(gate.queued).toBe(0);
    if (held.ok) held.release();
    expect(gate.inFlight).toBe(0);
  });
});
