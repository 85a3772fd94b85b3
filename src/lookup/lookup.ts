/**
 * The lookup both commands share: BatchRequests in, BatchResults out, never a throw. Whatever
 * goes wrong becomes an error result (fail closed), worded without secrets.
 */
import type { ProgressSink } from './progress';
import type { BatchError, BatchRequest, BatchResult } from './protocol';
import { lookupMany, LookupOutcome } from '../dts/batch';
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
  // The attempt timeout is a client option, so requests are grouped by it; the rate limiter is
  // process-wide, so the groups still share one budget.
  const groups = new Map<number | undefined, number[]>();
  requests.forEach((r, i) => groups.set(r.attemptTimeoutSeconds, [...(groups.get(r.attemptTimeoutSeconds) ?? []), i]));
  const results: BatchResult[] = new Array(requests.length);
  await Promise.all(
    [...groups].map(async ([attemptTimeoutSeconds, indexes]) => {
      let outcomes: LookupOutcome[];
      try {
        outcomes = await lookupMany(
          indexes.map((i) => {
            const r = requests[i];
            return {
              jobId: r.jobId,
              region: r.region,
              endpoint: r.endpoint,
              apiVersion: r.apiVersion as ApiVersion | undefined,
              wait: options.wait === false ? undefined : { timeoutSeconds: r.waitTimeoutSeconds, pollIntervalSeconds: r.pollIntervalSeconds },
            };
          }),
          {
            attemptTimeoutSeconds,
            onProgress: (k, report) => sink?.(requests[indexes[k]].label ?? requests[indexes[k]].jobId, report),
          },
        );
      } catch (e) {
        // lookupMany reports per request; reaching here is a bug (e.g. a bad option), still answered closed.
        outcomes = indexes.map(() => ({ error: { kind: 'internal', code: 'InternalLookupError', message: (e as Error).message } }));
      }
      outcomes.forEach((o, k) => {
        results[indexes[k]] = o.report ? { report: o.report } : { error: toBatchError(o.error) };
      });
    }),
  );
  return results;
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
