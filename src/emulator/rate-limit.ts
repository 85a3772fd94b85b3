/**
 * The API's per-caller request limit, modelled as a sliding one-second window per key
 * (SecretId + action): a request is allowed when fewer than `limit` requests were allowed in
 * the last 1000 ms. Refused requests do not count, so a client that backs off recovers.
 */
export class SlidingWindowLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly limit: number, private readonly windowMs = 1000) {}

  /** True when the request may go ahead (and is counted). Always true when the limit is 0 (off). */
  public tryAcquire(key: string, nowMs: number): boolean {
    if (this.limit <= 0) return true;
    const recent = (this.windows.get(key) ?? []).filter((t) => nowMs - t < this.windowMs);
    if (recent.length >= this.limit) {
      this.windows.set(key, recent);
      return false;
    }
    recent.push(nowMs);
    this.windows.set(key, recent);
    return true;
  }
}
