/**
 * When each job's current check started (its origin), on the emulator's job clock.
 *
 * Before anything asks about a job, it has no origin. The first look fixes one: that moment
 * (the check runs from there), long enough ago that the check finished `lastCheckedSecondsAgo`
 * before it, or never (`neverChecked`). A create action starts a fresh check: the origin becomes
 * that moment, whatever came before.
 */
import { ResolvedJob } from './config-job';
import { JobOutcome } from './model';
import { CHECK_STEPS } from './steps';

/** The origin of a check that has not been started. */
export const NEVER = Number.POSITIVE_INFINITY;

export class CheckOrigins {
  private readonly origins = new Map<string, number>();

  /** The origin of the job's current check, fixed at the first look. */
  public originOf(job: ResolvedJob, nowMs: number): number {
    let origin = this.origins.get(job.jobId);
    if (origin === undefined) {
      origin = firstOrigin(job, nowMs);
      this.origins.set(job.jobId, origin);
    }
    return origin;
  }

  /** A create action started a new check now. */
  public restart(job: ResolvedJob, nowMs: number): void {
    this.origins.set(job.jobId, nowMs);
  }
}

function firstOrigin(job: ResolvedJob, nowMs: number): number {
  if (job.neverChecked) return NEVER;
  if (job.lastCheckedSecondsAgo === undefined) return nowMs;
  // The check ended when its last step did: the failing one, or the tenth.
  const stepsRun = job.outcome === JobOutcome.FAILED ? job.failStep : CHECK_STEPS.length;
  const lasted = job.startDelaySeconds + (job.checkSeconds * stepsRun) / CHECK_STEPS.length;
  return nowMs - (lasted + job.lastCheckedSecondsAgo) * 1000;
}
