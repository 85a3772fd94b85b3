/**
 * Which reports are of the check a lookup started. For a moment after a create, the describe
 * action may still report the earlier check; a stale replica may even show it again later. Its
 * verdict must never count, so each report is judged on what it shows:
 *
 * - **With start times** (2021-12-06 `StepInfos[].StartTime`): the check started when its first
 *   step did. It is the started check when it started no earlier than the second the create was
 *   sent (by the service's clock, rounded down: `sentAt`) AND later than the check reported before
 *   the create. Both times are the service's, to the second; the create is held back until the
 *   second in which the stored check started is over, so the two never share a second. A check
 *   that started between the describe and the create (someone else's) counts: it is as fresh.
 *   If the service's clocks disagree (its `Date` header against its step times) by more than the
 *   rounding allows, a started check may not be recognized: the lookup then ends not passed when
 *   the wait runs out, never on an old verdict.
 * - **Without start times** (2018-03-30, or steps without `StartTime`): a check that finished
 *   before `sentAt` is not it; otherwise a finished report counts only once the check has been
 *   seen not finished since the create, after it was seen not running: the check reported before
 *   the create had finished or not started yet, or it was seen finished since. A check that was
 *   already running when the create was sent may finish with its old verdict after it; seeing it
 *   running proves nothing, so then the lookup needs to see it finish and a check run again. This
 *   assumes the service, once it has shown the new check, does not go back to the earlier one: the
 *   2018-03-30 answers carry nothing else to tell two checks apart.
 */
import { CheckPhase, StartedCheck, SyncCheckReport } from './types';

/** What the create established. */
export interface StartBasis {
  /** The create action sent. */
  readonly action: string;
  /** The service answered that it accepted the create. */
  readonly accepted: boolean;
  readonly requestId?: string;
  /** Why the outcome is unknown (when not accepted). */
  readonly createError?: { readonly code: string; readonly message: string };
  /** The service's time when the create was sent, rounded down to the second. */
  readonly sentAtMs: number;
  /** The report of the check stored before the create. */
  readonly before: SyncCheckReport;
}

/** When the check a report describes started: the earliest start time of its steps. */
export function checkStartMs(report: SyncCheckReport): number | undefined {
  const starts = report.steps.map((s) => s.startTime).filter((t): t is string => t !== undefined).map((t) => Date.parse(t));
  return starts.length > 0 ? Math.min(...starts) : undefined;
}

export class StartedCheckWatch {
  /** Without times: the check has been seen not running (finished, or not started) since before the create. */
  private seenIdle: boolean;
  /** Without times: since then, it has been seen not finished: a check run after the create. */
  private seenRunAgain = false;
  private readonly beforeStartMs?: number;

  constructor(private readonly basis: StartBasis) {
    this.beforeStartMs = checkStartMs(basis.before);
    this.seenIdle = basis.before.phase !== CheckPhase.RUNNING;
  }

  /** The report as the started check's (`startedCheck.seen`), or a not-passed stand-in saying the started check has not shown up. */
  public judge(report: SyncCheckReport): SyncCheckReport {
    const startMs = checkStartMs(report);
    let ours: boolean;
    if (startMs !== undefined) {
      ours = startMs >= this.basis.sentAtMs && (this.beforeStartMs === undefined || startMs > this.beforeStartMs);
    } else if (report.finishedAt !== undefined && Date.parse(report.finishedAt) < this.basis.sentAtMs) {
      ours = false;
    } else if (report.phase !== CheckPhase.FINISHED) {
      if (this.seenIdle) this.seenRunAgain = true;
      ours = this.seenRunAgain;
    } else {
      ours = this.seenRunAgain;
      this.seenIdle = true;
    }
    return ours ? { ...report, startedCheck: this.started(true) } : this.notSeen(report, startMs);
  }

  private started(seen: boolean): StartedCheck {
    const b = this.basis;
    const requestId = b.requestId ? { requestId: b.requestId } : {};
    return { action: b.action, accepted: b.accepted, ...requestId, sentAt: new Date(b.sentAtMs).toISOString(), seen };
  }

  /** What stands for the started check while the service reports another one: not passed, pending, no steps. */
  private notSeen(report: SyncCheckReport, startMs: number | undefined): SyncCheckReport {
    const b = this.basis;
    const sentAt = new Date(b.sentAtMs).toISOString();
    const what = b.accepted
      ? `the check started by ${b.action} (request id ${b.requestId}) at ${sentAt} has not shown up yet`
      : `${b.action} got no usable answer (${b.createError?.code}: ${b.createError?.message}), so whether it started a check is unknown; `
        + `it was not sent again (a second create would restart the check or be refused), and no check started since ${sentAt} has shown up`;
    const earlier = startMs !== undefined
      ? `an earlier check (started ${new Date(startMs).toISOString()}, ${report.status})`
      : report.finishedAt !== undefined
        ? `an earlier check (finished ${report.finishedAt}, ${report.status})`
        : `a check it cannot tell from an earlier one (${report.status}; the answer carries no times, so a check counts as the started one `
          + 'once it has been seen running since the create, after it was seen not running)';
    return {
      jobId: report.jobId,
      region: report.region,
      apiVersion: report.apiVersion,
      action: report.action,
      status: report.status,
      phase: CheckPhase.PENDING,
      passed: false,
      reason: `${what}: the service still reports ${earlier}`,
      steps: [],
      failedSteps: [],
      requestId: report.requestId,
      checkedAt: report.checkedAt,
      startedCheck: this.started(false),
    };
  }
}
