/** Tells a refusal predicted before sending (nothing reached the chain) from other failures. */
export function isChainRefusal(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'AML_ERR_CHAIN_REFUSED';
}

/** A call that timed out after sending: it may still be included, so it must not be repeated yet. */
export function isOutcomeUnknown(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'AML_ERR_CHAIN_TX_TIMEOUT';
}
