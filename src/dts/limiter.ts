/**
 * A process-wide request pacer: every DtsClient of the process, and every concurrent call of
 * each, draws from the same bucket for a host, so together they stay under the rate limit the
 * service enforces (20 requests per second by default).
 *
 * Two rules, both needed:
 * - a token bucket of depth one spaces requests evenly, 5% wider than 1/rate. A deeper bucket
 *   would allow a burst of `depth` on top of the steady rate, so the server could see up to
 *   `depth + rate` requests in one second;
 * - a log of the actual send times refuses to send the (rate+1)-th request within 1.1 s of the
 *   first. Timers fire late on a busy machine and then fire together; the log stops such a
 *   bunch from squeezing rate+1 requests into one second at the server.
 */
import { sleep } from './retry';

const SPACING_FACTOR = 1.05;
const WINDOW_FACTOR = 1.1;

export class RequestPacer implements RateLimiter {
  private nextSlot = 0;
  private rate: number;
  private readonly sent: number[] = [];

  constructor(requestsPerSecond: number) {
    this.rate = requestsPerSecond;
  }

  private get intervalMs(): number {
    return (1000 / this.rate) * SPACING_FACTOR;
  }

  /** Requests allowed per window, and the window (ms): `rate` per 1.1 s, or 1 per 1.1/rate s below 1/s. */
  private get window(): { limit: number; ms: number } {
    const limit = Math.max(1, Math.floor(this.rate));
    return { limit, ms: ((limit * 1000) / this.rate) * WINDOW_FACTOR };
  }

  /** Callers sharing a host share its limit, so the strictest rate asked for wins. */
  public tighten(requestsPerSecond: number): void {
    this.rate = Math.min(this.rate, requestsPerSecond);
  }

  /**
   * Reserve the next free slot and return how long to wait for it (ms), or `undefined` without
   * reserving when the slot lies beyond `maxWaitMs`.
   */
  public reserve(now: number, maxWaitMs: number): number | undefined {
    const slot = Math.max(now, this.nextSlot);
    const wait = slot - now;
    if (wait > maxWaitMs) return undefined;
    this.nextSlot = slot + this.intervalMs;
    return wait;
  }

  /** How much longer a request at `now` must wait for the window rule (0 = may go). */
  public windowWait(now: number): number {
    const { limit, ms } = this.window;
    if (this.sent.length < limit) return 0;
    return Math.max(0, this.sent[this.sent.length - limit] + ms - now);
  }

  /** A pace of one process does not learn from throttling: it already keeps under the documented limit. */
  public throttled(): void {
    // nothing to learn: this pace already keeps under the documented limit
  }

  /** Record a request as sent at `now`. */
  public recordSend(now: number): void {
    this.sent.push(now);
    const keep = this.window.limit;
    if (this.sent.length > keep) this.sent.splice(0, this.sent.length - keep);
  }

  /**
   * Wait for permission to send. Resolves false (sending nothing) when permission would come
   * only at or after `deadlineAt`.
   */
  public async acquire(deadlineAt: number): Promise<boolean> {
    const wait = this.reserve(Date.now(), deadlineAt - Date.now() - 1);
    if (wait === undefined) return false;
    await sleep(wait);
    for (;;) {
      const now = Date.now();
      const extra = this.windowWait(now);
      if (extra <= 0) {
        this.recordSend(now);
        return true;
      }
      if (now + extra >= deadlineAt) return false;
      await sleep(extra);
    }
  }
}

/** What a call needs of the rate limit: permission to send, and word when the service throttled. */
export interface RateLimiter {
  /** Wait for permission to send; false (nothing reserved) when it would come only at or after `deadlineAt`. */
  acquire(deadlineAt: number): Promise<boolean>;
  /** The service answered `RequestLimitExceeded` (or HTTP 429): those who share this limit should slow down. */
  throttled(): void;
}

/** Whose requests count against one limit: the service limits per SecretId, at one endpoint. */
export interface RateLimitKey {
  /** scheme://host[:port] of the endpoint. */
  readonly origin: string;
  readonly secretId: string;
}

const pacers = new Map<string, RequestPacer>();

/** The limiter of an endpoint and SecretId, created on first use; the strictest rate asked for wins. */
export function rateLimiterFor(key: RateLimitKey, requestsPerSecond: number): RateLimiter {
  const id = `${key.origin}\n${key.secretId}`;
  let pacer = pacers.get(id);
  if (!pacer) {
    pacer = new RequestPacer(requestsPerSecond);
    pacers.set(id, pacer);
  } else {
    pacer.tighten(requestsPerSecond);
  }
  return pacer;
}
