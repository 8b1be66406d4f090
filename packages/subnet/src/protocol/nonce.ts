/**
 * Nonces (docs/protocol.md). `NonceClock` issues Unix-nanosecond BigInts that are strictly increasing even
 * if the wall clock steps back: wall time is sampled once, then advanced by process.hrtime.
 * `NonceGuard` is the axon's replay memory: per `{hotkey}:{uuid}`, the first nonce must lie inside
 * [now − 4 s − timeout, now + 4 s] and later ones must strictly increase; it forgets the least
 * recently used endpoints beyond a bound so an attacker cannot grow it without limit. An entry is
 * only forgotten once its nonce is older than any window could reach (else a replay would pass);
 * when the memory is full of live entries, new endpoints are refused (fail closed).
 */

/** Bittensor's ALLOWED_DELTA: clock skew tolerated between dendrite and axon. */
export const ALLOWED_DELTA_NS = 4_000_000_000n;

export class NonceClock {
  private readonly wallAtStartNs: bigint;
  private readonly hrAtStart: bigint;
  private last = 0n;

  constructor(nowMs: number = Date.now()) {
    this.wallAtStartNs = BigInt(Math.round(nowMs)) * 1_000_000n;
    this.hrAtStart = process.hrtime.bigint();
  }

  /** Unix time in nanoseconds, strictly greater than any value returned before. */
  next(): bigint {
    const now = this.wallAtStartNs + (process.hrtime.bigint() - this.hrAtStart);
    this.last = now > this.last ? now : this.last + 1n;
    return this.last;
  }
}

/** Unix nanoseconds from the wall clock (for checks, not for issuing nonces). */
export function wallClockNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

export type NonceVerdict = { ok: true } | { ok: false; reason: string };

export class NonceGuard {
  private readonly seen = new Map<string, bigint>();

  /**
   * @param maxEndpoints bound on remembered `{hotkey}:{uuid}` pairs
   * @param maxTimeoutS the largest synapse timeout accepted; entries older than 4 s + this are dead
   */
  constructor(
    private readonly maxEndpoints = 100_000,
    private readonly maxTimeoutS = 3_600,
  ) {}

  /** Checks a nonce without recording it. */
  check(
    hotkey: string,
    uuid: string,
    nonce: bigint,
    timeoutS: number,
    nowNs: bigint = wallClockNs(),
  ): NonceVerdict {
    if (timeoutS > this.maxTimeoutS) {
      return { ok: false, reason: `timeout ${timeoutS} s exceeds the axon's limit of ${this.maxTimeoutS} s` };
    }
    if (nonce > nowNs + ALLOWED_DELTA_NS) {
      // Python's axon has no upper bound; without one a far-future nonce would lock the endpoint out.
      return {
        ok: false,
        reason: `Nonce is ${(Number(nonce - nowNs) / 1e9).toFixed(2)} seconds in the future`,
      };
    }
    const last = this.seen.get(`${hotkey}:${uuid}`);
    if (last !== undefined) {
      return nonce > last
        ? { ok: true }
        : { ok: false, reason: 'Nonce is too old, a newer one was last processed' };
    }
    const windowNs = ALLOWED_DELTA_NS + BigInt(Math.ceil(timeoutS * 1e9));
    if (nonce <= nowNs - windowNs) {
      const ageS = Number(nowNs - nonce) / 1e9;
      return {
        ok: false,
        reason: `Nonce is too old: acceptable delta is ${(Number(windowNs) / 1e9).toFixed(2)} seconds but request was ${ageS.toFixed(2)} seconds old`,
      };
    }
    if (this.seen.size >= this.maxEndpoints && !this.evictDead(nowNs)) {
      return { ok: false, reason: 'nonce memory is full; retry later' };
    }
    return { ok: true };
  }

  /** Forgets the least recently used endpoint if its nonce can no longer be replayed. */
  private evictDead(nowNs: bigint): boolean {
    const oldest = this.seen.entries().next().value;
    if (oldest === undefined) return true;
    const deadBefore = nowNs - ALLOWED_DELTA_NS - BigInt(Math.ceil(this.maxTimeoutS * 1e9));
    if (oldest[1] > deadBefore) return false;
    this.seen.delete(oldest[0]);
    return true;
  }

  /** Records an accepted nonce (after its signature verified). */
  record(hotkey: string, uuid: string, nonce: bigint): void {
    const key = `${hotkey}:${uuid}`;
    this.seen.delete(key); // re-insert to mark as most recently used
    this.seen.set(key, nonce);
  }

  get size(): number {
    return this.seen.size;
  }
}
