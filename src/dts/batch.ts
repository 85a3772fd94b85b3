/**
 * Many lookups at once, for the lookup script: one set of settings per distinct region, endpoint,
 * version and attempt timeout, all drawing on the shared rate limit, every outcome captured (one
 * failure never hides the rest).
 *
 * There is no fixed ceiling on how many checks one batch may hold: each lookup's deadline grows
 * by the time the batch's first looks need to get through the rate limit of its endpoint
 * (`queueAllowanceMs`, see deadline.ts), so a lookup queued behind a thousand others is not timed
 * out for waiting its turn.
 */
import { describeSyncCheck, lookDeadline, LookupPlan, waitForSyncCheck, WaitOptions } from './check';
import type { DtsClientOptions } from './client-options';
import { Clock, SYSTEM_CLOCK } from './clock';
import { queueAllowanceMs, requestsPerFirstLook } from './deadline';
import { DtsError, isDtsError } from './errors';
import { judgeAge } from './freshness';
import { buildSettings, checkSeconds, ClientSettings } from './options';
import { startAndWaitForSyncCheck } from './start-check';
import { ApiVersion, SyncCheckReport } from './types';

export interface LookupRequest {
  readonly jobId: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly apiVersion?: ApiVersion;
  /** @default - the batch's `attemptTimeoutSeconds` option */
  readonly attemptTimeoutSeconds?: number;
  /** Wait for the check to finish instead of looking once. */
  readonly wait?: { readonly timeoutSeconds: number; readonly pollIntervalSeconds: number };
  /**
   * Start a new check and wait (within `wait`, or the default wait) for its verdict (start-check.ts).
   * Not read-only: the synth-time batch never sets it.
   * @default false
   */
  readonly startCheck?: boolean;
  /**
   * A passed check that finished longer ago than this does not count (freshness.ts).
   * @default - any age counts
   */
  readonly maxCheckAgeSeconds?: number;
}

export interface LookupManyOptions extends Omit<DtsClientOptions, 'region' | 'endpoint' | 'apiVersion'> {
  /** Told about every report as it arrives (each poll included), with the request's index. */
  readonly onProgress?: (index: number, report: SyncCheckReport) => void;
  /** The clock of every wait and deadline (a virtual one in tests). @default SYSTEM_CLOCK */
  readonly clock?: Clock;
  /** The environment the endpoint rule reads `DTS_SYNC_CHECK_ENDPOINT` from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export interface LookupOutcome {
  readonly report?: SyncCheckReport;
  readonly error?: ReturnType<DtsError['toJSON']>;
}

export async function lookupMany(requests: readonly LookupRequest[], options: LookupManyOptions = {}): Promise<LookupOutcome[]> {
  const { onProgress, clock = SYSTEM_CLOCK, env = process.env, ...clientOptions } = options;
  const cache = new Map<string, ClientSettings>();
  const settingsFor = (r: LookupRequest): ClientSettings => {
    const key = JSON.stringify([r.region, r.endpoint ?? null, r.apiVersion ?? null, r.attemptTimeoutSeconds ?? null]);
    let s = cache.get(key);
    if (!s) {
      const attemptTimeoutSeconds = r.attemptTimeoutSeconds ?? clientOptions.attemptTimeoutSeconds;
      const own = { attemptTimeoutSeconds, region: r.region, endpoint: r.endpoint, apiVersion: r.apiVersion };
      s = buildSettings({ ...clientOptions, ...own }, env, { clock });
      cache.set(key, s);
    }
    return s;
  };

  // Settle each request's settings first (a bad one is its own error), then plan the queue per endpoint.
  const prepared = requests.map((r): { settings?: ClientSettings; error?: unknown } => {
    try {
      const settings = settingsFor(r);
      if (r.wait) {
        checkSeconds('waitTimeoutSeconds', r.wait.timeoutSeconds, '`timeoutSeconds`');
        checkSeconds('pollIntervalSeconds', r.wait.pollIntervalSeconds);
      }
      if (r.maxCheckAgeSeconds !== undefined) checkSeconds('maxCheckAgeSeconds', r.maxCheckAgeSeconds);
      return { settings };
    } catch (e) {
      return { error: e };
    }
  });
  const plans = planQueues(requests, prepared.map((p) => p.settings));

  return Promise.all(
    requests.map(async (r, index): Promise<LookupOutcome> => {
      const { settings, error } = prepared[index];
      if (!settings) return { error: errorJson(error) };
      try {
        const plan = plans[index];
        const waitOptions: WaitOptions = {
          timeoutSeconds: r.wait?.timeoutSeconds,
          pollIntervalSeconds: r.wait?.pollIntervalSeconds,
          progressListener: onProgress ? { onProgress: (rep) => onProgress(index, rep) } : undefined,
          maxCheckAgeSeconds: r.maxCheckAgeSeconds,
        };
        const waits = r.wait !== undefined || r.startCheck === true;
        const report = r.startCheck
          ? await startAndWaitForSyncCheck(settings, r.jobId, waitOptions, plan)
          : r.wait
            ? await waitForSyncCheck(settings, r.jobId, waitOptions, plan)
            : judgeAge(await describeSyncCheck(settings, r.jobId, lookDeadline(settings, plan)), r.maxCheckAgeSeconds);
        if (!waits) onProgress?.(index, report);
        return { report };
      } catch (e) {
        return { error: errorJson(e) };
      }
    }),
  );
}

/** Each lookup's queueing allowance: the lookups sharing its endpoint's rate limit, at its rate. */
function planQueues(requests: readonly LookupRequest[], settings: ReadonlyArray<ClientSettings | undefined>): LookupPlan[] {
  const byOrigin = new Map<string, { lookups: number; requests: number; rate: number }>();
  settings.forEach((s, i) => {
    if (!s) return;
    const origin = s.endpoint.url.origin;
    const g = byOrigin.get(origin) ?? { lookups: 0, requests: 0, rate: s.requestsPerSecond };
    g.lookups++;
    g.requests = Math.max(g.requests, requestsPerFirstLook(requests[i].apiVersion));
    // The limiter of an endpoint keeps the strictest rate asked for, so the plan does too.
    g.rate = Math.min(g.rate, s.requestsPerSecond);
    byOrigin.set(origin, g);
  });
  return settings.map((s) => {
    if (!s) return {};
    const g = byOrigin.get(s.endpoint.url.origin)!;
    return { queueAllowanceMs: queueAllowanceMs(g.lookups, g.requests, g.rate), lookups: g.lookups };
  });
}

/** A DtsError's JSON, or the same shape for anything else (a bug) so callers handle one shape. */
function errorJson(e: unknown): ReturnType<DtsError['toJSON']> {
  if (isDtsError(e)) return e.toJSON();
  const err = e instanceof Error ? e : new Error(String(e));
  return { name: err.name, kind: 'internal', code: 'InternalError', message: err.message, retryable: false };
}
