/**
 * How tests deal with time (see test/README.md). A test either controls time (a `VirtualClock`
 * given to the code under test) or gives the machine generous room (`SLACK_MS`) with parameters
 * chosen so that a broken rule overshoots by far more than the room.
 */
import type { Clock } from '../../src/dts/clock';

/**
 * Room for scheduling on a busy machine (CPU-bound processes beside the suite on two cores):
 * timers fire late, processes start slowly. In-process work, and work that starts node processes.
 */
export const SLACK_MS = { inProcess: 3_000, childProcess: 10_000 } as const;

/**
 * A deadline rule held: `elapsedMs` is at most `ruleMs` plus the room for a busy machine.
 * A test using this must pick its parameters so a violation (a restarted deadline, a missed
 * cut-off) overshoots by more than the room, or it cannot fail.
 */
export function expectWithinRule(elapsedMs: number, ruleMs: number, room: number = SLACK_MS.inProcess, what = 'the run'): void {
  if (elapsedMs > ruleMs + room) {
    throw new Error(`${what} took ${elapsedMs} ms, beyond its deadline rule of ${ruleMs} ms (+${room} ms room for a busy machine)`);
  }
}

/**
 * Virtual time: `sleep` advances the clock at once instead of waiting, so code that waits minutes
 * runs in microseconds and every deadline decision is exact. Sleepers resolve in time order.
 */
export class VirtualClock implements Clock {
  private t: number;
  private readonly sleepers: Array<{ at: number; resolve: () => void }> = [];

  constructor(start = Date.UTC(2026, 10, 28, 12, 0, 0)) {
    this.t = start;
  }

  public now(): number {
    return this.t;
  }

  public sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.sleepers.push({ at: this.t + ms, resolve });
      this.sleepers.sort((a, b) => a.at - b.at);
      // Let everything runnable now run first, then jump to the earliest sleeper.
      setImmediate(() => this.wakeNext());
    });
  }

  /** Move the clock forward by hand (e.g. while a fake server "takes" time). */
  public advance(ms: number): void {
    this.t += ms;
  }

  private wakeNext(): void {
    const next = this.sleepers.shift();
    if (!next) return;
    this.t = Math.max(this.t, next.at);
    next.resolve();
  }
}
