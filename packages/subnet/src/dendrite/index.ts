/** The validator side of the protocol: the dendrite client. */
export * from './dendrite.js';
