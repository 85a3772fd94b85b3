/**
 * A configured check as it stands at a moment.
 *
 * Timeline of a check, from its origin (see `./checks`: the first look, a create action, or a
 * moment long ago for an old check): `startDelaySeconds` not started, then the ten steps in
 * equal shares of `checkSeconds`. A failed outcome finishes when its `failStep` fails; later
 * steps never run. A running outcome never finishes its last step; a `pauseStep` stays paused
 * and later steps never start. A `skipStep` ends `skipped` instead of `finished`.
 * How each API version reports a snapshot is in `./render`.
 */
import { ResolvedJob } from './config-job';
import { JobOutcome } from './model';
import { CHECK_STEPS, CheckStepDefinition } from './steps';

export type StepStatus = 'notStarted' | 'running' | 'finished' | 'failed' | 'skipped' | 'paused';
export type CheckStatus = 'notStarted' | 'running' | 'passed' | 'failed';

export interface StepSnapshot {
  readonly def: CheckStepDefinition;
  readonly status: StepStatus;
  /** Epoch ms, when started. */
  readonly startedAt?: number;
  /** Epoch ms, when finished, failed or skipped. */
  readonly finishedAt?: number;
  /** 0..100 */
  readonly progress: number;
}

export interface CheckSnapshot {
  readonly status: CheckStatus;
  readonly steps: readonly StepSnapshot[];
  /** 0..100 */
  readonly progress: number;
  /** The running or paused step, the failed step, the last step when passed, 0 before the start. */
  readonly stepCur: number;
}

/** Steps that are over and did not stop the check. */
const DONE: readonly StepStatus[] = ['finished', 'skipped'];

/** The check at `nowMs`, for a check whose origin is `originMs` (Infinity: never started). */
export function snapshotAt(job: ResolvedJob, originMs: number, nowMs: number): CheckSnapshot {
  const checkStart = originMs + job.startDelaySeconds * 1000;
  const share = (job.checkSeconds * 1000) / CHECK_STEPS.length;
  const lastStep = Math.min(job.outcome === JobOutcome.FAILED ? job.failStep : CHECK_STEPS.length, job.pauseStep ?? CHECK_STEPS.length);
  const steps = CHECK_STEPS.map((def): StepSnapshot => {
    const start = checkStart + (def.stepNo - 1) * share;
    const end = checkStart + def.stepNo * share;
    if (def.stepNo > lastStep || !(nowMs >= start)) return { def, status: 'notStarted', progress: 0 };
    if (def.stepNo === job.pauseStep) return { def, status: 'paused', startedAt: start, progress: 0 };
    const neverEnds = job.outcome === JobOutcome.RUNNING && def.stepNo === CHECK_STEPS.length;
    if (neverEnds || nowMs < end) {
      const fraction = share > 0 ? (nowMs - start) / share : 0;
      return { def, status: 'running', startedAt: start, progress: Math.min(99, Math.floor(fraction * 100)) };
    }
    const status: StepStatus = job.outcome === JobOutcome.FAILED && def.stepNo === job.failStep ? 'failed' : def.stepNo === job.skipStep ? 'skipped' : 'finished';
    return { def, status, startedAt: start, finishedAt: end, progress: 100 };
  });

  if (!(nowMs >= checkStart)) return { status: 'notStarted', steps, progress: 0, stepCur: 0 };
  const failed = steps.find((s) => s.status === 'failed');
  if (failed) {
    return { status: 'failed', steps, progress: Math.floor((100 * failed.def.stepNo) / CHECK_STEPS.length), stepCur: failed.def.stepNo };
  }
  const current = steps.find((s) => s.status === 'running' || s.status === 'paused');
  if (!current) return { status: 'passed', steps, progress: 100, stepCur: CHECK_STEPS.length };
  const done = steps.filter((s) => DONE.includes(s.status)).length;
  const progress = Math.min(99, Math.floor((100 * (done + current.progress / 100)) / CHECK_STEPS.length));
  return { status: 'running', steps, progress, stepCur: current.def.stepNo };
}
