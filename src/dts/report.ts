/**
 * Turns the raw `Response` of either action into a `SyncCheckReport`.
 *
 * Fields are read as the official SDK models declare them: every one optional (shared/REFERENCE.md
 * §8). A missing field is read as "not reported", which never helps an answer pass: the pass rule
 * asks for the fields it needs. The one exception is the check's `Status`, without which an
 * answer says nothing about the check. Fail closed: an answer we do not understand (no status or an
 * unknown one, a field of the wrong type, a time in no known format) is a
 * `DtsMalformedResponseError`, never a report; an answer that we understand but that contradicts
 * itself is a report that did not pass, with a reason saying so. `decideOutcome` is the only place
 * that may set `passed`.
 */
import { readApiTime } from './api-time';
import { DtsMalformedResponseError } from './errors';
import type { ServerTime } from './server-time';
import { ApiVersion, CheckPhase, StepState, SyncCheckReport, SyncCheckStep, SyncCheckStepTip } from './types';

export const ACTION_2018 = 'DescribeSyncCheckJob';
export const ACTION_2021 = 'DescribeCheckSyncJobResult';
/** Starts a check of a 2018-03-30 (disaster-recovery sync) job. Not read-only. */
export const CREATE_ACTION_2018 = 'CreateSyncCheckJob';
/** Starts a check of a 2021-12-06 (data sync) job. Not read-only. */
export const CREATE_ACTION_2021 = 'CreateCheckSyncJob';
export const CREATE_ACTIONS: readonly string[] = [CREATE_ACTION_2018, CREATE_ACTION_2021];

export function actionFor(version: ApiVersion.V2018_03_30 | ApiVersion.V2021_12_06): string {
  return version === ApiVersion.V2018_03_30 ? ACTION_2018 : ACTION_2021;
}

export function createActionFor(version: ApiVersion.V2018_03_30 | ApiVersion.V2021_12_06): string {
  return version === ApiVersion.V2018_03_30 ? CREATE_ACTION_2018 : CREATE_ACTION_2021;
}

export interface ReportContext {
  readonly jobId: string;
  readonly region: string;
  readonly apiVersion: ApiVersion.V2018_03_30 | ApiVersion.V2021_12_06;
  /** @default - now */
  readonly checkedAt?: Date;
  /** Attempts the call took, carried into a malformed-response error. */
  readonly attempts?: number;
  /**
   * The service's time when it answered (server-time.ts), from which `ageSeconds` is computed.
   * @default - unknown: no `ageSeconds`
   */
  readonly serverTime?: ServerTime;
}

const PHASE_2018: Record<string, CheckPhase> = {
  starting: CheckPhase.PENDING,
  running: CheckPhase.RUNNING,
  finished: CheckPhase.FINISHED,
};

const PHASE_2021: Record<string, CheckPhase> = {
  notStarted: CheckPhase.PENDING,
  running: CheckPhase.RUNNING,
  success: CheckPhase.FINISHED,
  failed: CheckPhase.FINISHED,
};

/** The step-state mapping of 2021-12-06 `StepInfo.Status`. */
const STEP_STATE_2021: Record<string, StepState> = {
  finished: StepState.PASSED,
  failed: StepState.FAILED,
  running: StepState.RUNNING,
  notStarted: StepState.PENDING,
  paused: StepState.PENDING,
  skipped: StepState.SKIPPED,
};

/** What a report says for a step status (or 2018 step code) the answer did not give. */
export const NOT_REPORTED = 'none';

/** Everything the pass decision looks at, already validated. */
export interface OutcomeInput {
  readonly apiVersion: ApiVersion.V2018_03_30 | ApiVersion.V2021_12_06;
  readonly status: string;
  readonly phase: CheckPhase;
  readonly steps: readonly SyncCheckStep[];
  readonly checkFlag?: number;
  readonly errorCode?: number;
  readonly errorMessage?: string;
  readonly progress?: number;
  readonly stepCount?: number;
  readonly stepCur?: number;
}

/**
 * THE pass rule. 2018-03-30: `Status=finished && CheckFlag===1`, and nothing in the answer says
 * otherwise (ErrorCode 0, no failed, running or pending step). 2021-12-06: `Status=success` and
 * every step finished or skipped.
 */
