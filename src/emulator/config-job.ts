/**
 * A job's configuration, validated (errors name the field), with its defaults filled in.
 */
import { ANSWER_FIELDS, STEP_FIELDS } from './actions';
import { EmulatorFaultConfig, ResolvedFault, resolveFault } from './config-fault';
import { asArray, asObject, checkFields, EmulatorConfigError, optBoolean, optChoice, optNames, optNumber, optString, reqString, show } from './config-values';
import { REFUSE_CHECK_CODES } from './errors';
import { Text, text, verbatim } from './language';
import { EmulatorJob, JobFamily, JobOutcome } from './model';
import { CHECK_STEPS } from './steps';
import { isRegionId, JOB_ID_PATTERN } from '../dts/regions';

/** A job as TypeScript callers may write it: the enums as members or their strings. */
export interface EmulatorJobConfig extends Omit<EmulatorJob, 'outcome' | 'family' | 'faults'> {
  readonly outcome?: JobOutcome | `${JobOutcome}`;
  readonly family?: JobFamily | `${JobFamily}`;
  readonly faults?: readonly EmulatorFaultConfig[];
}

/** A job after validation, with its defaults filled in. */
export interface ResolvedJob {
  readonly jobId: string;
  readonly region: string;
  readonly family: JobFamily;
  readonly outcome: JobOutcome;
  readonly checkSeconds: number;
  readonly startDelaySeconds: number;
  /** The step that fails (outcome failed). */
  readonly failStep: number;
  /** The failing step's message: configured (the same in both languages) or the step's own. */
  readonly failureText: Text;
  readonly warnStep?: number;
  readonly warningText?: Text;
  readonly skipStep?: number;
  readonly pauseStep?: number;
  readonly omitFields: readonly string[];
  readonly omitStepFields: readonly string[];
  readonly lastCheckedSecondsAgo?: number;
  readonly neverChecked: boolean;
  /** The code a create answers; undefined when the job accepts new checks. */
  readonly refuseCheckCode?: string;
  readonly faults: readonly ResolvedFault[];
}

const JOB_FIELDS = [
  'jobId', 'region', 'family', 'outcome', 'checkSeconds', 'startDelaySeconds', 'failStep', 'message', 'warnStep', 'warningMessage',
  'skipStep', 'pauseStep', 'omitFields', 'omitStepFields', 'lastCheckedSecondsAgo', 'neverChecked', 'refuseCheck', 'refuseCheckCode', 'faults',
];
const FAMILIES = Object.values(JobFamily);
const OUTCOMES = Object.values(JobOutcome);
const MAX_SECONDS = 24 * 3600;
const MAX_AGE_SECONDS = 366 * MAX_SECONDS;

/** The code a refused create answers when the job names none. */
export const DEFAULT_REFUSAL: Readonly<Record<JobFamily, string>> = {
  // Documented for the 2018-03-30 sync check actions.
  [JobFamily.V2018]: 'FailedOperation.NotAllowOperation',
  // Documented for CreateCheckSyncJob (SDK client comments).
  [JobFamily.V2021]: 'UnsupportedOperation.UnsupportedOperationError',
};

