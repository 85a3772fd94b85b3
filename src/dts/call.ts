/**
 * One signed API call with retries: pace, sign, send, judge the answer, back off, repeat, all
 * within the deadline the caller gives (the lookup's one deadline, see deadline.ts).
 *
 * Which failures are retried, and how often: `RequestLimitExceeded*` and HTTP 429 as long as the
 * deadline allows (throttling heals with time, and the shared limiter slows down meanwhile);
 * other retryable failures up to `maxAttempts` attempts; `AuthFailure.SignatureExpire` once, at
 * once, with the clock skew measured from the answer.
 *
 * An action that changes something (`mutates`, a create) is retried only on answers that prove it
 * did nothing: throttling and `AuthFailure.SignatureExpire` (the service refused the request before
 * acting on it). Any other failure ends the call at once: a timeout, a broken connection or a
 * server error may come after the service acted, and a second create is not the same as one.
 */
import type { Deadline } from './deadline';
import { SERVICE } from './endpoints';
import { DtsApiError, DtsCredentialsError, DtsError, DtsMalformedResponseError, DtsNetworkError, DtsTimeoutError, isDtsError } from './errors';
import { postJson, TransportFailure } from './http';
import { rateLimiterFor } from './limiter';
import type { ClientSettings } from './options';
import { backoffMs, isRetryableCode, isThrottled } from './retry';
import { clockSkewMs, learnSigningSkew, noteServerDate } from './server-time';
import { signTc3 } from './tc3';

export const CONTENT_TYPE = 'application/json; charset=utf-8';

/** Too little time for another attempt to be worth it: a pause and an attempt each get at least this. */
export const MIN_RETRY_ROOM_MS = 50;

export interface CallTarget {
  readonly action: string;
  readonly version: string;
  readonly payload: Record<string, unknown>;
  readonly jobId?: string;
  /**
   * The action changes something (a create): retried only when the answer proves it did nothing.
   * @default false (a Describe action: read-only, always safe to retry)
   */
  readonly mutates?: boolean;
}

