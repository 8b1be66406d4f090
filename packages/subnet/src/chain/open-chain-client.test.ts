import { describe, expect, it } from 'vitest';
import { openChainClient } from './open-chain-client.js';

describe('openChainClient', () => {
  it('loads the Subtensor client on demand for a ws:// network, and names a node that is not there', async () => {
    await expect(
      openChainClient({ network: 'ws://127.0.0.1:1', connectTimeoutMs: 1500 }),
    ).rejects.toMatchObject({
      code: 'AML_ERR_CHAIN_UNREACHABLE',
      message: expect.stringContaining('ws://127.0.0.1:1'),
    });
  });

  it('refuses local-sim without a state file before opening anything', async () => {
    const saved = process.env.AML_LOCAL_CHAIN_FILE;
    delete process.env.AML_LOCAL_CHAIN_FILE;
    try {
      await expect(openChainClient({ network: 'local-sim' })).rejects.toMatchObject({
        code: 'AML_ERR_CHAIN_NETWORK_UNKNOWN',
      });
    } finally {
      if (saved !== undefined) process.env.AML_LOCAL_CHAIN_FILE = saved;
    }
  });
});
