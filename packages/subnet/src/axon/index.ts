/** The miner side: the Bittensor axon proxy in front of a miner API. */
export * from './axon-response.js';
export * from './axon-server.js';
export * from './blacklist.js';
export * from './metrics.js';
export * from './miner-api-client.js';
export * from './neuron-registry.js';
export * from './priority-gate.js';
