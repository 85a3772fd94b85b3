/**
 * The normalized shapes shared by the client, the lookup script, the construct and the CLI.
 *
 * Everything here is plain data (JSON-serializable) because reports cross a process boundary:
 * the lookup script prints them and the construct reads them back at synth time.
 */

/**
 * Which DTS API version (and so which action) answers the check.
 */
export enum ApiVersion {
  /**
   * Call the documented `DescribeSyncCheckJob` (2018-03-30) and, when the service says that
   * action or version is gone (`ActionOffline`, `InvalidAction`, `NoSuchVersion`), fall back to
   * `DescribeCheckSyncJobResult` (2021-12-06) and remember that for the rest of the process.
   */
  AUTO = 'auto',
  /** `DescribeSyncCheckJob`, API version 2018-03-30. */
  V2018_03_30 = '2018-03-30',
  /** `DescribeCheckSyncJobResult`, API version 2021-12-06. */
  V2021_12_06 = '2021-12-06',
}

/**
 * Where the check is in its life, the same for both API versions.
 */
export enum CheckPhase {
  /** Not started yet (2018 `starting`, 2021 `notStarted`). */
  PENDING = 'pending',
  /** Running: poll again later. */
  RUNNING = 'running',
  /** Finished, passed or not (2018 `finished`, 2021 `success` / `failed`). */
  FINISHED = 'finished',
}

/**
 * The state of one step of the check.
 */
export enum StepState {
  /** The step passed. */
  PASSED = 'passed',
  /** The step failed: the check cannot pass. */
  FAILED = 'failed',
  /** The step is running. */
  RUNNING = 'running',
  /** The step has not started (or is paused). */
  PENDING = 'pending',
  /** The step was skipped (2021 `skipped`). */
  SKIPPED = 'skipped',
}

/**
 * An error or warning the API attached to a step (2021-12-06 `StepTip`).
 */
export interface SyncCheckStepTip {
  /**
   * Machine-readable code of the tip.
   * @default - none given
   */
  readonly code?: string;
  /**
   * What went wrong.
   * @default - none given
   */
  readonly message?: string;
  /**
   * What to do about it.
   * @default - none given
   */
  readonly solution?: string;
  /**
   * Link to the help document.
   * @default - none given
   */
  readonly helpDoc?: string;
  /**
   * What skipping this item risks (2021-12-06 `SkipInfo`), for a reviewer deciding whether to skip it.
   * @default - none given
   */
  readonly skipInfo?: string;
}

/**
 * One step of the check (source reachable, target empty, versions, ...).
 */
export interface SyncCheckStep {
  /** Step number: the API's `StepNo`, or the step's position in the answer (from 1) when the API gave none. */
  readonly stepNo: number;
  /**
   * Human-readable step name as the API gave it (e.g. `检查目标实例是否为空`).
   *
   * When the API gave none: the step id, else `(unnamed step)`.
   */
  readonly name: string;
  /**
   * Step identifier (2021-12-06 `StepId`, e.g. `ConnectDBCheck`).
   * @default - none (the 2018-03-30 API has no step ids)
   */
  readonly stepId?: string;
  /** Normalized state. */
  readonly state: StepState;
  /**
   * The step status as the API spelled it (2021 `Status`; for 2018, `StepCode` as text).
   *
   * `none` when the API gave none.
   */
  readonly rawStatus: string;
  /**
   * 2018-03-30 `StepCode` (0 = ok).
   * @default - none (2021-12-06 reports errors instead)
   */
  readonly code?: number;
  /**
   * 2018-03-30 `StepMessage`, or the first error's message for 2021-12-06.
   * @default - none given
   */
  readonly message?: string;
  /** Errors the API attached to the step (empty when none). */
  readonly errors: SyncCheckStepTip[];
  /** Warnings the API attached to the step (empty when none). */
  readonly warnings: SyncCheckStepTip[];
  /**
   * When the step started (2021-12-06 `StartTime`), ISO-8601 in UTC.
   * @default - not reported (the 2018-03-30 API has no step times; 2021-12-06 before the step starts)
   */
  readonly startTime?: string;
  /**
   * When the step finished (2021-12-06 `FinishTime`), ISO-8601 in UTC.
   * @default - not reported (the 2018-03-30 API has no step times; 2021-12-06 until the step finishes)
   */
  readonly finishTime?: string;
  /**
   * The step's progress 0..100 (2021-12-06 `Progress`).
   * @default - not reported, or the step cannot show progress (the API's -1)
   */
  readonly progress?: number;
}