export function decideOutcome(o: OutcomeInput): { passed: boolean; reason: string } {
  const failed = o.steps.filter((s) => s.state === StepState.FAILED);
  const firstFailure = failed.length > 0 ? `step ${describeStep(failed[0])}` : undefined;
  // A verdict of "passed" while a step is still running or has not run contradicts itself.
  const unfinished = o.steps.find((s) => s.state === StepState.RUNNING || s.state === StepState.PENDING);
  const unfinishedStep = unfinished
    ? `step ${unfinished.stepNo} (${unfinished.name}) ${unfinished.rawStatus === NOT_REPORTED ? 'has no status' : `is still ${unfinished.state}`}`
    : undefined;

  if (o.phase === CheckPhase.PENDING) {
    return { passed: false, reason: 'check has not started yet' };
  }
  if (o.phase === CheckPhase.RUNNING) {
    if (firstFailure) return { passed: false, reason: `check is still running but has already failed at ${firstFailure}` };
    return { passed: false, reason: `check is still running (${runningDetail(o)})` };
  }

  if (o.apiVersion === ApiVersion.V2018_03_30) {
    if (o.checkFlag === 1) {
      // ErrorCode is optional in the models: only a non-zero code contradicts CheckFlag 1.
      if (o.errorCode !== undefined && o.errorCode !== 0) {
        return {
          passed: false,
          reason: `check finished with CheckFlag 1 but ErrorCode ${o.errorCode}${o.errorMessage ? ` (${o.errorMessage})` : ''}, a contradictory answer treated as not passed`,
        };
      }
      if (firstFailure) {
        return { passed: false, reason: `check finished with CheckFlag 1 but failed at ${firstFailure}, a contradictory answer treated as not passed` };
      }
      if (unfinishedStep) {
        return { passed: false, reason: `check finished with CheckFlag 1 but ${unfinishedStep}, a contradictory answer treated as not passed` };
      }
      return { passed: true, reason: 'check finished and passed (CheckFlag 1)' };
    }
    if (firstFailure) return { passed: false, reason: `check failed at ${firstFailure}` };
    const flag = o.checkFlag === undefined ? 'no CheckFlag reported' : `CheckFlag ${o.checkFlag}`;
    const detail = [flag, o.errorCode ? `ErrorCode ${o.errorCode}` : undefined, o.errorMessage || undefined]
      .filter(Boolean)
      .join(', ');
    return { passed: false, reason: `check failed (${detail})` };
  }

  if (o.status === 'success') {
    if (firstFailure) {
      return { passed: false, reason: `check reported success but failed at ${firstFailure}, a contradictory answer treated as not passed` };
    }
    if (unfinishedStep) {
      return { passed: false, reason: `check reported success but ${unfinishedStep}, a contradictory answer treated as not passed` };
    }
    return { passed: true, reason: 'check finished and passed (Status success)' };
  }
  if (firstFailure) return { passed: false, reason: `check failed at ${firstFailure}` };
  return { passed: false, reason: 'check failed (Status failed, no step reported the cause)' };
}

function describeStep(s: SyncCheckStep): string {
  const solution = s.errors.find((e) => e.solution)?.solution;
  const message = s.message ?? (s.code !== undefined ? `StepCode ${s.code}` : 'no message given');
  return `${s.stepNo} (${s.name}): ${message}${solution ? ` (solution: ${solution})` : ''}`;
}

function runningDetail(o: OutcomeInput): string {
  const count = o.stepCount ?? o.steps.length;
  if (o.apiVersion === ApiVersion.V2021_12_06) {
    const parts = [
      o.stepCur !== undefined && count ? `step ${o.stepCur} of ${count}` : undefined,
      o.progress !== undefined ? `${o.progress}%` : undefined,
    ].filter(Boolean);
    return parts.length > 0 ? parts.join(', ') : 'no progress reported';
  }
  // 2018-03-30 reports no step count, and may list only the steps run so far.
  const done = o.steps.filter((s) => s.state === StepState.PASSED).length;
  return count ? `${done} step${done === 1 ? '' : 's'} passed so far` : 'no steps reported yet';
}

