/** Wallets: Bittensor hotkey files and environment keys. */
export * from './hotkey.js';
export * from './keyfile.js';