export interface CallResult {
  /** The object under the top-level `Response` key, without `Error`. */
  readonly response: Record<string, unknown>;
  readonly attempts: number;
  /**
   * The service's clock minus this machine's wall clock when the answer arrived, in ms, from the
   * answer's `Date` header (see server-time.ts).
   * @default - the answer had no `Date` header
   */
  readonly serverSkewMs?: number;
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function callAction(s: ClientSettings, target: CallTarget, deadline: Deadline): Promise<CallResult> {
  const clock = s.clock;
  const host = s.endpoint.host;
  const ctx = { action: target.action, region: s.region, jobId: target.jobId };
  const body = JSON.stringify(target.payload);

  const credentials = async () => {
    try {
      return await s.credentials();
    } catch (e) {
      if (e instanceof DtsCredentialsError) {
        throw new DtsCredentialsError(e.message, { ...ctx, code: e.code, requestId: e.requestId, httpStatus: e.httpStatus });
      }
      throw e;
    }
  };
  // Credentials first: without them nothing is sent, so no rate-limit slot is taken.
  let creds = await credentials();

  const pacer = rateLimiterFor({ origin: s.endpoint.url.origin, secretId: creds.secretId }, s.requestsPerSecond);
  let attempt = 0;
  /** Attempts that count against maxAttempts: every one but those the service throttled. */
  let counted = 0;
  let throttledInARow = 0;
  let skewRetried = false;
  let last: DtsError | undefined;

  const deadlineError = (beforeSending = 'no time was left') => {
    const how = attempt === 0 ? `before a request could be sent: ${beforeSending}` : `after ${attempt} attempt${attempt === 1 ? '' : 's'}`;
    return new DtsTimeoutError(
      `${target.action} got no usable answer within ${deadline.rule}, ${how}${last ? `; last error: ${last.message}` : ''}`,
      { ...ctx, code: 'DeadlineExceeded', retryable: true, attempts: attempt, requestId: last?.requestId, cause: last },
    );
  };

  for (;;) {
    // The limiter keeps the system clock; hand it the time left, not a deadline of another clock.
    if (!(await pacer.acquire(Date.now() + (deadline.at - clock.now())))) throw deadlineError('the request rate limit had no slot before the deadline');
    const remaining = deadline.at - clock.now();
    if (remaining <= 0) throw deadlineError();
    attempt++;
    // Asked again for each attempt: temporary credentials may have been refreshed meanwhile.
    creds = await credentials();

    // The signature carries wall-clock time, which the service checks: never a virtual clock.
    const timestamp = Math.floor((Date.now() + clockSkewMs(host)) / 1000);
    const signature = signTc3({
      method: 'POST',
      headers: { 'content-type': CONTENT_TYPE, 'host': host, 'x-tc-action': target.action },
      body,
      timestamp,
      service: SERVICE,
      secretId: creds.secretId,
      secretKey: creds.secretKey,
    });
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPE,
      'host': host,
      'x-tc-action': target.action,
      'x-tc-version': target.version,
      'x-tc-region': s.region,
      'x-tc-timestamp': String(timestamp),
      'authorization': signature.authorization,
    };
    if (creds.sessionToken) headers['x-tc-token'] = creds.sessionToken;
    if (s.language) headers['x-tc-language'] = s.language;

    // An attempt whose time the deadline shortened and that ran out of it was cut by the deadline.
    const attemptTimeoutMs = Math.min(s.attemptTimeoutMs, remaining);
    const cutByDeadline = attemptTimeoutMs < s.attemptTimeoutMs;
    let error: DtsError;
    try {
      const res = await postJson(s.endpoint.url, headers, body, { timeoutMs: attemptTimeoutMs });
      const serverSkewMs = noteServerDate(host, res.headers.date);
      const envelope = res.json;
      if (!isObject(envelope) || !isObject(envelope.Response)) {
        throw new DtsMalformedResponseError(`${target.action} answered without a Response object`, {
          ...ctx, code: 'MalformedResponse', httpStatus: res.status, attempts: attempt,
        });
      }
      const response = envelope.Response;
      const requestId = typeof response.RequestId === 'string' ? response.RequestId : undefined;
      if (response.Error === undefined) {
        if (res.status < 200 || res.status >= 300) {
          throw new DtsNetworkError(`${host} answered HTTP ${res.status} without an API error`, {
            ...ctx, code: 'HttpClientError', httpStatus: res.status, requestId, attempts: attempt,
          });
        }
        return { response, attempts: attempt, serverSkewMs };
      }
      const apiError = response.Error;
      if (!isObject(apiError) || typeof apiError.Code !== 'string' || apiError.Code === '') {
        throw new DtsMalformedResponseError(`${target.action} answered with a Response.Error that has no Code`, {
          ...ctx, code: 'MalformedResponse', requestId, attempts: attempt,
        });
      }
      const code = apiError.Code;
      let message = typeof apiError.Message === 'string' && apiError.Message ? apiError.Message : code;

      if (code === 'AuthFailure.SignatureExpire') {
        const skew = serverSkewMs;
        if (skew !== undefined && !skewRetried) {
          // The signature carries our clock; the server's Date header tells us how far off it is.
          learnSigningSkew(host, skew);
          skewRetried = true;
          counted++;
          continue; // once, at once, whatever maxAttempts says: the retry repairs our own clock
        }
        message += skew === undefined
          ? ' (the server sent no Date header, so the clock skew could not be measured; check this machine\'s clock)'
          : ` (this machine's clock is ${describeSkew(skew)} the server's, measured from its Date header; the corrected retry failed too, so fix the clock)`;
      }
      error = new DtsApiError(`${target.action} failed: ${code}: ${message}`, {
        ...ctx, code, requestId, retryable: isRetryableCode(code), attempts: attempt,
      });
    } catch (e) {
      error = toDtsError(e, ctx, attempt);
    }

    last = error;
    if (!error.retryable) throw error;
    if (error.code === 'AttemptTimeout' && cutByDeadline) throw deadlineError();
    const throttled = isThrottled(error.code);
    // A throttled request was refused before the service acted on it; after any other failure it may have.
    if (target.mutates && !throttled) throw error;
    if (throttled) {
      pacer.throttled();
      throttledInARow++;
    } else {
      throttledInARow = 0;
      counted++;
      if (counted >= s.maxAttempts) throw error;
    }
    // Throttling backs off on its own count, so a run of throttled answers keeps growing its pause.
    // A pause never takes more than half the time left, so retrying goes on as long as the
    // deadline allows instead of ending on one long draw; it ends when too little is left to try.
    const left = deadline.at - clock.now();
    if (left / 2 < MIN_RETRY_ROOM_MS) throw deadlineError();
    await clock.sleep(Math.min(backoffMs(throttled ? throttledInARow : counted), left / 2));
  }
}

function toDtsError(e: unknown, ctx: { action: string; region: string; jobId?: string }, attempts: number): DtsError {
  if (isDtsError(e)) return e;
  if (e instanceof TransportFailure) {
    const details = { ...ctx, code: e.code, httpStatus: e.httpStatus, retryable: isRetryableCode(e.code), attempts };
    if (e.kind === 'timeout') return new DtsTimeoutError(e.message, details);
    if (e.kind === 'malformed') return new DtsMalformedResponseError(e.message, details);
    return new DtsNetworkError(e.message, details);
  }
  return new DtsNetworkError(`unexpected failure calling ${ctx.action}: ${(e as Error)?.message ?? String(e)}`, {
    ...ctx, code: 'NetworkError', retryable: false, attempts,
  });
}

function describeSkew(skewMs: number): string {
  const s = Math.round(Math.abs(skewMs) / 1000);
  return `about ${s} s ${skewMs > 0 ? 'behind' : 'ahead of'}`;
}
