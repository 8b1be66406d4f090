/**
 * Finds a signed extrinsic on a real chain by its hash: the blocks of its mortal era (birth up to
 * the era's last block or the best block) are read one by one, and the block's System events say
 * whether its dispatch succeeded. An era is short (32 blocks by default), so the search is bounded.
 */
import type { ApiPromise } from '@polkadot/api';
import { type DispatchErrorLike, decodeDispatchError, type ErrorRegistry } from './dispatch-error.js';
import { eraLastBlock } from './era.js';
import type { ExtrinsicInclusion, MortalEra } from './types.js';

interface HashLike {
  toHex(): string;
}

/** The parts of a System event record this reads. */
interface EventRecordLike {
  readonly phase: { isApplyExtrinsic: boolean; asApplyExtrinsic: { toNumber(): number } };
  readonly event: { section: string; method: string; data: readonly unknown[] };
}

export async function findExtrinsicInBlocks(
  api: ApiPromise,
  txHash: string,
  era: MortalEra,
): Promise<ExtrinsicInclusion | undefined> {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const last = Math.min(best, eraLastBlock(era));
  for (let n = era.birth; n <= last; n++) {
    const blockHash = (await api.rpc.chain.getBlockHash(n)) as unknown as HashLike;
    const signed = await api.rpc.chain.getBlock(blockHash.toHex());
    const extrinsics = signed.block.extrinsics as unknown as ReadonlyArray<{ hash: HashLike }>;
    const index = extrinsics.findIndex((ex) => ex.hash.toHex() === txHash);
    if (index < 0) continue;
    let records: readonly EventRecordLike[];
    try {
      const at = await api.at(blockHash.toHex());
      records = (await at.query.system.events()) as unknown as readonly EventRecordLike[];
    } catch (err) {
      // Block bodies outlive state on a pruning node: the extrinsic is there, its events are not.
      const why = err instanceof Error ? err.message : String(err);
      return { blockNumber: n, blockHash: blockHash.toHex(), success: true, outcomeUnknown: why };
    }
    const failed = records.find(
      (r) =>
        r.phase.isApplyExtrinsic &&
        r.phase.asApplyExtrinsic.toNumber() === index &&
        r.event.section === 'system' &&
        r.event.method === 'ExtrinsicFailed',
    );
    const error = failed
      ? decodeDispatchError(
          api.registry as unknown as ErrorRegistry,
          failed.event.data[0] as unknown as DispatchErrorLike,
        ).name
      : undefined;
    return { blockNumber: n, blockHash: blockHash.toHex(), success: !failed, error };
  }
  return undefined;
}
