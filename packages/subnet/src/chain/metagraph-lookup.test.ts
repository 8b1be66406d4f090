import { describe, expect, it } from 'vitest';
import { LocalChain } from './local-chain.js';
import { MetagraphSync, metagraphLookup } from './metagraph-lookup.js';

const seed = {
  subnets: [
    {
      netuid: 2,
      neurons: [
        { hotkey: 'validator', coldkey: 'c', stake: 2000, validatorPermit: true },
        { hotkey: 'miner', coldkey: 'c', stake: 3 },
      ],
    },
  ],
};

describe('metagraphLookup / MetagraphSync', () => {
  it('answers the blacklist questions from a snapshot', async () => {
    const chain = LocalChain.inMemory(seed);
    const lookup = metagraphLookup(await chain.metagraph(2));
    expect(lookup('validator')).toEqual({ registered: true, validatorPermit: true, stake: 2000 });
    expect(lookup('miner')).toEqual({ registered: true, validatorPermit: false, stake: 3 });
    expect(lookup('stranger')).toBeUndefined();
  });

  it('follows the chain on refresh and keeps the last snapshot when a read fails', async () => {
    const chain = LocalChain.inMemory(seed);
    const sync = new MetagraphSync(chain, 2, { intervalMs: 3_600_000 });
    await sync.start();
    expect(sync.lookup('miner')?.validatorPermit).toBe(false);
    await chain.setNeuron(2, 'miner', { validatorPermit: true, stake: 10 });
    await sync.refresh();
    expect(sync.lookup('miner')).toEqual({ registered: true, validatorPermit: true, stake: 10 });
    const broken = new MetagraphSync(chain, 99);
    await expect(broken.refresh()).rejects.toMatchObject({ code: 'AML_ERR_CHAIN_SUBNET_UNKNOWN' });
    expect(broken.lookup('miner')).toBeUndefined();
    sync.stop();
  });
});
