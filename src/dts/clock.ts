/**
 * Time as the client sees it. Code that waits (deadlines, pacing, backoff, polls) takes a
 * `Clock` so tests can run it in virtual time: what they assert is then the rule, not how fast
 * the machine was.
 */
import { sleep } from './retry';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolve after `ms` (at once for ms <= 0). The real clock's timers keep the process alive. */
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep,
};