/** Normalize a raw `Response` object (the value under the top-level `Response` key). */
export function normalizeReport(raw: unknown, ctx: ReportContext): SyncCheckReport {
  const action = actionFor(ctx.apiVersion);
  const requestId = isObject(raw) && typeof raw.RequestId === 'string' ? raw.RequestId : undefined;
  const bad = (why: string) =>
    new DtsMalformedResponseError(`${action} answered with a malformed Response: ${why}`, {
      code: 'MalformedResponse',
      requestId,
      action,
      region: ctx.region,
      jobId: ctx.jobId,
      attempts: ctx.attempts,
    });
  const r = new FieldReader(bad);
  if (!isObject(raw)) throw bad(`expected an object, got ${typeName(raw)}`);
  if (requestId === undefined || requestId === '') throw bad('RequestId is missing or not a string');

  const common = {
    jobId: ctx.jobId,
    region: ctx.region,
    apiVersion: ctx.apiVersion as string,
    action,
    requestId,
    checkedAt: (ctx.checkedAt ?? new Date()).toISOString(),
  };

  if (ctx.apiVersion === ApiVersion.V2018_03_30) {
    const status = r.status(raw);
    const phase = own(PHASE_2018, status);
    if (!phase) throw bad(`unknown Status ${JSON.stringify(status)} (expected starting, running or finished)`);
    const errorCode = r.optInt(raw, 'ErrorCode');
    const checkFlag = r.optInt(raw, 'CheckFlag');
    const errorMessage = r.optStr(raw, 'ErrorMessage');
    const steps = r.optArr(raw, 'StepInfo').map((s, i) => step2018(r, s, `StepInfo[${i}]`, i, phase));
    sortSteps(steps);
    const outcome = decideOutcome({ apiVersion: ctx.apiVersion, status, phase, steps, checkFlag, errorCode, errorMessage });
    return {
      ...common,
      status,
      phase,
      ...outcome,
      errorCode,
      errorMessage,
      checkFlag,
      steps,
      failedSteps: steps.filter((s) => s.state === StepState.FAILED),
    };
  }

  const status = r.status(raw);
  const phase = own(PHASE_2021, status);
  if (!phase) throw bad(`unknown Status ${JSON.stringify(status)} (expected notStarted, running, failed or success)`);
  const stepCount = r.optInt(raw, 'StepCount');
  const stepCur = r.optInt(raw, 'StepCur');
  const progress = r.optNum(raw, 'Progress');
  if (progress !== undefined && (progress < 0 || progress > 100)) throw bad(`Progress ${progress} is outside 0..100`);
  const steps = r.optArr(raw, 'StepInfos').map((s, i) => step2021(r, s, `StepInfos[${i}]`, i));
  sortSteps(steps);
  const outcome = decideOutcome({ apiVersion: ctx.apiVersion, status, phase, steps, progress, stepCount, stepCur });
  const finishedAt = phase === CheckPhase.FINISHED ? latest(steps.map((s) => s.finishTime)) : undefined;
  return {
    ...common,
    status,
    phase,
    ...outcome,
    progress,
    stepCount,
    steps,
    failedSteps: steps.filter((s) => s.state === StepState.FAILED),
    finishedAt,
    ageSeconds: finishedAt !== undefined && ctx.serverTime ? ageSecondsAt(finishedAt, ctx.serverTime) : undefined,
  };
}

/**
 * How long before `server.nowMs` a check that finished at `finishedAt` finished, in whole seconds,
 * never less than 0 (a service whose clocks disagree by a moment is not reporting the future). An
 * uncertain server time counts at its old end: the age is never younger than the truth.
 */
export function ageSecondsAt(finishedAt: string, server: ServerTime): number {
  return Math.max(0, Math.round((server.nowMs + server.uncertaintyMs - Date.parse(finishedAt)) / 1000));
}

/** A table entry for text from the answer: its own keys only, so `__proto__` or `constructor` is not a status. */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** The latest of some ISO-8601 UTC times (they sort as text), or undefined when none is known. */
function latest(times: ReadonlyArray<string | undefined>): string | undefined {
  const known = times.filter((t): t is string => t !== undefined).sort();
  return known[known.length - 1];
}

/** The step number and name, each optional in the models: the position and the id stand in for them. */
function stepIdentity(r: FieldReader, o: Obj, where: string, index: number, stepId?: string): { stepNo: number; name: string } {
  return {
    stepNo: r.optInt(o, 'StepNo', where) ?? index + 1,
    name: r.optStr(o, 'StepName', where) || stepId || '(unnamed step)',
  };
}

function step2018(r: FieldReader, raw: unknown, where: string, index: number, phase: CheckPhase): SyncCheckStep {
  const o = r.obj(raw, where);
  const code = r.optInt(o, 'StepCode', where);
  let state: StepState;
  if (code === undefined) {
    // No code yet is fine while the check runs; a finished check must have judged every step.
    state = phase === CheckPhase.FINISHED ? StepState.FAILED : StepState.PENDING;
  } else {
    state = code === 0 ? StepState.PASSED : StepState.FAILED;
  }
  const message = r.optStr(o, 'StepMessage', where);
  return {
    ...stepIdentity(r, o, where, index),
    state,
    rawStatus: code === undefined ? NOT_REPORTED : String(code),
    code,
    // A finished step without a code is judged failed here, so its own (perhaps reassuring) message must not stand alone.
    message: code === undefined && phase === CheckPhase.FINISHED ? 'no StepCode reported for a finished check' : message,
    errors: [],
    warnings: [],
  };
}

