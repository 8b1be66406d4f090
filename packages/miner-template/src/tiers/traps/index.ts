/** Traps a miner cannot tell from real alerts: profile, material, conformance, pool and request. */
export * from './batch-profile.js';
export * from './conform.js';
export * from './material.js';
export * from './memory-attack.js';
export * from './miner-view.js';
export * from './pool.js';
export * from './stealth.js';
export * from './stealth-job.js';
export * from './string-shape.js';
export * from './synthetic-material.js';
export * from './wire.js';
export * from './withhold.js';
