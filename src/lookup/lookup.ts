/**
 * The lookup both commands share: BatchRequests in, BatchResults out, never a throw. Whatever
 * goes wrong becomes an error result (fail closed), worded without secrets.
 */
import type { ProgressSink } from './progress';
import type { BatchError, BatchRequest, BatchResult } from './protocol';
import type { ApiVersion, SyncCheckReport } from '../dts/types';

// TEMPORARY until src/dts/batch.ts lands: bound at run time so the tree compiles meanwhile.
type LookupMany = (
  requests: Array<{
    jobId: string;
    region: string;
    endpoint?: string;
    apiVersion?: ApiVersion;
    attemptTimeoutSeconds?: number;
    wait?: { timeoutSeconds: number; pollIntervalSeconds: number };
  }>,
  options: { onProgress?: (index: number, report: SyncCheckReport) => void },
) => Promise<Array<{ report?: SyncCheckReport; error?: unknown }>>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lookupMany: LookupMany = (...args) => (require('../dts/batch') as { lookupMany: LookupMany }).lookupMany(...args);

export async function lookupAll(requests: readonly BatchRequest[], sink?: ProgressSink): Promise<BatchResult[]> {
  try {
    const results = await lookupMany(
      requests.map((r) => ({
        jobId: r.jobId,
        region: r.region,
        endpoint: r.endpoint,
        apiVersion: r.apiVersion as ApiVersion | undefined,
        attemptTimeoutSeconds: r.attemptTimeoutSeconds,
        wait: { timeoutSeconds: r.waitTimeoutSeconds, pollIntervalSeconds: r.pollIntervalSeconds },
      })),
      { onProgress: (index, report) => sink?.(requests[index].label ?? requests[index].jobId, report) },
    );
    return results.map((r) => (r.report ? { report: r.report } : { error: toBatchError(r.error) }));
  } catch (e) {
    // lookupMany reports per request; reaching here is a bug, still answered closed.
    const error = toBatchError(e);
    return requests.map(() => ({ error }));
  }
}

export async function lookupOne(request: BatchRequest, sink?: ProgressSink): Promise<BatchResult> {
  return (await lookupAll([request], sink))[0];
}

function toBatchError(e: unknown): BatchError {
  const o = (e ?? {}) as Record<string, unknown>;
  const json = typeof (o as { toJSON?: unknown }).toJSON === 'function' ? ((o as { toJSON(): Record<string, unknown> }).toJSON()) : o;
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return {
    kind: str(json.kind) ?? 'internal',
    code: str(json.code) ?? 'InternalLookupError',
    message: str(json.message) ?? (e instanceof Error ? e.message : 'the lookup failed for an unknown reason'),
    requestId: str(json.requestId),
    action: str(json.action),
    region: str(json.region),
    attempts: typeof json.attempts === 'number' ? json.attempts : undefined,
  };
}
