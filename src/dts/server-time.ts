/**
 * The service's clock, as its answers show it. How old a check is, and whether a check started
 * before or after a create, are judged against the times the service writes (`StartTime`,
 * `FinishTime`), so they must be compared with the service's clock, not this machine's: a runner
 * whose clock is minutes off would otherwise take a stale check for a fresh one.
 *
 * Every answer carries a `Date` header (HTTP, to the second). Its difference from this machine's
 * wall clock when the answer arrived is the skew; the service's time is then the lookup's clock
 * plus that skew. Measuring against the wall clock (what the header is comparable with) and
 * adding to the lookup's clock keeps virtual time in tests consistent with an emulator whose checks
 * run on that same virtual clock.
 *
 * The header is truncated to the second, so the skew reads up to a second low (the service's time
 * is never overestimated). Without a header (never seen from the service, but possible behind a
 * proxy), the skew learned from `AuthFailure.SignatureExpire` is used, or none, and the answer is
 * known to be within `SIGNATURE_WINDOW_MS` of the truth: the service accepted our signature.
 */
import type { Clock } from './clock';

/** How far off a signed request's clock may be and still be accepted (the API refuses more than 5 minutes). */
export const SIGNATURE_WINDOW_MS = 300_000;

/** Server minus wall-clock time in ms, per host, from the last answer that had a `Date` header. */
const observed = new Map<string, number>();

/** The skew signatures are corrected by, per host: learned only from `AuthFailure.SignatureExpire`. */
const signingSkews = new Map<string, number>();

/** The correction a signature's timestamp gets for `host` (0 until the service refused one as expired). */
export function clockSkewMs(host: string): number {
  return signingSkews.get(host) ?? 0;
}

/** The service refused a signature as expired; its `Date` header showed this skew. */
export function learnSigningSkew(host: string, skewMs: number): void {
  signingSkews.set(host, skewMs);
}

/** Server minus local time in ms, from an HTTP `Date` header (1 s resolution). */
export function measureSkew(date: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(date) ? date[0] : date;
  if (!text) return undefined;
  const server = Date.parse(text);
  return Number.isNaN(server) ? undefined : server - now;
}

/** Note an answer's `Date` header; returns the skew it shows, if any. */
export function noteServerDate(host: string, date: string | string[] | undefined, now = Date.now()): number | undefined {
  const skew = measureSkew(date, now);
  if (skew !== undefined) observed.set(host, skew);
  return skew;
}

/** The service's time by `clock`: its value and how far from the truth it may be (0 when a `Date` header was seen). */
export interface ServerTime {
  readonly nowMs: number;
  readonly uncertaintyMs: number;
}

/**
 * The service's time now, by `clock` and the skew `skewMs` (from an answer's `Date` header), or,
 * without one, by the last skew seen for `host`.
 */
export function serverTime(host: string, clock: Clock, skewMs?: number): ServerTime {
  const skew = skewMs ?? observed.get(host);
  if (skew !== undefined) return { nowMs: clock.now() + skew, uncertaintyMs: 0 };
  return { nowMs: clock.now() + clockSkewMs(host), uncertaintyMs: SIGNATURE_WINDOW_MS };
}

/** For tests: forget the skews seen. */
export function forgetServerTimes(): void {
  observed.clear();
}
