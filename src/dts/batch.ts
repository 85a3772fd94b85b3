/**
 * Many lookups at once, for the lookup script: one client per distinct region/endpoint/version,
 * all drawing on the process-wide pacer, every outcome captured (one failure never hides the rest).
 */
import { DtsClient, DtsClientOptions } from './client';
import { DtsError, isDtsError } from './errors';
import { ApiVersion, SyncCheckReport } from './types';

export interface LookupRequest {
  readonly jobId: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly apiVersion?: ApiVersion;
  /** Wait for the check to finish instead of looking once. */
  readonly wait?: { readonly timeoutSeconds: number; readonly pollIntervalSeconds: number };
}

export interface LookupManyOptions extends Omit<DtsClientOptions, 'region' | 'endpoint' | 'apiVersion'> {
  /** Told about every report as it arrives (each poll included), with the request's index. */
  readonly onProgress?: (index: number, report: SyncCheckReport) => void;
}

export interface LookupOutcome {
  readonly report?: SyncCheckReport;
  readonly error?: ReturnType<DtsError['toJSON']>;
}

export async function lookupMany(requests: readonly LookupRequest[], options: LookupManyOptions = {}): Promise<LookupOutcome[]> {
  const { onProgress, ...clientOptions } = options;
  const clients = new Map<string, DtsClient>();
  const clientFor = (r: LookupRequest): DtsClient => {
    const key = JSON.stringify([r.region, r.endpoint ?? null, r.apiVersion ?? null]);
    let client = clients.get(key);
    if (!client) {
      client = new DtsClient({ ...clientOptions, region: r.region, endpoint: r.endpoint, apiVersion: r.apiVersion });
      clients.set(key, client);
    }
    return client;
  };

  return Promise.all(
    requests.map(async (r, index): Promise<LookupOutcome> => {
      try {
        const client = clientFor(r);
        const report = r.wait
          ? await client.waitForSyncCheck(r.jobId, {
            timeoutSeconds: r.wait.timeoutSeconds,
            pollIntervalSeconds: r.wait.pollIntervalSeconds,
            progressListener: onProgress ? { onProgress: (rep) => onProgress(index, rep) } : undefined,
          })
          : await client.describeSyncCheck(r.jobId);
        if (!r.wait) onProgress?.(index, report);
        return { report };
      } catch (e) {
        return { error: errorJson(e) };
      }
    }),
  );
}

/** A DtsError's JSON, or the same shape for anything else (a bug) so callers handle one shape. */
function errorJson(e: unknown): ReturnType<DtsError['toJSON']> {
  if (isDtsError(e)) return e.toJSON();
  const err = e instanceof Error ? e : new Error(String(e));
  return { name: err.name, kind: 'internal', code: 'InternalError', message: err.message, retryable: false };
}
