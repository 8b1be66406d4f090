/**
 * Names a failed extrinsic. A dispatch error from a block is decoded through the runtime metadata
 * (registry.findMetaError) to its pallet error name (`SettingWeightsTooFast`, ...); a rejection from
 * the transaction pool ("1010: Invalid Transaction: Custom error: 6") is mapped through subtensor's
 * CustomTransactionError codes (common/src/transaction_error.rs), which its transaction extension
 * raises before a call reaches the block.
 */

export interface DecodedError {
  /** The error name callers branch on (`details.reason`). */
  readonly name: string;
  /** Pallet (lower camel, as in the metadata) for module errors. */
  readonly section?: string;
  readonly docs: string;
}

/** The parts of a registry this needs (structural, so tests can pass a small mock). */
export interface ErrorRegistry {
  findMetaError(module: never): { section: string; name: string; docs: readonly string[] };
}

/** The parts of a DispatchError this needs. */
export interface DispatchErrorLike {
  readonly isModule: boolean;
  readonly asModule: unknown;
  readonly type: string;
  readonly value?: unknown;
  toString(): string;
}

export function decodeDispatchError(registry: ErrorRegistry, error: DispatchErrorLike): DecodedError {
  if (error.isModule) {
    try {
      const meta = registry.findMetaError(error.asModule as never);
      return { name: meta.name, section: meta.section, docs: meta.docs.join(' ').trim() };
    } catch {
      return { name: 'UnknownModuleError', docs: error.toString() };
    }
  }
  // Token, Arithmetic, TransactionalLimit... carry their cause as an inner enum
  const inner = (error.value as { type?: unknown } | undefined)?.type;
  const name = typeof inner === 'string' && inner.length > 0 ? `${error.type}.${inner}` : error.type;
  return { name, docs: error.toString() };
}

/** subtensor's CustomTransactionError as u8 codes. */
export const SUBTENSOR_CUSTOM_TX_ERRORS: Readonly<Record<number, string>> = Object.freeze({
  0: 'ColdkeyInSwapSchedule',
  1: 'StakeAmountTooLow',
  2: 'BalanceTooLow',
  3: 'SubnetNotExists',
  4: 'HotkeyAccountDoesntExist',
  5: 'NotEnoughStakeToWithdraw',
  6: 'RateLimitExceeded',
  7: 'InsufficientLiquidity',
  8: 'SlippageTooHigh',
  9: 'TransferDisallowed',
  10: 'HotKeyNotRegisteredInNetwork',
  11: 'InvalidIpAddress',
  12: 'ServingRateLimitExceeded',
  13: 'InvalidPort',
  14: 'ZeroMaxAmount',
  15: 'InvalidRevealRound',
  16: 'CommitNotFound',
  17: 'CommitBlockNotInRevealRange',
  18: 'InputLengthsUnequal',
  19: 'UidNotFound',
  20: 'EvmKeyAssociateRateLimitExceeded',
  255: 'BadRequest',
});

/** Names a pool rejection message; `Priority is too low` and friends keep their text. */
export function decodePoolError(message: string): DecodedError {
  const custom = /Custom error:\s*(\d+)/i.exec(message);
  if (custom) {
    const code = Number(custom[1]);
    return { name: SUBTENSOR_CUSTOM_TX_ERRORS[code] ?? `CustomTransactionError${code}`, docs: message };
  }
  const invalid = /Invalid Transaction:\s*([^,;]+)/i.exec(message);
  if (invalid)
    return { name: invalid[1].trim().replace(/\s+(\w)/g, (_, c: string) => c.toUpperCase()), docs: message };
  return { name: 'TransactionRejected', docs: message };
}
