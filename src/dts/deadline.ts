/**
 * The one deadline of a lookup, and the rule it comes from.
 *
 * A lookup (one look, or a wait of many looks; each with its retries and the AUTO fallback) has
 * ONE deadline, fixed when it starts; nothing it does restarts it:
 *
 * - one look: `deadlineSeconds` (default 60 s);
 * - a wait: `timeoutSeconds` + one `pollIntervalSeconds` (the last look is taken at the timeout
 *   and may take one poll interval); each look within it also ends within `deadlineSeconds`;
 * - in a batch of N lookups sharing a rate limit of R requests per second, each deadline is
 *   longer by the time the batch's first looks need to get through that limit:
 *   (N - 1) x k / R x 1.5 s, where k is 2 for AUTO (a job of the 2021 family costs two requests
 *   on its first look) and 1 for a pinned version, and 1.5 leaves room for the limiter's spacing
 *   and for slowing down when the service throttles.
 *
 * No sleep, backoff or attempt is started that would end after the deadline, and an attempt in
 * flight is cut at it, so a lookup ends by its deadline plus `DEADLINE_MARGIN_MS`: the time to stop
 * the last attempt and answer.
 */
import type { Clock } from './clock';
import { ApiVersion } from './types';

/** What a lookup may take beyond its deadline to stop its last attempt and answer. */
export const DEADLINE_MARGIN_MS = 1_000;

/** Room over the bare arithmetic of the rate limit, for its spacing and for its slowing down when throttled. */
export const QUEUE_FACTOR = 1.5;

export interface Deadline {
  /** When the lookup must have ended, in ms since the epoch by the lookup's clock. */
  readonly at: number;
  /** The rule, for messages, e.g. `the lookup's deadline of 6 s (a 5 s wait + one 1 s poll interval)`. */
  readonly rule: string;
}

/** A deadline `ms` from now by `clock`. */
export function deadlineIn(clock: Clock, ms: number, rule: string): Deadline {
  return { at: clock.now() + ms, rule };
}

/**
 * Requests a lookup may need for its first look: AUTO asks 2018-03-30 first and, for a job of
 * the 2021 family, 2021-12-06 after it.
 */
export function requestsPerFirstLook(apiVersion: ApiVersion | string | undefined): number {
  return apiVersion === undefined || apiVersion === ApiVersion.AUTO ? 2 : 1;
}

/**
 * How much later a lookup of a batch may end than alone: the time the batch's first looks need at
 * `requestsPerSecond`, when `lookups` of them share the limit, `requestsPerLook` requests each.
 */
export function queueAllowanceMs(lookups: number, requestsPerLook: number, requestsPerSecond: number): number {
  if (lookups <= 1) return 0;
  return Math.ceil((((lookups - 1) * requestsPerLook) / requestsPerSecond) * QUEUE_FACTOR * 1000);
}

/** Seconds for a message: `6 s`, `0.05 s`, `10.5 s`; never rounded to `0.0 s`. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  const text = s >= 1 ? String(Math.round(s * 10) / 10) : String(Number(s.toPrecision(2)));
  return `${text} s`;
}

/** The rule of a lookup, worded for messages. */
export function describeRule(parts: {
  lookMs?: number;
  waitMs?: number;
  pollMs?: number;
  queueMs?: number;
  lookups?: number;
  /** A look within a wait has a deadline of its own, besides the wait's. @default 'lookup' */
  of?: 'lookup' | 'look';
}): string {
  const terms: string[] = [];
  if (parts.waitMs !== undefined && parts.pollMs !== undefined) {
    terms.push(`a ${formatSeconds(parts.waitMs)} wait`, `one ${formatSeconds(parts.pollMs)} poll interval`);
  } else if (parts.lookMs !== undefined) {
    terms.push(parts.queueMs ? `deadlineSeconds ${formatSeconds(parts.lookMs)}` : 'deadlineSeconds');
  }
  if (parts.queueMs) terms.push(`${formatSeconds(parts.queueMs)} for ${parts.lookups} lookups to get through the rate limit`);
  const total = (parts.waitMs ?? 0) + (parts.waitMs !== undefined ? parts.pollMs ?? 0 : parts.lookMs ?? 0) + (parts.queueMs ?? 0);
  return `the ${parts.of ?? 'lookup'}'s deadline of ${formatSeconds(total)} (${terms.join(' + ')})`;
}

/** What the rule of a batch needs to know of a lookup. */
export interface RuleInput {
  readonly apiVersion?: ApiVersion | string;
  /** Absent: one look. */
  readonly wait?: { readonly timeoutSeconds: number; readonly pollIntervalSeconds: number };
}

/**
 * The longest a batch of lookups may take by the rule, margin included, when they share one
 * rate limit of `requestsPerSecond`: what a caller guarding against a wedged lookup process must
 * at least allow (the process's start and exit come on top).
 */
export function batchRuleMs(lookups: readonly RuleInput[], requestsPerSecond: number, deadlineSeconds: number): number {
  if (lookups.length === 0) return 0;
  const perLook = Math.max(...lookups.map((r) => requestsPerFirstLook(r.apiVersion)));
  const longest = Math.max(...lookups.map((r) => (r.wait ? (r.wait.timeoutSeconds + r.wait.pollIntervalSeconds) * 1000 : deadlineSeconds * 1000)));
  return queueAllowanceMs(lookups.length, perLook, requestsPerSecond) + longest + DEADLINE_MARGIN_MS;
}
