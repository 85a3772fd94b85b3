/**
 * How each API version reports a check snapshot, in the request's language and time format,
 * without the fields a job is configured to leave out.
 */
import { ResolvedJob } from './config-job';
import { Language, Text } from './language';
import { CheckSnapshot, StepSnapshot } from './lifecycle';
import { CHECK_TEXTS, CheckStepDefinition, helpDocFor, stepTexts } from './steps';

/** 2018-03-30 `StepCode` of a failed step, and `ErrorCode` of a failed check. */
export const FAILED_STEP_CODE_2018 = 1;

export interface RenderOptions {
  readonly language: Language;
  /** 2021-12-06 `DateTimeISOFormat`: RFC 3339 times instead of `yyyy-mm-dd hh:mm:ss`. */
  readonly isoTimes?: boolean;
}

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** `YYYY-MM-DD HH:mm:ss` in Beijing time (UTC+8), as Tencent Cloud APIs print times. */
export function beijingTime(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** RFC 3339 in Beijing time, `YYYY-MM-DDTHH:mm:ss+08:00` (what `DateTimeISOFormat` asks for). */
export function beijingIsoTime(ms: number): string {
  return `${new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

function without(record: Record<string, unknown>, omitted: readonly string[]): Record<string, unknown> {
  if (omitted.length === 0) return record;
  return Object.fromEntries(Object.entries(record).filter(([k]) => !omitted.includes(k)));
}

/**
 * `DescribeSyncCheckJob` (2018-03-30) fields, in the order of the API sample. `StepInfo` lists
 * only steps that have run: passed ones with `StepCode` 0, the failed one with a non-zero code.
 * The running step and steps not yet run are left out, so a listed step is always decided.
 */
export function render2018(job: ResolvedJob, snap: CheckSnapshot, requestId: string, options: RenderOptions): Record<string, unknown> {
  const lang = options.language;
  const status = snap.status === 'notStarted' ? 'starting' : snap.status === 'running' ? 'running' : 'finished';
  const message = snap.status === 'notStarted' ? CHECK_TEXTS.starting : CHECK_TEXTS[snap.status];
  return without({
    CheckFlag: snap.status === 'passed' ? 1 : 0,
    ErrorCode: snap.status === 'failed' ? FAILED_STEP_CODE_2018 : 0,
    ErrorMessage: message[lang],
    RequestId: requestId,
    Status: status,
    StepInfo: snap.steps
      .filter((s) => s.status === 'finished' || s.status === 'failed')
      .map((s) => without({
        StepCode: s.status === 'failed' ? FAILED_STEP_CODE_2018 : 0,
        StepMessage: s.status === 'failed' ? job.failureText[lang] : CHECK_TEXTS.stepPassed[lang],
        StepName: stepTexts(s.def, lang).name,
        StepNo: s.def.stepNo,
      }, job.omitStepFields)),
  }, job.omitFields);
}

/**
 * `DescribeCheckSyncJobResult` (2021-12-06) fields. `StepInfos` is null before the check
 * starts (the API documents it may be null); then all ten steps are listed. Steps not started
 * have empty times, `Progress` -1 (n/a) and null `Errors`/`Warnings`.
 */
export function render2021(job: ResolvedJob, snap: CheckSnapshot, requestId: string, options: RenderOptions): Record<string, unknown> {
  const status = snap.status === 'passed' ? 'success' : snap.status;
  return without({
    Status: status,
    StepCount: snap.steps.length,
    StepCur: snap.stepCur,
    Progress: snap.progress,
    StepInfos: snap.status === 'notStarted' ? null : snap.steps.map((s) => without(renderStep2021(job, s, options), job.omitStepFields)),
    RequestId: requestId,
  }, job.omitFields);
}

function renderStep2021(job: ResolvedJob, s: StepSnapshot, options: RenderOptions): Record<string, unknown> {
  const lang = options.language;
  const time = (ms: number | undefined) => (ms === undefined ? '' : options.isoTimes ? beijingIsoTime(ms) : beijingTime(ms));
  const started = s.status !== 'notStarted';
  const texts = stepTexts(s.def, lang);
  const errors = s.status === 'failed' ? [tip(s.def, s.def.errorCode, job.failureText, texts.solution, CHECK_TEXTS.notSkippable, lang)] : [];
  const warnings = [];
  if (s.status === 'skipped') {
    // What was skipped still shows, as a warning, with SkipInfo saying it was skipped.
    warnings.push(tip(s.def, s.def.errorCode, { 'zh-CN': s.def.failureMessage, 'en-US': s.def.english.failureMessage }, texts.solution, CHECK_TEXTS.skipped, lang));
  }
  if ((s.status === 'finished' || s.status === 'failed') && job.warnStep === s.def.stepNo && job.warningText) {
    warnings.push(tip(s.def, `${s.def.errorCode}Warning`, job.warningText, CHECK_TEXTS.warningSolution[lang], undefined, lang));
  }
  return {
    StepNo: s.def.stepNo,
    StepName: texts.name,
    StepId: s.def.stepId,
    Status: s.status,
    StartTime: time(s.startedAt),
    FinishTime: time(s.finishedAt),
    Errors: started ? errors : null,
    Warnings: started ? warnings : null,
    Progress: started ? s.progress : -1,
  };
}

function tip(
  def: CheckStepDefinition, code: string, message: Text, solution: string, skipInfo: Text | undefined, lang: Language,
): Record<string, string> {
  return { Code: code, Message: message[lang], Solution: solution, HelpDoc: helpDocFor(def), SkipInfo: skipInfo?.[lang] ?? '' };
}
