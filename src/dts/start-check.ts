/**
 * `startCheck`: start a new check of the job, then wait for THAT check's verdict. A stored
 * verdict may predate the last `ModifySyncJob`; only a check started now says the job is fit now.
 *
 * The steps, all within the wait's one deadline (`waitTimeoutSeconds` + one poll interval):
 *
 * 1. One describe, by the AUTO rule (2018-03-30 first, or what was learned): it tells the job's
 *    family, so which create action to send, and the check stored before (its start time).
 * 2. The create: `CreateCheckSyncJob` (2021-12-06) or `CreateSyncCheckJob` (2018-03-30), through
 *    the shared rate limit like any request. It is not read-only, so it is retried only when the
 *    answer proves it did nothing (throttled, an expired signature). A refusal
 *    (`FailedOperation.NotAllowOperation`, a check already running, ...) fails closed with the
 *    service's code and message. When its outcome is unknown (a timeout, a broken connection,
 *    HTTP 5xx, `InternalError`), it is NOT sent again: a second create would restart the check, or
 *    be refused as one is running. The wait then looks for a check started after the create was
 *    sent; if none shows, the lookup ends not passed, saying the create's outcome is unknown.
 * 3. Looks until the started check has finished. A report counts as the started check's only
 *    when the check it describes provably started after the create was sent (`StartedCheckWatch`);
 *    until then the service may still report the earlier check, which never counts.
 */
import { callAction } from './call';
import { describeSyncCheck, LookupPlan, lookWithin, pollUntilFinished, WaitOptions, waitWindow } from './check';
import { DtsApiError, DtsCredentialsError, DtsError, DtsInputError, DtsMalformedResponseError, DtsNetworkError, DtsTimeoutError } from './errors';
import { judgeAge } from './freshness';
import type { ClientSettings } from './options';
import { validateJobId } from './regions';
import { createActionFor } from './report';
import { mayHaveActed } from './retry';
import { serverTime } from './server-time';
import { checkStartMs, StartedCheckWatch } from './started-check';
import { ApiVersion, SyncCheckReport } from './types';

/**
 * The longest the create waits for the service's clock to leave the second in which the stored
 * check started (so the new check's start time differs from it; see started-check.ts).
 */
export const SAME_SECOND_WAIT_MS = 2_000;

export async function startAndWaitForSyncCheck(
  s: ClientSettings,
  jobIdInput: string,
  options: WaitOptions = {},
  plan: LookupPlan = {},
): Promise<SyncCheckReport> {
  const jobId = validateJobId(jobIdInput);
  const window = waitWindow(s, options, plan);
  const clock = s.clock;
  const host = s.endpoint.host;

  const before = await describeSyncCheck(s, jobId, lookWithin(s, window));
  const version = before.apiVersion as ApiVersion.V2018_03_30 | ApiVersion.V2021_12_06;
  const beforeStartMs = checkStartMs(before);

  // A check started in the same second as the stored one could not be told from it by its start
  // time: when the stored check started this very second (by the service's clock), wait for the next.
  if (beforeStartMs !== undefined) {
    const untilNextSecond = beforeStartMs + 1000 - serverTime(host, clock).nowMs;
    const room = window.end.at - clock.now();
    if (untilNextSecond > 0) await clock.sleep(Math.min(untilNextSecond, SAME_SECOND_WAIT_MS, room));
  }

  // The service's time when the create leaves, to the second, rounded down (and, without a Date
  // header to measure it by, moved back by the 5 minutes a signature may be off): a check that
  // started before it cannot be the one this create starts.
  const server = serverTime(host, clock);
  const sentAtMs = Math.floor((server.nowMs - server.uncertaintyMs) / 1000) * 1000;
  const action = createActionFor(version);
  let watch: StartedCheckWatch;
  let createError: DtsError | undefined;
  try {
    const { response } = await callAction(s, { action, version, payload: { JobId: jobId }, jobId, mutates: true }, lookWithin(s, window));
    watch = new StartedCheckWatch({ action, accepted: true, requestId: response.RequestId as string, sentAtMs, before });
  } catch (e) {
    if (!(e instanceof DtsError) || !mayHaveActed(e)) throw e;
    createError = e;
    watch = new StartedCheckWatch({ action, accepted: false, createError: e, sentAtMs, before });
  }

  try {
    return await pollUntilFinished(s, jobId, window, (report) => judgeAge(watch.judge(report), window.maxCheckAgeSeconds));
  } catch (e) {
    // Whatever ended the wait, a reader must also learn that the create's outcome was unknown.
    if (createError && e instanceof DtsError) throw withNote(e, `; before that, ${action} got no usable answer (${createError.code}: ${createError.message}), so whether it started a check is unknown`);
    throw e;
  }
}

const ERROR_CLASSES = {
  'api': DtsApiError,
  'network': DtsNetworkError,
  'timeout': DtsTimeoutError,
  'credentials': DtsCredentialsError,
  'malformed-response': DtsMalformedResponseError,
  'invalid-input': DtsInputError,
} as const;

/** The same error (class, code, request id, ...) with a note added to its message. */
function withNote(e: DtsError, note: string): DtsError {
  const Class = ERROR_CLASSES[e.kind];
  return new Class(`${e.message}${note}`, {
    code: e.code,
    requestId: e.requestId,
    action: e.action,
    region: e.region,
    jobId: e.jobId,
    retryable: e.retryable,
    httpStatus: e.httpStatus,
    attempts: e.attempts,
    cause: e,
  });
}
