/**
 * The rules of the request pace, as pure functions of a small state and the time: where a
 * request's slot lies, whether it may go now, and how throttling slows the pace and how the pace
 * recovers. The state lives in memory (one process) or in a file every process on the machine
 * shares (shared-bucket.ts); either way these functions are the one source of the rules.
 *
 * Rules, all at the effective rate `r` (the strictest rate asked for, reduced after throttling):
 * - **slots** are spaced 1.05/r s apart, in order of asking (a token bucket of depth one). No
 *   burst: measured on a loaded two-core machine, letting r/2 requests go at once drew nine
 *   throttled answers per 70 requests where spacing drew one, because a burst queues behind the
 *   client's eight connections and reaches the server bunched with later requests;
 * - **window on slots**: no more than floor(r) slots within 1.1 s. Twenty slots 1.05/20 s apart
 *   span 1 s, so at 20/s this is the rule that binds: 20 per 1.1 s, 10% below the limit, room
 *   for requests that reach the server closer together than they left;
 * - **sends**, by the times requests actually went: at most floor(r) within 1.1 s, and at least
 *   half a slot apart. Timers fire late on a busy machine and then fire together; without these
 *   such a bunch went out at once (nine requests of 100 gates within 92 ms, measured) and
 *   reached the server with the requests after it. Half a slot, not a whole one: a whole slot
 *   made every late send push all the sends after it, which in virtual time with timers up to
 *   100 ms late lowered the rate by 1.7%; half a slot costs nothing measurable and, against 100
 *   real gates, drew a third fewer throttled answers than the window alone;
 * - **backoff**: a throttled answer cuts the rate, at most once a second (the answers to one
 *   overload arrive together): by a tenth after a quiet spell, since on a busy machine an
 *   isolated throttle is usually arrival-time jitter eating the 10% margin, not a lower limit;
 *   by half when it comes within 4 s of the last cut, which a lower real limit (another tool
 *   on the same SecretId, a 5/s account) quickly produces. Never below 1/20 of the asked rate;
 *   the rate recovers by 1/20 of the asked rate per second without throttling;
 * - **strictest wins**: callers sharing a limit may ask for different rates; the lowest asked
 *   within the last minute applies to all of them.
 *
 * Slots are handed out in order of asking, so concurrent callers are served first come, first
 * served, in one process and across processes.
 */

export const PACE = {
  /** Slot spacing, as a multiple of 1/r: 5% room for requests that reach the server closer together than they left. */
  spacingFactor: 1.05,
  /** The window of both window rules, as a multiple of floor(r)/r seconds. */
  windowFactor: 1.1,
  /** The most times a window log holds (see `paceWindow`). */
  maxWindowEntries: 50,
  /** The first throttled answer after a quiet spell multiplies the rate by this. */
  mildCutFactor: 0.9,
  /** A throttled answer within `escalateWithinMs` of the last cut multiplies the rate by this. */
  cutFactor: 0.5,
  /** Throttled again this soon after a cut: the limit is really lower, cut hard. */
  escalateWithinMs: 4_000,
  /** Throttled answers within this long of the last cut belong to the same overload. */
  throttleHoldMs: 1_000,
  /** Recovery per second without throttling, as a fraction of the asked rate. */
  recoveryPerSecond: 0.05,
  /** The lowest rate throttling can bring the pace to, as a fraction of the asked rate. */
  floorFraction: 0.05,
  /** How long a stricter rate asked by one caller holds for all. */
  capHoldMs: 60_000,
  /** A clock that went back more than this since the state was written makes the state meaningless. */
  clockBackMs: 5_000,
} as const;

/** Everything the pace remembers. Times are milliseconds since the epoch. */
export interface PaceState {
  /** When the state was last changed (to notice a clock set back). */
  readonly at: number;
  /** The next free slot. */
  readonly next: number;
  /** Slots handed out, oldest first: at most floor(r) of the latest. */
  readonly slots: readonly number[];
  /** When requests actually went, oldest first: at most floor(r) of the latest. */
  readonly sent: readonly number[];
  /** The strictest rate asked for, and until when it holds. */
  readonly cap?: { readonly rate: number; readonly until: number };
  /** The rate after the last throttled answer, and when it was cut. */
  readonly backoff?: { readonly rate: number; readonly at: number };
}

export const EMPTY_PACE: PaceState = { at: 0, next: 0, slots: [], sent: [] };

/** The rate asked for (the strictest within the hold), and the rate in force after backoff. */
export function paceRates(state: PaceState, now: number, asked: number): { asked: number; rate: number } {
  const cap = state.cap && state.cap.until > now ? Math.min(asked, state.cap.rate) : asked;
  if (!state.backoff) return { asked: cap, rate: cap };
  const recovered = state.backoff.rate + cap * PACE.recoveryPerSecond * (Math.max(0, now - state.backoff.at) / 1000);
  return { asked: cap, rate: Math.min(cap, Math.max(recovered, cap * PACE.floorFraction)) };
}