function step2021(r: FieldReader, raw: unknown, where: string, index: number): SyncCheckStep {
  const o = r.obj(raw, where);
  const rawStatus = r.optStr(o, 'Status', where) ?? NOT_REPORTED;
  // A step without a status has not been judged: pending, which a "success" contradicts.
  const state = rawStatus === NOT_REPORTED ? StepState.PENDING : own(STEP_STATE_2021, rawStatus);
  if (!state) throw r.bad(`${where}.Status ${JSON.stringify(rawStatus)} is not a known step status`);
  const tips = (key: string) => r.optArr(o, key, where).map((t, i) => tip(r, t, `${where}.${key}[${i}]`));
  const errors = tips('Errors');
  const warnings = tips('Warnings');
  const stepId = r.optStr(o, 'StepId', where);
  const progress = r.optNum(o, 'Progress', where);
  if (progress !== undefined && progress !== -1 && (progress < 0 || progress > 100)) {
    throw r.bad(`${where}.Progress ${progress} is neither -1 (no progress to show) nor within 0..100`);
  }
  const step: SyncCheckStep = {
    ...stepIdentity(r, o, where, index, stepId),
    stepId,
    state,
    rawStatus,
    message: errors.find((e) => e.message)?.message,
    errors,
    warnings,
    startTime: r.optTime(o, 'StartTime', where),
    finishTime: r.optTime(o, 'FinishTime', where),
    progress: progress === -1 ? undefined : progress,
  };
  return dropAbsent(step);
}

/** Drop absent keys so reports stay compact and compare cleanly. */
function dropAbsent<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function tip(r: FieldReader, raw: unknown, where: string): SyncCheckStepTip {
  const o = r.obj(raw, where);
  const t: SyncCheckStepTip = {
    code: r.optStr(o, 'Code', where),
    message: r.optStr(o, 'Message', where),
    solution: r.optStr(o, 'Solution', where),
    helpDoc: r.optStr(o, 'HelpDoc', where),
    skipInfo: r.optStr(o, 'SkipInfo', where),
  };
  // Drop absent keys so reports stay compact and compare cleanly.
  return Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined && v !== ''));
}

function sortSteps(steps: SyncCheckStep[]): void {
  steps.sort((a, b) => a.stepNo - b.stepNo);
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** Typed field access that throws the malformed-response error naming the field. */
class FieldReader {
  constructor(public readonly bad: (why: string) => Error) {}

  public obj(v: unknown, where: string): Obj {
    if (!isObject(v)) throw this.bad(`${where} must be an object, got ${typeName(v)}`);
    return v;
  }

  public optStr(o: Obj, key: string, where?: string): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw this.bad(`${path(where, key)} must be a string or null, got ${typeName(v)}`);
    return v;
  }

  public int(o: Obj, key: string, where?: string): number {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v)) throw this.bad(`${path(where, key)} must be an integer, got ${typeName(v)}`);
    return v;
  }

  public optInt(o: Obj, key: string, where?: string): number | undefined {
    return o[key] === undefined || o[key] === null ? undefined : this.int(o, key, where);
  }

  /**
   * The check's `Status`: optional in the models like every field, but the one without which an
   * answer says nothing about the check, so its absence makes the answer malformed.
   */
  public status(o: Obj): string {
    const v = o.Status;
    if (typeof v !== 'string') throw this.bad(`Status must be a string, got ${typeName(v)}: without a status the answer says nothing about the check`);
    return v;
  }

  /** An API time as ISO-8601 UTC; absent for a missing, empty or zero time; malformed for any other text. */
  public optTime(o: Obj, key: string, where?: string): string | undefined {
    const text = this.optStr(o, key, where);
    if (text === undefined) return undefined;
    const time = readApiTime(text);
    if (time === 'unreadable') {
      throw this.bad(`${path(where, key)} ${JSON.stringify(text.slice(0, 40))} is neither yyyy-mm-dd hh:mm:ss (Beijing time) nor RFC 3339`);
    }
    return time === 'absent' ? undefined : time.iso;
  }

  public optNum(o: Obj, key: string, where?: string): number | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.bad(`${path(where, key)} must be a number or null, got ${typeName(v)}`);
    return v;
  }

  public optArr(o: Obj, key: string, where?: string): unknown[] {
    const v = o[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.bad(`${path(where, key)} must be an array or null, got ${typeName(v)}`);
    return v;
  }
}

function path(where: string | undefined, key: string): string {
  return where ? `${where}.${key}` : key;
}
