/**
 * TEST HOOKS for the process-level crash tests (test/validator/crash-process.test.ts). Unset in
 * normal operation, where they change nothing.
 *
 * - AML_VALIDATOR_TRAP_SEED=<n>: every cycle draws this trap seed, so a crashed-and-resumed run and
 *   an uninterrupted control run build the same request and can be compared row for row.
 * - AML_VALIDATOR_PAUSE_AT=<before|after>:<store method>[:<n>]: at the n-th call (default 1) of that
 *   store method, before it runs or after it has committed, the process writes
 *   `AML_TEST_PAUSE <point>` to stderr and stops doing anything, so the test can kill its process
 *   group with SIGKILL at exactly that store write. With AML_VALIDATOR_PAUSE_MS=<ms> it carries on
 *   after that long instead (a fault test changes the world meanwhile, e.g. takes the chain away).
 */
import type { ValidatorStore } from './store/types.js';

export function trapSeedFromEnv(env: NodeJS.ProcessEnv = process.env): (() => number) | undefined {
  const raw = env.AML_VALIDATOR_TRAP_SEED;
  if (raw === undefined) return undefined;
  const seed = Number(raw);
  if (!Number.isInteger(seed) || seed < 0)
    throw new RangeError(`AML_VALIDATOR_TRAP_SEED must be an integer >= 0, got ${raw}`);
  return () => seed;
}

/** Waits `ms`, or forever (keeping the event loop alive) so the process waits to be killed. */
function pause(point: string, ms: number | undefined): Promise<void> {
  process.stderr.write(`AML_TEST_PAUSE ${point}\n`);
  if (ms !== undefined) return new Promise((resolve) => setTimeout(resolve, ms));
  setInterval(() => undefined, 1 << 30);
  return new Promise<never>(() => undefined);
}

export function pausingStore(store: ValidatorStore, env: NodeJS.ProcessEnv = process.env): ValidatorStore {
  const spec = env.AML_VALIDATOR_PAUSE_AT;
  if (!spec) return store;
  const [when, method, nth = '1'] = spec.split(':');
  if ((when !== 'before' && when !== 'after') || !method || typeof (store as never)[method] !== 'function') {
    throw new RangeError(`AML_VALIDATOR_PAUSE_AT must be before|after:<store method>[:n], got ${spec}`);
  }
  const ms = env.AML_VALIDATOR_PAUSE_MS === undefined ? undefined : Number(env.AML_VALIDATOR_PAUSE_MS);
  let calls = 0;
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== method || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        calls += 1;
        const here = calls === Number(nth);
        if (here && when === 'before') await pause(spec, ms);
        const result = await value.apply(target, args);
        if (here && when === 'after') await pause(spec, ms);
        return result;
      };
    },
  });
}