export function resolveJob(input: unknown, where: string): ResolvedJob {
  const j = asObject(input, where);
  checkFields(j, JOB_FIELDS, where, `${where}.`);
  const field = (name: string) => `${where}.${name}`;
  const refuse = (name: string, why: string): never => {
    throw new EmulatorConfigError(field(name), why);
  };

  const jobId = reqString(j.jobId, field('jobId'), JOB_ID_PATTERN, 'sync- and eight lowercase letters or digits, e.g. "sync-blj8wnt1"');
  if (!isRegionId(j.region)) {
    refuse('region', `must be a region id such as "ap-guangzhou" or "ap-shanghai-fsi": lowercase area-city with optional suffixes (got ${show(j.region)})`);
  }
  const region = j.region as string;
  const family = optChoice(j.family, field('family'), FAMILIES) ?? JobFamily.V2021;
  const outcome = optChoice(j.outcome, field('outcome'), OUTCOMES) ?? JobOutcome.PASSED;
  const onlyFor2021 = (name: string, why: string) => {
    if (j[name] !== undefined && family === JobFamily.V2018) refuse(name, `only applies to family "2021" (${why})`);
  };

  const stepRange = { min: 1, max: CHECK_STEPS.length, integer: true };
  const failStep = optNumber(j.failStep, field('failStep'), stepRange);
  const message = optString(j.message, field('message'));
  for (const [name, value] of [['failStep', failStep], ['message', message]] as const) {
    if (value !== undefined && outcome !== JobOutcome.FAILED) refuse(name, `only applies to outcome "failed" (outcome is ${JSON.stringify(outcome)})`);
  }
  const step = failStep ?? 7;

  onlyFor2021('warnStep', '2018-03-30 answers have no warnings');
  const warnStep = optNumber(j.warnStep, field('warnStep'), stepRange);
  const warningMessage = optString(j.warningMessage, field('warningMessage'));
  if (warningMessage !== undefined && warnStep === undefined) refuse('warningMessage', 'needs warnStep (the step that warns)');

  onlyFor2021('pauseStep', '2018-03-30 steps have no paused state');
  const pauseStep = optNumber(j.pauseStep, field('pauseStep'), stepRange);
  if (pauseStep !== undefined && outcome === JobOutcome.FAILED) {
    refuse('pauseStep', 'cannot go with outcome "failed": a paused check never reaches its failing step (use outcome "passed" or "running")');
  }

  onlyFor2021('skipStep', '2018-03-30 steps cannot be skipped');
  const skipStep = optNumber(j.skipStep, field('skipStep'), stepRange);
  if (skipStep !== undefined) {
    if (outcome === JobOutcome.FAILED && skipStep >= step) refuse('skipStep', `must come before failStep ${step}: later steps never run`);
    if (pauseStep !== undefined && skipStep >= pauseStep) refuse('skipStep', `must come before pauseStep ${pauseStep}: later steps never run`);
    if (skipStep === warnStep) refuse('skipStep', 'is also warnStep: a skipped step already carries its tip under Warnings');
  }

  const omitFields = optNames(j.omitFields, field('omitFields'), ANSWER_FIELDS[family]);
  const omitStepFields = optNames(j.omitStepFields, field('omitStepFields'), STEP_FIELDS[family]);

  const neverChecked = optBoolean(j.neverChecked, field('neverChecked')) ?? false;
  const lastCheckedSecondsAgo = optNumber(j.lastCheckedSecondsAgo, field('lastCheckedSecondsAgo'), { min: 0, max: MAX_AGE_SECONDS });
  if (lastCheckedSecondsAgo !== undefined) {
    if (outcome === JobOutcome.RUNNING) refuse('lastCheckedSecondsAgo', 'cannot go with outcome "running": that check never finished');
    if (pauseStep !== undefined) refuse('lastCheckedSecondsAgo', 'cannot go with pauseStep: a paused check never finished');
    if (neverChecked) refuse('lastCheckedSecondsAgo', 'cannot go with neverChecked: there was no check');
  }

  const refuseCheck = optBoolean(j.refuseCheck, field('refuseCheck'));
  const refuseCheckCode = optChoice(j.refuseCheckCode, field('refuseCheckCode'), REFUSE_CHECK_CODES);
  if (refuseCheck === false && refuseCheckCode !== undefined) refuse('refuseCheckCode', 'needs refuseCheck true (or refuseCheck left out)');

  const faults = j.faults === undefined ? [] : asArray(j.faults, field('faults')).map((f, i) => resolveFault(f, `${where}.faults[${i}]`, false));
  const stepDef = (n: number) => CHECK_STEPS[n - 1];
  const standard = (n: number, key: 'failureMessage' | 'warningMessage') => text(stepDef(n)[key], stepDef(n).english[key]);
  return {
    jobId,
    region,
    family,
    outcome,
    checkSeconds: optNumber(j.checkSeconds, field('checkSeconds'), { min: 0, max: MAX_SECONDS }) ?? (outcome === JobOutcome.RUNNING ? 30 : 0),
    startDelaySeconds: optNumber(j.startDelaySeconds, field('startDelaySeconds'), { min: 0, max: MAX_SECONDS }) ?? 0,
    failStep: step,
    failureText: message !== undefined ? verbatim(message) : standard(step, 'failureMessage'),
    warnStep,
    warningText: warnStep === undefined ? undefined : warningMessage !== undefined ? verbatim(warningMessage) : standard(warnStep, 'warningMessage'),
    skipStep,
    pauseStep,
    omitFields,
    omitStepFields,
    lastCheckedSecondsAgo,
    neverChecked,
    refuseCheckCode: refuseCheck || refuseCheckCode !== undefined ? refuseCheckCode ?? DEFAULT_REFUSAL[family] : undefined,
    faults,
  };
}
