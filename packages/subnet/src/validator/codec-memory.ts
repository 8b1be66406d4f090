/**
 * The dendrite's memory of what axons advertised about compression, kept in the validator's store:
 * seeded from it at start, and each change written before the answer that taught it is stored, so
 * the first cycle after a restart (a crash included) goes out compressed to the axons that asked for
 * it last time. A store write that fails is logged and costs only bytes: the memory still holds it.
 */
import type { Logger } from 'pino';
import { AxonCodecMemory } from '../dendrite/axon-codecs.js';
import type { ValidatorStore } from './store/types.js';

export async function storedCodecMemory(
  store: ValidatorStore,
  logger: Logger,
  now: () => number = Date.now,
): Promise<AxonCodecMemory> {
  const memory = new AxonCodecMemory(undefined, async (change) => {
    try {
      if ('forgotten' in change) await store.dropAxonCodecs(change.hotkey);
      else await store.putAxonCodecs(change, now());
    } catch (err) {
      logger.warn({ hotkey: change.hotkey, err: (err as Error).message }, 'could not store axon codecs');
    }
  });
  const known = await store.axonCodecs();
  memory.seed(known);
  if (known.length > 0) logger.info({ axons: known.length }, 'axon compression codecs read from the store');
  return memory;
}
