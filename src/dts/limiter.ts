/**
 * A process-wide request pacer: every DtsClient of the process, and every concurrent call of
 * each, draws from the same bucket for a host, so together they stay under the rate limit
 * the service enforces (20 requests per second by default).
 *
 * It is a token bucket of depth one, which spaces requests evenly. A deeper bucket would allow
 * a burst of `depth` requests on top of the steady rate, and the server would then see up to
 * `depth + rate` requests in one second. Requests are spaced 5% wider than 1/rate so that small
 * differences in delivery time cannot squeeze rate+1 requests into one second at the server.
 */

const SAFETY_FACTOR = 1.05;

export class RequestPacer {
  private nextSlot = 0;
  private intervalMs: number;

  constructor(requestsPerSecond: number) {
    this.intervalMs = (1000 / requestsPerSecond) * SAFETY_FACTOR;
  }

  /** Callers sharing a host share its limit, so the strictest rate asked for wins. */
  public tighten(requestsPerSecond: number): void {
    this.intervalMs = Math.max(this.intervalMs, (1000 / requestsPerSecond) * SAFETY_FACTOR);
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
}

const pacers = new Map<string, RequestPacer>();

/** The pacer of a host (with port), created on first use. */
export function pacerFor(host: string, requestsPerSecond: number): RequestPacer {
  let pacer = pacers.get(host);
  if (!pacer) {
    pacer = new RequestPacer(requestsPerSecond);
    pacers.set(host, pacer);
  } else {
    pacer.tighten(requestsPerSecond);
  }
  return pacer;
}
