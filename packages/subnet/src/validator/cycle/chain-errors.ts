/** Tells a refusal predicted before sending (nothing reached the chain) from other failures. */
export function isChainRefusal(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'AML_ERR_CHAIN_REFUSED';
}

/** The chain included the call and its dispatch failed: it landed, so its outcome is known. */
export function isDispatchFailure(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'AML_ERR_CHAIN_TX_FAILED';
}
