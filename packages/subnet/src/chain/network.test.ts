import { describe, expect, it } from 'vitest';
import { resolveNetwork } from './network.js';

describe('resolveNetwork', () => {
  it("maps the Bittensor SDK's network names", () => {
    expect(resolveNetwork('finney')).toMatchObject({ url: 'wss://entrypoint-finney.opentensor.ai:443' });
    expect(resolveNetwork('test')).toMatchObject({ url: 'wss://test.finney.opentensor.ai:443' });
    expect(resolveNetwork('local')).toMatchObject({ url: 'ws://127.0.0.1:9944' });
    expect(resolveNetwork('local-sim')).toEqual({ kind: 'local-sim', name: 'local-sim' });
    expect(resolveNetwork('ws://10.0.0.2:9945')).toMatchObject({
      kind: 'websocket',
      url: 'ws://10.0.0.2:9945',
    });
  });

  it('refuses anything else by name', () => {
    for (const bad of ['mainnet', 'http://x:1', '', 'toString']) {
      expect(() => resolveNetwork(bad)).toThrow(/unknown subtensor network/);
    }
  });
});