/**
 * floor(r) requests per 1.1 s window: `limit` requests per `ms`. Below 1/s, one per 1.1/r s.
 * Above 50/s (tests, raised account limits), 50 per 55/r s: a finer window that implies the
 * same bound per 1.1 s and keeps the logs, read and written for every request, small.
 */
export function paceWindow(rate: number): { limit: number; ms: number } {
  const limit = Math.min(PACE.maxWindowEntries, Math.max(1, Math.floor(rate)));
  return { limit, ms: ((limit * 1000) / rate) * PACE.windowFactor };
}

/** How long after `now` a request may go under a window rule, given the times in `log`. */
function windowWait(log: readonly number[], now: number, rate: number): number {
  const { limit, ms } = paceWindow(rate);
  if (log.length < limit) return 0;
  return Math.max(0, log[log.length - limit] + ms - now);
}

/** The log with `t` added, keeping as many entries as the window at the asked rate needs (a backed-off rate needs fewer). */
function keepLatest(log: readonly number[], t: number, asked: number): number[] {
  const next = [...log, t];
  const keep = paceWindow(asked).limit;
  return next.length > keep ? next.slice(next.length - keep) : next;
}

/**
 * A state that cannot be trusted at `now` is forgotten: written in the future of a clock set back
 * since. (A stale state needs nothing: its slots simply lie in the past.)
 */
function usable(state: PaceState, now: number): PaceState {
  return state.at - now > PACE.clockBackMs ? EMPTY_PACE : state;
}

/** The strictest rate asked for within the hold, refreshed by this caller's ask. */
function withCap(state: PaceState, now: number, asked: number): PaceState {
  const cap = state.cap;
  if (cap && cap.until > now && cap.rate < asked) return state;
  return { ...state, cap: { rate: asked, until: now + PACE.capHoldMs } };
}

export interface Reservation {
  readonly state: PaceState;
  /** When the request may go (ms since the epoch). */
  readonly slot: number;
}

/**
 * The next free slot for a caller asking `asked` requests per second, or undefined (the state
 * unchanged, nothing reserved) when it would come only at or after `deadlineAt`.
 */
export function reserveSlot(stateIn: PaceState, now: number, asked: number, deadlineAt: number): Reservation | undefined {
  const state = withCap(usable(stateIn, now), now, asked);
  const rates = paceRates(state, now, asked);
  const rate = rates.rate;
  const slot = Math.max(now, state.next, now + windowWait(state.slots, now, rate));
  if (slot >= deadlineAt) return undefined;
  return {
    slot,
    state: { ...state, at: now, next: slot + (1000 / rate) * PACE.spacingFactor, slots: keepLatest(state.slots, slot, rates.asked) },
  };
}

export interface Admission {
  readonly state: PaceState;
  /** 0: go now (the send is recorded); else how long to wait before asking again. */
  readonly waitMs: number;
}

/** May a request whose slot has come go at `now`? Checked against the times requests actually went: half a slot apart, and the window. */
export function admitSend(stateIn: PaceState, now: number, asked: number): Admission {
  const state = usable(stateIn, now);
  const rates = paceRates(state, now, asked);
  const last = state.sent[state.sent.length - 1];
  const gapWait = last === undefined ? 0 : last + ((1000 / rates.rate) * PACE.spacingFactor) / 2 - now;
  const waitMs = Math.max(0, gapWait, windowWait(state.sent, now, rates.rate));
  if (waitMs > 0) return { state, waitMs };
  return { waitMs: 0, state: { ...state, at: now, sent: keepLatest(state.sent, now, rates.asked) } };
}

/** The service throttled: cut the rate in force (mildly after a quiet spell), once per overload, not below the floor. */
export function throttlePace(stateIn: PaceState, now: number, asked: number): PaceState {
  const state = usable(stateIn, now);
  const sinceCut = state.backoff ? now - state.backoff.at : Infinity;
  if (sinceCut < PACE.throttleHoldMs) return state;
  const rates = paceRates(state, now, asked);
  const factor = sinceCut < PACE.escalateWithinMs ? PACE.cutFactor : PACE.mildCutFactor;
  const rate = Math.max(rates.asked * PACE.floorFraction, rates.rate * factor);
  return { ...state, at: now, backoff: { rate, at: now } };
}

/** A state read back from storage, or undefined when it is not one (a corrupt file is reset). */
export function parsePace(value: unknown): PaceState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const times = (v: unknown): v is number[] => Array.isArray(v) && v.length <= PACE.maxWindowEntries && v.every(num);
  const pair = (v: unknown, a: string, b: string) =>
    v === undefined || (typeof v === 'object' && v !== null && num((v as Record<string, unknown>)[a]) && (v as Record<string, number>)[a] > 0 && num((v as Record<string, unknown>)[b]));
  if (!num(o.at) || !num(o.next) || !times(o.slots) || !times(o.sent) || !pair(o.cap, 'rate', 'until') || !pair(o.backoff, 'rate', 'at')) return undefined;
  return o as unknown as PaceState;
}
