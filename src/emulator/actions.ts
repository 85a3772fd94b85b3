/**
 * The actions the emulator serves: per API version, the describe action that reports a job's
 * check and the create action that starts a new one, each for its own job family only.
 */
import { JobFamily } from './model';

export const VERSION_2018 = '2018-03-30';
export const VERSION_2021 = '2021-12-06';
/** 2018-03-30: reports a disaster-recovery sync job's check (the documented action). */
export const ACTION_2018 = 'DescribeSyncCheckJob';
/** 2018-03-30: starts a check of a disaster-recovery sync job. */
export const CREATE_ACTION_2018 = 'CreateSyncCheckJob';
/** 2021-12-06: reports a data sync job's check. */
export const ACTION_2021 = 'DescribeCheckSyncJobResult';
/** 2021-12-06: starts a check of a data sync job. */
export const CREATE_ACTION_2021 = 'CreateCheckSyncJob';

export interface ActionSpec {
  readonly name: string;
  readonly version: string;
  readonly family: JobFamily;
  readonly kind: 'describe' | 'create';
  /** The parameters it takes (official models): anything else is `UnknownParameter`. */
  readonly params: readonly string[];
}

export const ACTIONS: readonly ActionSpec[] = [
  { name: ACTION_2018, version: VERSION_2018, family: JobFamily.V2018, kind: 'describe', params: ['JobId'] },
  { name: CREATE_ACTION_2018, version: VERSION_2018, family: JobFamily.V2018, kind: 'create', params: ['JobId'] },
  { name: ACTION_2021, version: VERSION_2021, family: JobFamily.V2021, kind: 'describe', params: ['JobId', 'DateTimeISOFormat'] },
  { name: CREATE_ACTION_2021, version: VERSION_2021, family: JobFamily.V2021, kind: 'create', params: ['JobId'] },
];

export const VERSIONS: readonly string[] = [VERSION_2018, VERSION_2021];
export const ACTION_NAMES: readonly string[] = ACTIONS.map((a) => a.name);

export function actionSpec(version: string, action: string): ActionSpec | undefined {
  return ACTIONS.find((a) => a.version === version && a.name === action);
}

/** The fields each family's describe action answers besides `RequestId` (all optional in the models). */
export const ANSWER_FIELDS: Readonly<Record<JobFamily, readonly string[]>> = {
  [JobFamily.V2018]: ['Status', 'ErrorCode', 'ErrorMessage', 'StepInfo', 'CheckFlag'],
  [JobFamily.V2021]: ['Status', 'StepCount', 'StepCur', 'Progress', 'StepInfos'],
};

/** The fields of each family's step. */
export const STEP_FIELDS: Readonly<Record<JobFamily, readonly string[]>> = {
  [JobFamily.V2018]: ['StepNo', 'StepName', 'StepCode', 'StepMessage'],
  [JobFamily.V2021]: ['StepNo', 'StepName', 'StepId', 'Status', 'StartTime', 'FinishTime', 'Errors', 'Warnings', 'Progress'],
};
