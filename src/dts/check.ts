/**
 * The two things a caller wants: look the check up once, or wait until it has finished.
 * `DtsClient` (jsii-facing) delegates here.
 */
import { callAction } from './call';
import { Deadline, deadlineIn, describeRule, formatSeconds } from './deadline';
import { JOB_NOT_IN_2018, JOB_NOT_IN_2021, learnedVersion, rememberVersion, VERSION_GONE_CODES } from './endpoints';
import { DtsApiError, DtsTimeoutError } from './errors';
import { judgeAge } from './freshness';
import { checkSeconds, ClientSettings, DEFAULTS } from './options';
import { validateJobId } from './regions';
import { ACTION_2018, ACTION_2021, actionFor, normalizeReport } from './report';
import { serverTime } from './server-time';
import { ApiVersion, CheckPhase, SyncCheckReport } from './types';

type ConcreteVersion = ApiVersion.V2018_03_30 | ApiVersion.V2021_12_06;

/** How a lookup sits in a batch: how much later than alone it may end (see deadline.ts). */
export interface LookupPlan {
  /** @default 0 */
  readonly queueAllowanceMs?: number;
  /** Lookups sharing the rate limit, for messages. @default 1 */
  readonly lookups?: number;
}

/** The deadline of one look: `deadlineSeconds`, plus its batch's queueing allowance (`of: 'look'` for a look within a wait). */
export function lookDeadline(s: ClientSettings, plan: LookupPlan = {}, of: 'lookup' | 'look' = 'lookup'): Deadline {
  const queueMs = plan.queueAllowanceMs ?? 0;
  return deadlineIn(s.clock, s.deadlineMs + queueMs, describeRule({ lookMs: s.deadlineMs, queueMs, lookups: plan.lookups, of }));
}

/**
 * Look the check up once. Under AUTO both API families are asked within the one deadline: the
 * 2018-03-30 action first, then the 2021-12-06 one when the first does not know the job or is
 * not served; a pinned version asks its own action only.
 */
