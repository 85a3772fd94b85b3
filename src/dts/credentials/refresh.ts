/**
 * Temporary credentials (STS, the CVM metadata service) kept fresh for a long wait: fetched on
 * first use, fetched again before they expire, one fetch shared by concurrent callers.
 */
import type { Clock } from '../clock';
import { DtsCredentialsError } from '../errors';
import type { ResolvedCredentials } from './resolved';

/**
 * How long before expiry a refresh is due: half the lifetime the issuer granted, at most five
 * minutes. The API accepts a clock up to five minutes off its own, so by the issuer's clock our
 * key may expire up to that much earlier than by ours; half the lifetime keeps short-lived keys
 * (the emulator's, in tests) from being fetched again on every call.
 */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** The moment (epoch ms) to fetch again credentials fetched at `fetchedAt` that expire at `expiresAt`. */
export function refreshDueAt(fetchedAt: number, expiresAt: number): number {
  return expiresAt - Math.min(REFRESH_MARGIN_MS, (expiresAt - fetchedAt) / 2);
}

export class RefreshingCredentials {
  private current: ResolvedCredentials | undefined;
  private dueAt = 0;
  private inFlight: Promise<ResolvedCredentials> | undefined;

  /** @param fetch fetches new credentials, with `expiresAt` set */
  constructor(private readonly fetch: () => Promise<ResolvedCredentials>, private readonly clock: Clock) {}

  /** Credentials valid for at least the refresh margin (or the last that still work, if a refresh failed). */
  public async get(): Promise<ResolvedCredentials> {
    if (this.current && this.clock.now() < this.dueAt) return this.current;
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async refresh(): Promise<ResolvedCredentials> {
    let next: ResolvedCredentials;
    try {
      next = await this.fetch();
    } catch (e) {
      // A failed refresh keeps credentials that still work; the next call tries again. Once they
      // have expired, the failure is the answer (fail closed).
      if (this.current?.expiresAt !== undefined && this.clock.now() < this.current.expiresAt) return this.current;
      throw e;
    }
    const now = this.clock.now();
    const expiresAt = next.expiresAt;
    if (expiresAt === undefined) {
      this.dueAt = Number.POSITIVE_INFINITY;
    } else if (expiresAt <= now) {
      throw new DtsCredentialsError(
        `the temporary credentials from ${next.source} expire at ${new Date(expiresAt).toISOString()}, which is not after this machine's time `
        + `${new Date(now).toISOString()}: check this machine's clock`,
        { code: 'ExpiredCredentials' },
      );
    } else {
      this.dueAt = refreshDueAt(now, expiresAt);
    }
    this.current = next;
    return next;
  }
}
