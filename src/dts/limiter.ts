/**
 * The request rate limit, per endpoint and SecretId (the service limits per SecretId), shared by
 * every process on this machine: every DtsClient, every concurrent call, every gate process
 * Terraform starts, the synth-time batch and the CLI draw from one pace, so together they stay
 * under the limit the service enforces (20 requests per second by default), and a throttled
 * answer slows all of them.
 *
 * The rules are in pace.ts; where the state lives in shared-bucket.ts. Two environment variables
 * adjust it for unusual runners:
 * - `DTS_SYNC_CHECK_RATE_DIR`: the folder of the shared state (an absolute path; default
 *   `<tmpdir>/dts-sync-check-rate-<uid>`);
 * - `DTS_SYNC_CHECK_SHARED_RATE_LIMIT=false`: pace each process on its own (the same rules, in memory).
 * When the folder cannot be used, the process warns once and paces itself alone: a rate limit is
 * politeness towards the service, never a reason to fail a check.
 */
import * as path from 'node:path';
import { Clock, SYSTEM_CLOCK } from './clock';
import { DtsInputError } from './errors';
import { admitSend, reserveSlot, throttlePace } from './pace';
import type { PaceState } from './pace';
import { bucketName, defaultRateDir, MemoryPaceStore, PaceChange, PaceStore, SharedBucket, SharedBucketError } from './shared-bucket';

/** Environment variables of the shared rate limit. */
export const RATE_LIMIT_ENV = {
  /** The folder of the shared state (absolute path). */
  DIR: 'DTS_SYNC_CHECK_RATE_DIR',
  /** `true` (default) shares the limit between processes; `false` paces each process alone. */
  SHARED: 'DTS_SYNC_CHECK_SHARED_RATE_LIMIT',
} as const;

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

export interface RateLimiterOptions {
  /** Where the settings are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default SYSTEM_CLOCK */
  readonly clock?: Clock;
}

/** A limiter over one store: the rules of pace.ts, applied at the clock's time. */
export class PacedLimiter implements RateLimiter {
  constructor(
    private readonly store: PaceStore,
    private readonly asked: number,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  public async acquire(deadlineAt: number): Promise<boolean> {
    const first = await this.store.update((s): PaceChange<{ go: boolean; at: number } | undefined> => {
      const now = this.clock.now();
      const reserved = reserveSlot(s, now, this.asked, deadlineAt);
      if (!reserved) return { value: undefined };
      if (reserved.slot > now) return { state: reserved.state, value: { go: false, at: reserved.slot } };
      // The slot is now: check the send under the same lock (one file change for an uncontended request).
      const admitted = admitSend(reserved.state, now, this.asked);
      return { state: admitted.state, value: { go: admitted.waitMs === 0, at: now + admitted.waitMs } };
    });
    if (!first) return false;
    if (first.go) return true;
    let at = first.at;
    for (;;) {
      if (at >= deadlineAt) return false;
      await this.clock.sleep(at - this.clock.now());
      const wait = await this.store.update((s): PaceChange<number> => {
        const admitted = admitSend(s, this.clock.now(), this.asked);
        return { state: admitted.waitMs === 0 ? admitted.state : undefined, value: admitted.waitMs };
      });
      if (wait === 0) return true;
      // Only timers that fired late get here, sometimes several at once; no jitter: the spacing of
      // sends lets one of them go per interval, and jitter would add up into a lower rate.
      at = this.clock.now() + wait;
    }
  }

  public throttled(): void {
    this.store
      .update((s): PaceChange<void> => ({ state: throttlePace(s, this.clock.now(), this.asked), value: undefined }))
      .catch(() => undefined); // the store already fell back and warned; a lost backoff costs one more throttle at most
  }
}

/** The stores of this process, by folder and key: every limiter of one key shares one. */
const stores = new Map<string, PaceStore>();
const warnedDirs = new Set<string>();

/**
 * The shared store for `dir`, which falls back (once, for the whole process, with a warning) to a
 * store in memory when the folder or its files cannot be used.
 */
class FallbackStore implements PaceStore {
  private store: PaceStore;

  constructor(private readonly dir: string, name: string, strict: boolean) {
    this.store = new SharedBucket(dir, name, { strict });
  }

  public async update<T>(change: (state: PaceState) => PaceChange<T>): Promise<T> {
    try {
      return await this.store.update(change);
    } catch (e) {
      if (!(e instanceof SharedBucketError)) throw e;
      if (!(this.store instanceof MemoryPaceStore)) {
        this.store = new MemoryPaceStore();
        warnFallback(this.dir, e);
      }
      return this.store.update(change);
    }
  }
}

function warnFallback(dir: string, e: SharedBucketError): void {
  if (warnedDirs.has(dir)) return;
  warnedDirs.add(dir);
  process.emitWarning(
    `the request rate limit shared with other processes cannot use ${dir} (${e.message}); this process paces its own requests only, `
      + `so concurrent lookups may be throttled. Point ${RATE_LIMIT_ENV.DIR} at a folder this user owns, or set ${RATE_LIMIT_ENV.SHARED}=false.`,
    { code: 'DTS_SYNC_CHECK_RATE_LIMIT' },
  );
}

/** Read and check the two settings; a bad value is an input error naming the variable. */
export function rateLimitSettings(env: NodeJS.ProcessEnv = process.env): { shared: false } | { shared: true; dir: string; strict: boolean } {
  const sharedRaw = env[RATE_LIMIT_ENV.SHARED];
  const shared = sharedRaw === undefined || sharedRaw === '' ? 'true' : sharedRaw.toLowerCase();
  if (shared !== 'true' && shared !== 'false') {
    throw new DtsInputError(`${RATE_LIMIT_ENV.SHARED} must be true or false (got ${JSON.stringify(sharedRaw)})`, { code: 'InvalidRateLimitSetting' });
  }
  if (shared === 'false') return { shared: false };
  const dir = env[RATE_LIMIT_ENV.DIR];
  if (dir === undefined || dir === '') return { shared: true, dir: defaultRateDir(), strict: true };
  if (!path.isAbsolute(dir)) {
    throw new DtsInputError(`${RATE_LIMIT_ENV.DIR} must be an absolute path to a folder (got ${JSON.stringify(dir.slice(0, 200))})`, { code: 'InvalidRateLimitSetting' });
  }
  return { shared: true, dir, strict: false };
}

/**
 * The limiter of an endpoint and SecretId, asking `requestsPerSecond`. Limiters of one key share
 * one pace, in this process and (by default) with every process on the machine; when they ask
 * different rates, the strictest asked within the last minute applies to all.
 */
export function rateLimiterFor(key: RateLimitKey, requestsPerSecond: number, options: RateLimiterOptions = {}): RateLimiter {
  const settings = rateLimitSettings(options.env ?? process.env);
  const name = bucketName(key.origin, key.secretId);
  const id = settings.shared ? `${settings.dir}\n${name}` : `memory\n${name}`;
  let store = stores.get(id);
  if (!store) {
    store = settings.shared ? new FallbackStore(settings.dir, name, settings.strict) : new MemoryPaceStore();
    stores.set(id, store);
  }
  return new PacedLimiter(store, requestsPerSecond, options.clock ?? SYSTEM_CLOCK);
}
