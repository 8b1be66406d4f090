/**
 * The subnet's own flag parser; the generic ones (integers, ports, dates, URLs) are the template's
 * (`@aml/miner-template/cli`), shared by all three bins.
 */
import { resolveNetwork } from '../chain/network.js';

/** `--subtensor.network`, checked while parsing, so a mistyped network is named before a missing wallet is. */
export const networkFlag = (text: string): string => {
  resolveNetwork(text);
  return text;
};
