/**
 * The two things a caller wants: look the check up once, or wait until it has finished.
 * `DtsClient` (jsii-facing) delegates here.
 */
import { callAction } from './call';
import { learnedVersion, rememberVersion, VERSION_GONE_CODES } from './endpoints';
import { DtsApiError } from './errors';
import { checkSeconds, ClientSettings, DEFAULTS } from './options';
import { validateJobId } from './regions';
import { actionFor, normalizeReport } from './report';
import { sleep } from './retry';
import { ApiVersion, CheckPhase, SyncCheckReport } from './types';

type ConcreteVersion = ApiVersion.V2018_03_30 | ApiVersion.V2021_12_06;

export async function describeSyncCheck(s: ClientSettings, jobIdInput: string): Promise<SyncCheckReport> {
  const jobId = validateJobId(jobIdInput);
  if (s.apiVersion !== ApiVersion.AUTO) return describeWith(s, jobId, s.apiVersion);

  if (learnedVersion(s.endpoint.host) === ApiVersion.V2021_12_06) return describeWith(s, jobId, ApiVersion.V2021_12_06);
  try {
    return await describeWith(s, jobId, ApiVersion.V2018_03_30);
  } catch (e) {
    if (!(e instanceof DtsApiError) || !VERSION_GONE_CODES.includes(e.code)) throw e;
    rememberVersion(s.endpoint.host, ApiVersion.V2021_12_06);
    return describeWith(s, jobId, ApiVersion.V2021_12_06);
  }
}

async function describeWith(s: ClientSettings, jobId: string, version: ConcreteVersion): Promise<SyncCheckReport> {
  const action = actionFor(version);
  const { response, attempts } = await callAction(s, { action, version, payload: { JobId: jobId }, jobId });
  return normalizeReport(response, { jobId, region: s.region, apiVersion: version, attempts });
}

export interface WaitOptions {
  readonly timeoutSeconds?: number;
  readonly pollIntervalSeconds?: number;
  readonly progressListener?: { onProgress(report: SyncCheckReport): void };
}

/**
 * Poll until the check is finished. At the timeout the last report is returned, unfinished and
 * not passed: whether that is an error is the caller's decision (the CLI exits 3). Lookup errors
 * still throw. No sleep ever reaches past the timeout; one last look is taken at the timeout.
 */
export async function waitForSyncCheck(s: ClientSettings, jobIdInput: string, options: WaitOptions = {}): Promise<SyncCheckReport> {
  const jobId = validateJobId(jobIdInput);
  const timeoutSeconds = checkSeconds('waitTimeoutSeconds', options.timeoutSeconds ?? DEFAULTS.waitTimeoutSeconds, '`timeoutSeconds`');
  const pollSeconds = checkSeconds('pollIntervalSeconds', options.pollIntervalSeconds ?? DEFAULTS.pollIntervalSeconds);
  const listener = options.progressListener;
  if (listener !== undefined && typeof listener?.onProgress !== 'function') {
    throw new TypeError('`progressListener` must have an onProgress(report) method');
  }
  const deadlineAt = Date.now() + timeoutSeconds * 1000;
  const pollMs = pollSeconds * 1000;

  for (;;) {
    // A look in flight is bounded too, so the whole wait ends within timeout + one poll
    // interval even when the service stalls (a stalled last look is a timeout error).
    const lookDeadlineMs = Math.max(1, Math.min(s.deadlineMs, deadlineAt + pollMs - Date.now()));
    const report = await describeSyncCheck({ ...s, deadlineMs: lookDeadlineMs }, jobId);
    listener?.onProgress(report);
    if (report.phase === CheckPhase.FINISHED) return report;
    const remaining = deadlineAt - Date.now();
    if (remaining <= 0) {
      // Still not finished, so not passed (decideOutcome said so); only the reason learns about the wait.
      return { ...report, reason: `${report.reason}, and the wait of ${timeoutSeconds} s ran out` };
    }
    await sleep(Math.min(pollMs, remaining));
  }
}
