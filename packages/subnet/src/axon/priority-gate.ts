/**
 * Admission control for the axon: at most `maxConcurrent` requests run at once; up to `maxQueued`
 * wait, highest priority (stake) first and first-come among equals. A full queue refuses at once
 * (the caller answers 503); a waiter whose deadline passes leaves the queue (408).
 */

export type GateVerdict = { ok: true; release: () => void } | { ok: false; reason: 'overloaded' | 'timeout' };

interface Waiter {
  priority: number;
  seq: number;
  resolve: (v: GateVerdict) => void;
  timer: NodeJS.Timeout;
}

export class PriorityGate {
  private running = 0;
  private seq = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    readonly maxConcurrent: number,
    readonly maxQueued: number,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Waits for a slot until `waitMs` elapses. */
  acquire(priority: number, waitMs: number): Promise<GateVerdict> {
    if (this.running < this.maxConcurrent && this.queue.length === 0) {
      this.running++;
      return Promise.resolve({ ok: true, release: this.releaser() });
    }
    if (this.queue.length >= this.maxQueued) return Promise.resolve({ ok: false, reason: 'overloaded' });
    return new Promise<GateVerdict>((resolve) => {
      const waiter: Waiter = {
        priority,
        seq: this.seq++,
        resolve,
        timer: setTimeout(
          () => {
            const i = this.queue.indexOf(waiter);
            if (i >= 0) this.queue.splice(i, 1);
            resolve({ ok: false, reason: 'timeout' });
          },
          Math.max(0, waitMs),
        ),
      };
      // Insert after every waiter of higher-or-equal priority (stable).
      let i = this.queue.length;
      while (i > 0 && this.queue[i - 1].priority < priority) i--;
      this.queue.splice(i, 0, waiter);
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.running--;
      const next = this.queue.shift();
      if (next) {
        clearTimeout(next.timer);
        this.running++;
        next.resolve({ ok: true, release: this.releaser() });
      }
    };
  }
}