export async function describeSyncCheck(s: ClientSettings, jobIdInput: string, deadline: Deadline = lookDeadline(s)): Promise<SyncCheckReport> {
  const jobId = validateJobId(jobIdInput);
  if (s.apiVersion !== ApiVersion.AUTO) return describeWith(s, jobId, s.apiVersion, deadline);

  const host = s.endpoint.host;
  const learned = learnedVersion(host, jobId);
  if (learned) return describeWith(s, jobId, learned, deadline);
  let first: DtsApiError;
  try {
    const report = await describeWith(s, jobId, ApiVersion.V2018_03_30, deadline);
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
    const report = await describeWith(s, jobId, ApiVersion.V2021_12_06, deadline);
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

async function describeWith(s: ClientSettings, jobId: string, version: ConcreteVersion, deadline: Deadline): Promise<SyncCheckReport> {
  const action = actionFor(version);
  const { response, attempts, serverSkewMs } = await callAction(s, { action, version, payload: { JobId: jobId }, jobId }, deadline);
  return normalizeReport(response, {
    jobId,
    region: s.region,
    apiVersion: version,
    attempts,
    checkedAt: new Date(s.clock.now()),
    serverTime: serverTime(s.endpoint.host, s.clock, serverSkewMs),
  });
}

export interface WaitOptions {
  readonly timeoutSeconds?: number;
  readonly pollIntervalSeconds?: number;
  readonly progressListener?: { onProgress(report: SyncCheckReport): void };
  /**
   * A passed check that finished longer ago than this (or at an unknown time) does not count (freshness.ts).
   * @default - any age counts
   */
  readonly maxCheckAgeSeconds?: number;
}

/** The time a wait has, fixed when it starts (see waitForSyncCheck). */
export interface WaitWindow {
  /** When the last look is taken. */
  readonly timeoutAt: number;
  /** The wait's one deadline: the timeout plus one poll interval (plus the batch's queueing allowance). */
  readonly end: Deadline;
  readonly waitMs: number;
  readonly pollMs: number;
  readonly plan: LookupPlan;
  readonly listener?: { onProgress(report: SyncCheckReport): void };
  readonly maxCheckAgeSeconds?: number;
}

/** Validate the wait's options and fix its window now. */
export function waitWindow(s: ClientSettings, options: WaitOptions, plan: LookupPlan): WaitWindow {
  const timeoutSeconds = checkSeconds('waitTimeoutSeconds', options.timeoutSeconds ?? DEFAULTS.waitTimeoutSeconds, '`timeoutSeconds`');
  const pollSeconds = checkSeconds('pollIntervalSeconds', options.pollIntervalSeconds ?? DEFAULTS.pollIntervalSeconds);
  const maxCheckAgeSeconds = options.maxCheckAgeSeconds === undefined ? undefined : checkSeconds('maxCheckAgeSeconds', options.maxCheckAgeSeconds);
  const listener = options.progressListener;
  if (listener !== undefined && typeof listener?.onProgress !== 'function') {
    throw new TypeError('`progressListener` must have an onProgress(report) method');
  }
  const queueMs = plan.queueAllowanceMs ?? 0;
  const waitMs = Math.round(timeoutSeconds * 1000);
  const pollMs = Math.round(pollSeconds * 1000);
  const timeoutAt = s.clock.now() + queueMs + waitMs;
  const end: Deadline = { at: timeoutAt + pollMs, rule: describeRule({ waitMs, pollMs, queueMs, lookups: plan.lookups }) };
  return { timeoutAt, end, waitMs, pollMs, plan, listener, maxCheckAgeSeconds };
}

/** The deadline of one look within a wait: its own, or the wait's end when that comes first. */
export function lookWithin(s: ClientSettings, window: WaitWindow): Deadline {
  const own = lookDeadline(s, window.plan, 'look');
  return own.at < window.end.at ? own : window.end;
}

/**
 * Poll until the check is finished, within ONE deadline fixed at the start: the timeout plus one
 * poll interval (plus the batch's queueing allowance). Looks are taken at the start, every poll
 * interval, and a last one at the timeout; no sleep reaches past the timeout, and each look ends
 * by the deadline (and within `deadlineSeconds` of its start).
 *
 * When the timeout passes with the check unfinished, the last report is returned, not passed:
 * whether that is an error is the caller's decision (the CLI exits 3). That holds too when the
 * last look is cut short by the deadline (the service stalled, throttled or kept failing
 * retryably until the time was up): running out of time is not a failure of the API. Any other
 * lookup error throws, and so does a deadline reached before any look answered.
 */
export async function waitForSyncCheck(
  s: ClientSettings,
  jobIdInput: string,
  options: WaitOptions = {},
  plan: LookupPlan = {},
): Promise<SyncCheckReport> {
  const jobId = validateJobId(jobIdInput);
  const window = waitWindow(s, options, plan);
  return pollUntilFinished(s, jobId, window, (report) => judgeAge(report, window.maxCheckAgeSeconds));
}

/**
 * The looks of a wait: each report goes through `judge` (the age rule; for a started check, also
 * whether it is that check's) before the listener and the loop see it, so what is not the verdict
 * asked for keeps the wait going or ends it not passed.
 */
export async function pollUntilFinished(
  s: ClientSettings,
  jobId: string,
  window: WaitWindow,
  judge: (report: SyncCheckReport) => SyncCheckReport,
): Promise<SyncCheckReport> {
  const clock = s.clock;
  const ranOut = (report: SyncCheckReport): SyncCheckReport =>
    // Still not finished, so not passed (decideOutcome said so); only the reason learns about the wait.
    ({ ...report, reason: `${report.reason}, and the wait of ${formatSeconds(window.waitMs)} ran out` });

  let last: SyncCheckReport | undefined;
  for (;;) {
    const look = lookWithin(s, window);
    let report: SyncCheckReport;
    try {
      report = judge(await describeSyncCheck(s, jobId, look));
    } catch (e) {
      // Cut short by the wait's own end: the verdict is what the check was last seen doing.
      if (last && look === window.end && e instanceof DtsTimeoutError && e.code === 'DeadlineExceeded') return ranOut(last);
      throw e;
    }
    last = report;
    window.listener?.onProgress(report);
    if (report.phase === CheckPhase.FINISHED) return report;
    const remaining = window.timeoutAt - clock.now();
    if (remaining <= 0) return ranOut(report);
    await clock.sleep(Math.min(window.pollMs, remaining));
  }
}