/**
 * The check's result, normalized over both API versions.
 *
 * `passed` is decided in exactly one place (`src/dts/report.ts`): 2018-03-30 `finished` with
 * `CheckFlag` 1, or 2021-12-06 `success`. Anything else is not passed, and `reason` says why.
 */
export interface SyncCheckReport {
  /** The sync job id. */
  readonly jobId: string;
  /** The region asked. */
  readonly region: string;
  /** The API version that answered (`2018-03-30` or `2021-12-06`). */
  readonly apiVersion: string;
  /** The API action that answered. */
  readonly action: string;
  /** The check status exactly as the API spelled it. */
  readonly status: string;
  /** Normalized phase. */
  readonly phase: CheckPhase;
  /** Whether the check passed. Never true unless the API said so. */
  readonly passed: boolean;
  /** One sentence: why it passed or why not (yet). */
  readonly reason: string;
  /**
   * Progress 0..100.
   * @default - not reported by this API version
   */
  readonly progress?: number;
  /**
   * Number of steps the check has (2021-12-06 `StepCount`).
   * @default - the number of steps reported
   */
  readonly stepCount?: number;
  /**
   * 2018-03-30 `ErrorCode` (0 = ok).
   * @default - not reported (by this API version, or in this answer)
   */
  readonly errorCode?: number;
  /**
   * 2018-03-30 `ErrorMessage`.
   * @default - not reported by this API version
   */
  readonly errorMessage?: string;
  /**
   * 2018-03-30 `CheckFlag` (1 = passed).
   * @default - not reported (by this API version, or in this answer: then not passed)
   */
  readonly checkFlag?: number;
  /** All steps, in step order. */
  readonly steps: SyncCheckStep[];
  /** The steps whose state is `failed`. */
  readonly failedSteps: SyncCheckStep[];
  /** The request id of the answer, for support tickets. */
  readonly requestId: string;
  /** When the answer was received (ISO-8601, UTC). */
  readonly checkedAt: string;
  /**
   * When the check finished (ISO-8601, UTC): the latest `FinishTime` of its steps, once the check
   * has finished. How old a verdict is can be judged from it.
   * @default - unknown: the check has not finished, or no step reported a finish time (always so for 2018-03-30)
   */
  readonly finishedAt?: string;
  /**
   * How long before the answer the check finished, in whole seconds by the service's clock: the
   * answer's `Date` header (each time is to the second, so the age is right within a second). An
   * answer without a `Date` header is judged by this machine's clock plus the 300 s a signed
   * request may be off, so the age is never younger than the truth.
   * @default - unknown: no `finishedAt`
   */
  readonly ageSeconds?: number;
  /**
   * True when the API said the check passed but `maxCheckAgeSeconds` did not let it count: it
   * finished longer ago than that, or when it finished is unknown (2018-03-30 answers carry no
   * times). `passed` is then false and `reason` says when it finished and how old it is.
   * @default - not stale (or no `maxCheckAgeSeconds` was asked)
   */
  readonly stale?: boolean;
  /**
   * The check this lookup started (`startCheck`), and whether this report is of it.
   * @default - the lookup started no check: the report is of the check the service had stored
   */
  readonly startedCheck?: StartedCheck;
}

/**
 * A check started by a lookup (`startCheck`): the create action it sent, and whether the report
 * it belongs to is that check's (or still an earlier one's: the service may report the earlier
 * check for a moment after a create).
 */
export interface StartedCheck {
  /** The create action sent: `CreateCheckSyncJob` (2021-12-06) or `CreateSyncCheckJob` (2018-03-30). */
  readonly action: string;
  /**
   * Whether the service answered that it accepted the create. False when no usable answer came
   * (a timeout, a broken connection, HTTP 5xx, `InternalError`): whether a check started is then
   * unknown, and the create is not sent again.
   */
  readonly accepted: boolean;
  /**
   * The request id of the create's answer.
   * @default - none: no usable answer came
   */
  readonly requestId?: string;
  /**
   * When the create was sent, by the service's clock, to the second (ISO-8601, UTC): a check that
   * started before it is not the started one.
   */
  readonly sentAt: string;
  /**
   * Whether this report is of the started check. False: the service still reported an earlier
   * check; the report's `phase` is then `pending`, its steps are empty and it has not passed.
   */
  readonly seen: boolean;
}
