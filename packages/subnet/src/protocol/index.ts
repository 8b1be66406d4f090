/** The axon ⇄ dendrite wire protocol: synapse type, headers, body hash, signatures, nonces. */
export * from './body-hash.js';
export * from './codec.js';
export * from './content-coding.js';
export * from './envelope-scan.js';
export * from './headers.js';
export * from './nonce.js';
export * from './read-capped.js';
export * from './signing.js';
export * from './synapse.js';
export * from './terminal-info.js';
export * from './version.js';
