/**
 * The one place that decides which failures are worth another attempt, and how long to wait.
 *
 * A `Describe*` call is read-only, so a retry is always safe; what decides is whether it can
 * help. Throttling, server-side trouble and the network can heal; a bad signature, a missing
 * job or an unsupported region cannot.
 */

/**
 * Error codes (API codes and our own transport codes) that are retried. A code matches when it
 * equals an entry or starts with an entry followed by a dot (`RequestLimitExceeded.UinLimitExceeded`).
 */
export const RETRYABLE_CODES: readonly string[] = [
  // API codes (shared/REFERENCE.md §3: what the Python/Go SDKs and the Terraform provider retry).
  'RequestLimitExceeded',
  'InternalError',
  'ServiceUnavailable',
  'ResourceUnavailable',
  // Our transport codes (see http.ts).
  'NetworkError',
  'HttpServerError',
  'HttpTooManyRequests',
  'AttemptTimeout',
];

export function isRetryableCode(code: string): boolean {
  return RETRYABLE_CODES.some((c) => code === c || code.startsWith(`${c}.`));
}

/** The service (or a proxy in front of it) says we send too fast: the shared pace must slow down. */
export function isThrottled(code: string): boolean {
  return code === 'RequestLimitExceeded' || code.startsWith('RequestLimitExceeded.') || code === 'HttpTooManyRequests';
}

/** Backoff before attempt `attempt + 1` (attempt counts from 1). */
export const BACKOFF_BASE_MS = 250;
export const BACKOFF_CAP_MS = 8_000;

/**
 * Capped exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
 * Jitter"): a uniform pick in [0, min(cap, base * 2^(attempt-1))), so concurrent callers that
 * were throttled together do not come back together.
 */
export function backoffMs(attempt: number, random: () => number = Math.random, base = BACKOFF_BASE_MS, cap = BACKOFF_CAP_MS): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * A plain timer. It must keep the process alive: an unref'd backoff or poll lets a one-shot
 * process reach the end of its event loop mid-wait and exit with code 0, which a gate reads
 * as "passed".
 */
export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What `mayHaveActed` needs of a failure (a DtsError). */
export interface FailedCall {
  readonly kind: string;
  readonly code: string;
  readonly attempts?: number;
  readonly cause?: unknown;
}

/**
 * Whether a failed call of an action that changes something (a create) may still have acted.
 * False only when the failure proves the service did nothing: nothing was sent (no credentials, bad
 * input, no time or rate-limit slot before the deadline), or the service refused the request with
 * an API error other than a server-side failure (throttled, unauthorized, not allowed, ...). A
 * timeout, a broken connection, HTTP 5xx, an answer that cannot be read, and `InternalError`,
 * `ServiceUnavailable` or `ResourceUnavailable` leave it unknown: the request may have been acted on
 * before the failure.
 */
export function mayHaveActed(e: FailedCall): boolean {
  if (e.attempts === 0) return false;
  if (e.code === 'DeadlineExceeded') {
    // The deadline ended the call: what the last attempt ended with decides.
    const cause = e.cause as FailedCall | undefined;
    return cause !== undefined && typeof cause === 'object' && typeof cause.code === 'string' ? mayHaveActed(cause) : true;
  }
  switch (e.kind) {
    case 'credentials':
    case 'invalid-input':
      return false;
    case 'api':
      return isRetryableCode(e.code) && !isThrottled(e.code);
    case 'network':
      return e.code !== 'HttpTooManyRequests';
    default:
      // 'timeout', 'malformed-response', and anything unforeseen: unknown.
      return true;
  }
}
