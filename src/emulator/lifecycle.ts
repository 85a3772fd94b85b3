/**
 * A configured check as it stands at a moment, and how each API version reports it.
 *
 * Timeline of a job (its clock starts at the first request that looks it up):
 * `startDelaySeconds` not started, then the ten steps in equal shares of `checkSeconds`.
 * A failed outcome finishes when its `failStep` fails; later steps never run. A running
 * outcome never finishes its last step.
 */
import { ResolvedJob } from './config';
import { JobOutcome } from './model';
import { CHECK_STEPS, CheckStepDefinition, helpDocFor, STEP_PASSED_MESSAGE } from './steps';

export type StepStatus = 'notStarted' | 'running' | 'finished' | 'failed';
export type CheckStatus = 'notStarted' | 'running' | 'passed' | 'failed';

export interface StepSnapshot {
  readonly def: CheckStepDefinition;
  readonly status: StepStatus;
  /** Epoch ms, when started. */
  readonly startedAt?: number;
  /** Epoch ms, when finished or failed. */
  readonly finishedAt?: number;
  /** 0..100 */
  readonly progress: number;
}

export interface CheckSnapshot {
  readonly status: CheckStatus;
  readonly steps: readonly StepSnapshot[];
  /** 0..100 */
  readonly progress: number;
  /** The running step, the failed step, the last step when passed, 0 before the start. */
  readonly stepCur: number;
}

/** 2018-03-30 texts. `灾备检查成功` is the API sample's; the others follow its style. */
export const MESSAGES_2018 = {
  starting: '校验任务启动中',
  running: '校验任务进行中',
  passed: '灾备检查成功',
  failed: '灾备检查失败',
};
/** 2018-03-30 `StepCode` of a failed step, and `ErrorCode` of a failed check. */
export const FAILED_STEP_CODE_2018 = 1;

export function snapshotAt(job: ResolvedJob, clockStartMs: number, nowMs: number): CheckSnapshot {
  const checkStart = clockStartMs + job.startDelaySeconds * 1000;
  const share = (job.checkSeconds * 1000) / CHECK_STEPS.length;
  const lastStep = job.outcome === JobOutcome.FAILED ? job.failStep : CHECK_STEPS.length;
  const steps = CHECK_STEPS.map((def): StepSnapshot => {
    const start = checkStart + (def.stepNo - 1) * share;
    const end = checkStart + def.stepNo * share;
    if (def.stepNo > lastStep || nowMs < start) return { def, status: 'notStarted', progress: 0 };
    const neverEnds = job.outcome === JobOutcome.RUNNING && def.stepNo === CHECK_STEPS.length;
    if (neverEnds || nowMs < end) {
      const fraction = share > 0 ? (nowMs - start) / share : 0;
      return { def, status: 'running', startedAt: start, progress: Math.min(99, Math.floor(fraction * 100)) };
    }
    const failed = job.outcome === JobOutcome.FAILED && def.stepNo === job.failStep;
    return { def, status: failed ? 'failed' : 'finished', startedAt: start, finishedAt: end, progress: 100 };
  });

  if (nowMs < checkStart) return { status: 'notStarted', steps, progress: 0, stepCur: 0 };
  const failed = steps.find((s) => s.status === 'failed');
  if (failed) {
    return { status: 'failed', steps, progress: Math.floor((100 * failed.def.stepNo) / CHECK_STEPS.length), stepCur: failed.def.stepNo };
  }
  const running = steps.find((s) => s.status === 'running');
  if (!running) return { status: 'passed', steps, progress: 100, stepCur: CHECK_STEPS.length };
  const done = steps.filter((s) => s.status === 'finished').length;
  const progress = Math.min(99, Math.floor((100 * (done + running.progress / 100)) / CHECK_STEPS.length));
  return { status: 'running', steps, progress, stepCur: running.def.stepNo };
}

/**
 * `DescribeSyncCheckJob` (2018-03-30) fields, in the order of the API sample. `StepInfo` lists
 * only steps that have run: passed ones with `StepCode` 0, the failed one with a non-zero code.
 * The running step and steps not yet run are left out, so a listed step is always decided.
 */
export function render2018(job: ResolvedJob, snap: CheckSnapshot, requestId: string): Record<string, unknown> {
  const status = snap.status === 'notStarted' ? 'starting' : snap.status === 'running' ? 'running' : 'finished';
  const message = snap.status === 'notStarted' ? MESSAGES_2018.starting : MESSAGES_2018[snap.status];
  return {
    CheckFlag: snap.status === 'passed' ? 1 : 0,
    ErrorCode: snap.status === 'failed' ? FAILED_STEP_CODE_2018 : 0,
    ErrorMessage: message,
    RequestId: requestId,
    Status: status,
    StepInfo: snap.steps
      .filter((s) => s.status === 'finished' || s.status === 'failed')
      .map((s) => ({
        StepCode: s.status === 'failed' ? FAILED_STEP_CODE_2018 : 0,
        StepMessage: s.status === 'failed' ? job.message : STEP_PASSED_MESSAGE,
        StepName: s.def.name,
        StepNo: s.def.stepNo,
      })),
  };
}

/** `YYYY-MM-DD HH:mm:ss` in Beijing time (UTC+8), as Tencent Cloud APIs print times. */
export function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * `DescribeCheckSyncJobResult` (2021-12-06) fields. `StepInfos` is null before the check
 * starts (the API documents it may be null); then all ten steps are listed. Steps not started
 * have empty times, `Progress` -1 (n/a) and null `Errors`/`Warnings`.
 */
export function render2021(job: ResolvedJob, snap: CheckSnapshot, requestId: string): Record<string, unknown> {
  const status = snap.status === 'passed' ? 'success' : snap.status;
  return {
    Status: status,
    StepCount: CHECK_STEPS.length,
    StepCur: snap.stepCur,
    Progress: snap.progress,
    StepInfos: snap.status === 'notStarted' ? null : snap.steps.map((s) => renderStep2021(job, s)),
    RequestId: requestId,
  };
}

function renderStep2021(job: ResolvedJob, s: StepSnapshot): Record<string, unknown> {
  const started = s.status !== 'notStarted';
  const done = s.status === 'finished' || s.status === 'failed';
  const errors = s.status === 'failed' ? [tip(s.def, s.def.errorCode, job.message, s.def.solution, '该检查项不支持跳过')] : [];
  const warnings = done && job.warnStep === s.def.stepNo
    ? [tip(s.def, `${s.def.errorCode}Warning`, job.warningMessage ?? s.def.warningMessage, '可忽略此警告继续同步,建议按帮助文档处理', '')]
    : [];
  return {
    StepNo: s.def.stepNo,
    StepName: s.def.name,
    StepId: s.def.stepId,
    Status: s.status,
    StartTime: s.startedAt === undefined ? '' : beijingTime(s.startedAt),
    FinishTime: s.finishedAt === undefined ? '' : beijingTime(s.finishedAt),
    Errors: started ? errors : null,
    Warnings: started ? warnings : null,
    Progress: started ? s.progress : -1,
  };
}

function tip(def: CheckStepDefinition, code: string, message: string, solution: string, skipInfo: string): Record<string, string> {
  return { Code: code, Message: message, Solution: solution, HelpDoc: helpDocFor(def), SkipInfo: skipInfo };
}
