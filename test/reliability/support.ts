/**
 * Shared pieces of the reliability suite: a seeded PRNG, fault plans drawn from it, and the
 * oracle that says what a run must end in.
 *
 * Reproduce a failure with the seed it prints: `RELIABILITY_SEED=<seed> npx jest test/reliability`.
 * Every plan is derived from (seed, group, run index), so the same seed gives the same plans.
 */
import type { EmulatorFaultConfig } from '../../src/emulator';

/* eslint-disable no-bitwise -- a PRNG and a hash are bit arithmetic by nature */
/** The suite's seed: fixed by default (CI repeats itself), overridable to explore or reproduce. */
export const SEED = process.env.RELIABILITY_SEED ? Number(process.env.RELIABILITY_SEED) >>> 0 : 0x5eed_2024;

/** mulberry32: a tiny, well-known 32-bit PRNG; plenty for drawing plans. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of one run: the suite seed mixed with the group name and the run index. */
export function runSeed(group: string, index: number, seed = SEED): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const ch of `${group}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/* eslint-enable no-bitwise */

export class Draw {
  public readonly random: () => number;
  constructor(public readonly seed: number) {
    this.random = mulberry32(seed);
  }
  public int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  public pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
  /** Pick by weight: `[[item, weight], ...]`. */
  public weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.random() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }
}

/** A job id unique to a run: `sync-` + 8 of [0-9a-z]. */
export function runJobId(prefix: string, index: number): string {
  return `sync-${prefix}${index.toString(36).padStart(8 - prefix.length, '0')}`;
}

export type Outcome = 'passed' | 'failed' | 'running';

/** What an injected fault makes the client see, as the client classifies it (src/dts/http.ts, retry.ts). */
export interface FaultEffect {
  /** The error code the client reports for it; undefined when the real answer still comes through. */
  readonly code?: string;
  readonly retryable: boolean;
  /** The service throttled: retried as long as the deadline allows, not counted against maxAttempts. */
  readonly throttled?: boolean;
  /** The answer was an API error envelope, so it carries a RequestId. */
  readonly hasRequestId: boolean;
}

/** Each fault kind's effect, given the attempt timeout (a slow body slower than it is a timeout). */
export function faultEffect(fault: EmulatorFaultConfig, attemptTimeoutMs: number): FaultEffect {
  switch (fault.kind) {
    case 'http500':
    case 'http502':
    case 'http503':
      return { code: 'HttpServerError', retryable: true, hasRequestId: false };
    case 'reset':
      return { code: 'NetworkError', retryable: true, hasRequestId: false };
    case 'stall':
      return { code: 'AttemptTimeout', retryable: true, hasRequestId: false };
    case 'slowBody': {
      // test/README.md margins: a slow body that must not time out an attempt takes at most a
      // fiftieth of the attempt timeout; one that must time it out outlasts it twice over.
      const ms = fault.durationMs ?? 2000;
      if (ms <= attemptTimeoutMs / 50) return { retryable: false, hasRequestId: false };
      if (ms >= attemptTimeoutMs * 2) return { code: 'AttemptTimeout', retryable: true, hasRequestId: false };
      throw new Error(`a ${ms} ms slow body against a ${attemptTimeoutMs} ms attempt timeout has no certain effect: draw at most 1/50 of it or at least twice it`);
    }
    case 'truncatedJson':
    case 'garbledJson':
      // A 200 application/json answer that does not parse is refused at once: it is not retried.
      return { code: 'MalformedJson', retryable: false, hasRequestId: false };
    case 'wrongContentType':
      return { retryable: false, hasRequestId: false };
    case 'internalDatabaseError':
      return { code: 'InternalError.DatabaseError', retryable: true, hasRequestId: true };
    case 'internalProtocolError':
      return { code: 'InternalError.ProtocolError', retryable: true, hasRequestId: true };
    case 'serviceUnavailable':
      return { code: 'ServiceUnavailable', retryable: true, hasRequestId: true };
    case 'requestLimit':
      return { code: 'RequestLimitExceeded', retryable: true, throttled: true, hasRequestId: true };
    case 'notAllowOperation':
      return { code: 'FailedOperation.NotAllowOperation', retryable: false, hasRequestId: true };
    case 'clockSkew':
      return { code: 'AuthFailure.SignatureExpire', retryable: false, hasRequestId: true };
    default:
      throw new Error(`no effect known for fault kind ${fault.kind}`);
  }
}

/** The fault kinds a plan may draw, with weights (mostly the retryable kinds that heal). */
export const FAULT_WEIGHTS: ReadonlyArray<readonly [EmulatorFaultConfig['kind'], number]> = [
  ['http500', 3], ['http502', 3], ['http503', 3], ['reset', 3], ['stall', 2], ['slowBody', 3],
  ['truncatedJson', 1], ['garbledJson', 1], ['wrongContentType', 1],
  ['internalDatabaseError', 2], ['internalProtocolError', 1], ['serviceUnavailable', 2],
  ['requestLimit', 4], ['notAllowOperation', 1],
];

export interface PlanOptions {
  readonly maxFaults: number;
  readonly kinds?: ReadonlyArray<readonly [EmulatorFaultConfig['kind'], number]>;
  /** slowBody durations to draw from (ms). */
  readonly slowBodyMs: readonly number[];
  /** Restrict every fault to this action (the AUTO group). */
  readonly action?: string;
}

/** A list of job faults, each applied `times` times in order (the emulator consumes them first to last). */
export function drawFaults(d: Draw, o: PlanOptions): EmulatorFaultConfig[] {
  const count = d.int(0, o.maxFaults);
  const faults: EmulatorFaultConfig[] = [];
  for (let i = 0; i < count; i++) {
    const kind = d.weighted(o.kinds ?? FAULT_WEIGHTS);
    const fault: EmulatorFaultConfig = { kind, times: d.weighted([[1, 4], [2, 1]] as const) };
    faults.push({
      ...fault,
      ...(kind === 'slowBody' ? { durationMs: d.pick(o.slowBodyMs) } : {}),
      ...(kind === 'clockSkew' ? { skewSeconds: d.pick([-900, 600, 3600]) } : {}),
      ...(o.action ? { action: o.action } : {}),
    });
  }
  return faults;
}

export function drawOutcome(d: Draw): Outcome {
  return d.weighted([['passed', 5], ['failed', 3], ['running', 2]] as const);
}

/** The faults one after another, as the requests meet them. */
export function faultSequence(faults: readonly EmulatorFaultConfig[]): EmulatorFaultConfig[] {
  return faults.flatMap((f) => Array.from({ length: f.times ?? 1 }, () => f));
}

export type Expected = (
  | { readonly kind: 'report'; readonly attempts: number }
  | { readonly kind: 'error'; readonly code: string; readonly hasRequestId: boolean; readonly attempts: number }
) & {
  /** The clock skew (s) the client has learned for the host when the call ends. */
  readonly clientSkewAfter: number;
};

export interface CallModel {
  readonly maxAttempts: number;
  readonly attemptTimeoutMs: number;
  /** The emulator's clock offset (s) and what the client believes it is (s) when the call starts. */
  readonly serverSkewSeconds?: number;
  readonly clientSkewSeconds?: number;
}

/**
 * What ONE call (src/dts/call.ts) must end in when its requests meet `faults` in order, for a
 * deadline long enough that backoff never decides. Mirrors the rules, not the code: throttled
 * answers (`RequestLimitExceeded`) are retried as long as the deadline allows and do not count
 * against `maxAttempts`; other retryable failures are retried until `maxAttempts` attempts have
 * counted; a `SignatureExpire` is retried once at once with the clock skew measured from the
 * `Date` header (that attempt counts); anything else ends the call.
 */
export function expectedCall(faults: readonly EmulatorFaultConfig[], m: CallModel): Expected {
  const seq = faultSequence(faults);
  const serverBase = m.serverSkewSeconds ?? 0;
  let clientSkew = m.clientSkewSeconds ?? 0;
  let skewRetried = false;
  let counted = 0;
  let k = 0;
  for (let attempt = 1; attempt <= 100; attempt++) {
    const fault = seq[k++];
    const skewFault = fault?.kind === 'clockSkew';
    const effect = fault && !skewFault ? faultEffect(fault, m.attemptTimeoutMs) : undefined;
    if (effect?.code === undefined) {
      // The request reaches the signature check.
      const server = serverBase + (skewFault ? fault.skewSeconds ?? 600 : 0);
      if (Math.abs(server - clientSkew) <= 300 - 2) return { kind: 'report', attempts: attempt, clientSkewAfter: clientSkew };
      if (!skewRetried) {
        skewRetried = true;
        clientSkew = server;
        counted++;
        continue;
      }
      return { kind: 'error', code: 'AuthFailure.SignatureExpire', hasRequestId: true, attempts: attempt, clientSkewAfter: clientSkew };
    }
    if (!effect.retryable) {
      return { kind: 'error', code: effect.code, hasRequestId: effect.hasRequestId, attempts: attempt, clientSkewAfter: clientSkew };
    }
    if (effect.throttled) continue;
    if (++counted >= m.maxAttempts) {
      return { kind: 'error', code: effect.code, hasRequestId: effect.hasRequestId, attempts: attempt, clientSkewAfter: clientSkew };
    }
  }
  throw new Error('the call model did not end');
}

/** Run `tasks` with at most `limit` at a time. */
export async function pool<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** A short, readable description of a plan for failure messages. */
export function describePlan(faults: readonly EmulatorFaultConfig[]): string {
  if (faults.length === 0) return 'no faults';
  return faults.map((f) => `${f.kind}${f.times && f.times > 1 ? `x${f.times}` : ''}${f.durationMs !== undefined ? `(${f.durationMs}ms)` : ''}${f.skewSeconds !== undefined ? `(${f.skewSeconds}s)` : ''}`).join(', ');
}
