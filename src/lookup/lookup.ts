/**
 * The lookup both commands share: BatchRequests in, BatchResults out, never a throw. Whatever
 * goes wrong becomes an error result (fail closed), worded without secrets.
 */
import type { ProgressSink } from './progress';
import type { BatchError, BatchRequest, BatchResult } from './protocol';
import { lookupMany, LookupOutcome, LookupRequest } from '../dts/batch';
import type { ApiVersion } from '../dts/types';

export interface LookupOptions {
  /**
   * Wait for a check that is still running (each request's `waitTimeoutSeconds` and
   * `pollIntervalSeconds`), or look once and answer what the API said (`check` without `--wait`).
   * @default true
   */
  readonly wait?: boolean;
}

export async function lookupAll(requests: readonly BatchRequest[], sink?: ProgressSink, options: LookupOptions = {}): Promise<BatchResult[]> {
  let outcomes: LookupOutcome[];
  try {
    // One call for the whole batch: its deadlines follow how many lookups share the rate limit.
    outcomes = await lookupMany(requests.map(toLookupRequest(options)), {
      onProgress: (i, report) => sink?.(requests[i].label ?? requests[i].jobId, report),
    });
  } catch (e) {
    // lookupMany reports per request; reaching here is a bug, still answered closed.
    outcomes = requests.map(() => ({ error: { kind: 'internal', code: 'InternalLookupError', message: (e as Error).message } }));
  }
  return outcomes.map((o) => (o.report ? { report: o.report } : { error: toBatchError(o.error) }));
}

/** A request of the protocol as the client takes it; without `wait`, one look (`check` without `--wait`). */
export function toLookupRequest(options: LookupOptions = {}): (r: BatchRequest) => LookupRequest {
  return (r) => ({
    jobId: r.jobId,
    region: r.region,
    endpoint: r.endpoint,
    apiVersion: r.apiVersion as ApiVersion | undefined,
    attemptTimeoutSeconds: r.attemptTimeoutSeconds,
    // A started check is always waited for: its verdict is the point of starting it.
    wait: options.wait === false && !r.startCheck ? undefined : { timeoutSeconds: r.waitTimeoutSeconds, pollIntervalSeconds: r.pollIntervalSeconds },
    startCheck: r.startCheck === true,
    maxCheckAgeSeconds: r.maxCheckAgeSeconds,
  });
}

export async function lookupOne(request: BatchRequest, sink?: ProgressSink, options: LookupOptions = {}): Promise<BatchResult> {
  return (await lookupAll([request], sink, options))[0];
}

function toBatchError(json: Record<string, unknown> | undefined): BatchError {
  const o = json ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return {
    kind: str(o.kind) ?? 'internal',
    code: str(o.code) ?? 'InternalLookupError',
    message: str(o.message) ?? 'the lookup failed for an unknown reason',
    requestId: str(o.requestId),
    action: str(o.action),
    region: str(o.region),
    attempts: typeof o.attempts === 'number' ? o.attempts : undefined,
  };
}
