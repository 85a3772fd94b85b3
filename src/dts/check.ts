/**
 * The two things a caller wants: look the check up once, or wait until it has finished.
 * `DtsClient` (jsii-facing) delegates here.
 */
import { callAction } from './call';
import { JOB_NOT_IN_2018, JOB_NOT_IN_2021, learnedVersion, rememberVersion, VERSION_GONE_CODES } from './endpoints';
import { DtsApiError } from './errors';
import { checkSeconds, ClientSettings, DEFAULTS } from './options';
import { validateJobId } from './regions';
import { ACTION_2018, ACTION_2021, actionFor, normalizeReport } from './report';
import { sleep } from './retry';
import { ApiVersion, CheckPhase, SyncCheckReport } from './types';

type ConcreteVersion = ApiVersion.V2018_03_30 | ApiVersion.V2021_12_06;

export async function describeSyncCheck(s: ClientSettings, jobIdInput: string): Promise<SyncCheckReport> {
  const jobId = validateJobId(jobIdInput);
  if (s.apiVersion !== ApiVersion.AUTO) return describeWith(s, jobId, s.apiVersion);

  const host = s.endpoint.host;
  const learned = learnedVersion(host, jobId);
  if (learned) return describeWith(s, jobId, learned);
  let first: DtsApiError;
  try {
    const report = await describeWith(s, jobId, ApiVersion.V2018_03_30);
    rememberVersion(host, jobId, ApiVersion.V2018_03_30);
    return report;
  } catch (e) {
    // Two job families share one id shape: a job the 2018-03-30 action does not know may be a
    // 2021-12-06 data sync job, and an action that is not served at all says nothing of the job.
    if (!(e instanceof DtsApiError) || (e.code !== JOB_NOT_IN_2018 && !VERSION_GONE_CODES.includes(e.code))) throw e;
    first = e;
  }
  const actionGone = VERSION_GONE_CODES.includes(first.code);
  if (actionGone) rememberVersion(host, undefined, ApiVersion.V2021_12_06);
  try {
    const report = await describeWith(s, jobId, ApiVersion.V2021_12_06);
    rememberVersion(host, jobId, ApiVersion.V2021_12_06);
    return report;
  } catch (e) {
    if (!(e instanceof DtsApiError) || !JOB_NOT_IN_2021.includes(e.code)) throw e;
    throw new DtsApiError(
      `neither API version knows job ${jobId}: ${ACTION_2018} (2018-03-30) answered ${describeAnswer(first)}, `
      + `${ACTION_2021} (2021-12-06) answered ${describeAnswer(e)}`,
      { code: e.code, action: e.action, region: e.region, jobId, requestId: e.requestId, attempts: e.attempts, retryable: false, cause: first },
    );
  }
}

function describeAnswer(e: DtsApiError): string {
  return `${e.code}${e.requestId ? ` (request id ${e.requestId})` : ''}`;
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
