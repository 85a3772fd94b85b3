/**
 * The emulator's configuration and request-log shapes.
 *
 * These are jsii structs and enums (readonly fields, no unions, no functions) because they are
 * part of the `DtsEmulator` jsii API. TypeScript users of `startEmulator` get the same fields
 * with string literals accepted in place of the enums (see `./config`).
 */

/**
 * How a configured check ends.
 */
export enum JobOutcome {
  /** Every step passes: 2018 `finished` with `CheckFlag` 1, 2021 `success`. */
  PASSED = 'passed',
  /** The check fails at `failStep`; later steps are not run. */
  FAILED = 'failed',
  /** The check never finishes: the last step stays running forever. */
  RUNNING = 'running',
}

/**
 * Which DTS API family a sync job belongs to. The two families share one job id shape
 * (`sync-xxxxxxxx`) but not their jobs: each action answers only for jobs of its own family,
 * and for a job of the other family exactly as for a job that does not exist.
 */
export enum JobFamily {
  /**
   * The 2018-03-30 disaster-recovery sync jobs (`DescribeSyncCheckJob`), retired in the SDKs
   * since November 2021.
   */
  V2018 = '2018',
  /** Today's data sync jobs, served by the 2021-12-06 actions (`DescribeCheckSyncJobResult`). */
  V2021 = '2021',
}

/**
 * A misbehaviour the emulator can inject instead of (or while) answering.
 */
export enum FaultKind {
  /** HTTP 500 with an HTML body, like a broken gateway. */
  HTTP_500 = 'http500',
  /** HTTP 502 with an HTML body. */
  HTTP_502 = 'http502',
  /** HTTP 503 with an HTML body. */
  HTTP_503 = 'http503',
  /** The connection is reset without an answer. */
  RESET = 'reset',
  /** The request is never answered (until the client gives up or the emulator closes). */
  STALL = 'stall',
  /** The real answer, dribbled out over `durationMs`. */
  SLOW_BODY = 'slowBody',
  /** The real answer cut in half (a complete HTTP message whose JSON does not parse). */
  TRUNCATED_JSON = 'truncatedJson',
  /** The real answer's JSON served as `text/html`, as a captive portal or proxy would. */
  WRONG_CONTENT_TYPE = 'wrongContentType',
  /** API error `InternalError.DatabaseError`. */
  INTERNAL_DATABASE_ERROR = 'internalDatabaseError',
  /** API error `InternalError.ProtocolError`. */
  INTERNAL_PROTOCOL_ERROR = 'internalProtocolError',
  /** API error `FailedOperation.NotAllowOperation`. */
  NOT_ALLOW_OPERATION = 'notAllowOperation',
  /** API error `ServiceUnavailable`. */
  SERVICE_UNAVAILABLE = 'serviceUnavailable',
  /** HTTP 200, `application/json`, a body that is not JSON. */
  GARBLED_JSON = 'garbledJson',
  /** API error `RequestLimitExceeded`. */
  REQUEST_LIMIT = 'requestLimit',
  /**
   * The emulator's clock jumps by `skewSeconds` for this request: a correctly timed request is
   * answered `AuthFailure.SignatureExpire`, and the `Date` header shows the skewed time.
   */
  CLOCK_SKEW = 'clockSkew',
}

/**
 * A key pair the emulator accepts.
 */
export interface EmulatorCredential {
  /** The SecretId clients sign with. */
  readonly secretId: string;
  /** The SecretKey. Never logged. */
  readonly secretKey: string;
  /**
   * When set, requests must carry exactly this `X-TC-Token` (temporary credentials); when not
   * set, a request carrying any `X-TC-Token` is refused.
   * @default - permanent credentials: no token
   */
  readonly sessionToken?: string;
}

/**
 * A fault to inject, globally (`faults`) or for one job (`jobs[i].faults`).
 */
export interface EmulatorFault {
  /** What happens. */
  readonly kind: FaultKind;
  /**
   * Only requests of this action are affected (`DescribeSyncCheckJob`, `CreateSyncCheckJob`,
   * `DescribeCheckSyncJobResult` or `CreateCheckSyncJob`).
   * @default - every action
   */
  readonly action?: string;
  /**
   * Only requests for this job are affected. Only for global faults: a job's own faults match that job.
   * @default - every job
   */
  readonly jobId?: string;
  /**
   * Apply to the first N matching requests only (with `probability`, to the first N it hits).
   * @default - every matching request
   */
  readonly times?: number;
  /**
   * Apply to a matching request with this probability (0..1), drawn from the emulator's seeded
   * random sequence so a run is repeatable.
   * @default 1
   */
  readonly probability?: number;
  /**
   * `slowBody`: how long the body takes to dribble out, in milliseconds.
   * @default 2000
   */
  readonly durationMs?: number;
  /**
   * `clockSkew`: how far the emulator's clock jumps for the affected request, in seconds.
   * @default 600
   */
  readonly skewSeconds?: number;
}

/**
 * A sync job whose check the emulator serves.
 */
export interface EmulatorJob {
  /** The job id, `sync-` and eight lowercase letters or digits. */
  readonly jobId: string;
  /** The region the job lives in; asking another region answers `UnsupportedRegion`. */
  readonly region: string;
  /**
   * The API family the job belongs to. The other family's actions answer for it as for a job
   * that does not exist (2018: `ResourceNotFound.JobNotExist`, 2021:
   * `ResourceNotFound.ResourceNotFoundError`).
   * @default JobFamily.V2021
   */
  readonly family?: JobFamily;
  /**
   * How the check ends.
   * @default JobOutcome.PASSED
   */
  readonly outcome?: JobOutcome;
  /**
   * How long the check runs, in seconds, counted from the first request that looks the job up
   * (after `startDelaySeconds`). The ten steps take equal shares. 0 means finished at once.
   * @default - 0, or 30 for `JobOutcome.RUNNING` (which then holds at the last step)
   */
  readonly checkSeconds?: number;
  /**
   * How long the check stays not started (2018 `starting`, 2021 `notStarted`) before it runs,
   * counted from the first request that looks the job up.
   * @default 0
   */
  readonly startDelaySeconds?: number;
  /**
   * `JobOutcome.FAILED`: the step (1..10) that fails.
   * @default 7
   */
  readonly failStep?: number;
  /**
   * `JobOutcome.FAILED`: the failing step's message.
   * @default - the step's standard failure message (step 7: `目标实例不为空`)
   */
  readonly message?: string;
  /**
   * A step (1..10) that finishes with a warning (2021 `Warnings`; 2018 has no warnings).
   * @default - no warnings
   */
  readonly warnStep?: number;
  /**
   * The warning's message, for `warnStep`.
   * @default - the step's standard warning message
   */
  readonly warningMessage?: string;
  /**
   * Family `2021`: a step (1..10) that did not pass and was skipped (as `SkipSyncCheckItem`
   * does): it ends `skipped`, its tip under `Warnings` with a `SkipInfo` saying so, and the
   * check can still succeed.
   * @default - no step is skipped
   */
  readonly skipStep?: number;
  /**
   * Family `2021`: the step (1..10) at which the check pauses. That step stays `paused`, later
   * steps never start, and the check stays `running` (never passed).
   * @default - the check does not pause
   */
  readonly pauseStep?: number;
  /**
   * Response fields left out of the describe answer, as the official models allow (every field
   * is optional): 2021 `Status`, `StepCount`, `StepCur`, `Progress`, `StepInfos`; 2018 `Status`,
   * `ErrorCode`, `ErrorMessage`, `StepInfo`, `CheckFlag`. For testing a client's tolerance.
   * @default - every field is sent
   */
  readonly omitFields?: string[];
  /**
   * Step fields left out of every listed step, e.g. `StepNo`: 2021 `StepNo`, `StepName`,
   * `StepId`, `Status`, `StartTime`, `FinishTime`, `Errors`, `Warnings`, `Progress`; 2018
   * `StepNo`, `StepName`, `StepCode`, `StepMessage`.
   * @default - every step field is sent
   */
  readonly omitStepFields?: string[];
  /**
   * The last check finished this many seconds before the first request that looks the job up:
   * it is already finished then, its steps' `FinishTime` that long ago. A create action starts
   * a fresh one. Not with `JobOutcome.RUNNING`, `pauseStep` or `neverChecked`.
   * @default - the check starts at the first look
   */
  readonly lastCheckedSecondsAgo?: number;
  /**
   * No check has run yet: the describe actions report it not started (2018 `starting`, 2021
   * `notStarted` with `StepInfos` null) until a create action (`CreateSyncCheckJob`,
   * `CreateCheckSyncJob`) starts one.
   * @default false
   */
  readonly neverChecked?: boolean;
  /**
   * The create action refuses to start a new check for this job, answering `refuseCheckCode`;
   * the describe actions keep reporting the last check.
   * @default false
   */
  readonly refuseCheck?: boolean;
  /**
   * The code a refused create answers (implies `refuseCheck`), one of the documented DTS codes:
   * `FailedOperation.NotAllowOperation`, `FailedOperation.StatusInConflict`,
   * `UnsupportedOperation`, `UnsupportedOperation.UnsupportedOperationError`,
   * `OperationDenied.JobOperationDeniedError`, `InternalError.UnknownError`.
   * @default - `FailedOperation.NotAllowOperation` (family 2018, a documented error of that
   * family), `UnsupportedOperation.UnsupportedOperationError` (family 2021, documented for
   * `CreateCheckSyncJob`)
   */
  readonly refuseCheckCode?: string;
  /**
   * Faults that affect requests for this job only.
   * @default - none
   */
  readonly faults?: EmulatorFault[];
}

/**
 * What the emulator serves and how it behaves. Also the format of the `--config` JSON file.
 */
export interface EmulatorSettings {
  /**
   * The key pairs accepted. Replaces the default pair.
   * @default - one pair, `AKIDEXAMPLE` / `SECRETEXAMPLE`
   */
  readonly credentials?: EmulatorCredential[];
  /**
   * The jobs served. Replaces the built-in set.
   * @default - the built-in set (see the README's emulator section)
   */
  readonly jobs?: EmulatorJob[];
  /**
   * Answer the 2018-03-30 `DescribeSyncCheckJob` with `ActionOffline`, as the service does
   * for retired actions, so clients must fall back to `DescribeCheckSyncJobResult`.
   * @default false
   */
  readonly retired2018?: boolean;
  /**
   * Requests per second allowed per SecretId and action (sliding one-second window); more are
   * answered `RequestLimitExceeded`. 0 turns the limit off.
   * @default 20
   */
  readonly rateLimitPerSecond?: number;
  /**
   * Faults for every job (narrow them with `action` / `jobId`).
   * @default - none
   */
  readonly faults?: EmulatorFault[];
  /**
   * Seed of the random sequence that decides probabilistic faults.
   * @default 1
   */
  readonly seed?: number;
  /**
   * Offset of the emulator's clock from the machine's, in seconds: the `Date` header and the
   * ±300 s signature window use it, so clients can be tested against a skewed server.
   * @default 0
   */
  readonly clockSkewSeconds?: number;
  /**
   * Require the finance-region host (`dts.<region>.tencentcloudapi.com`, matched against the
   * `Host` header) for every finance region (`-fsi`), and finance hosts for their own region
   * only, as the service does.
   * @default false
   */
  readonly strictFinanceHost?: boolean;
}

/**
 * One request the emulator received, as recorded in its request log. Secrets never appear.
 */
export interface EmulatorRequestLogEntry {
  /** When the request arrived (ISO-8601, UTC, machine clock). */
  readonly time: string;
  /**
   * `X-TC-Action`.
   * @default - the header was missing
   */
  readonly action?: string;
  /**
   * `X-TC-Version`.
   * @default - the header was missing
   */
  readonly version?: string;
  /**
   * `X-TC-Region`.
   * @default - the header was missing
   */
  readonly region?: string;
  /**
   * `JobId` from the body.
   * @default - none could be read
   */
  readonly jobId?: string;
  /**
   * The SecretId from the `Authorization` credential scope (the id only).
   * @default - none could be read
   */
  readonly secretId?: string;
  /**
   * `SignedHeaders` from the `Authorization` header (signature v3 only).
   * @default - none could be read, or a signature-v1 request
   */
  readonly signedHeaders?: string;
  /**
   * How the request was signed: `TC3-HMAC-SHA256`, `HmacSHA1` or `HmacSHA256`.
   * @default - the request could not be read that far
   */
  readonly signatureMethod?: string;
  /**
   * The HTTP method (`POST` or `GET`).
   * @default - none (the request was not read)
   */
  readonly httpMethod?: string;
  /**
   * `X-TC-Language` (or the `Language` parameter), as sent.
   * @default - none sent: answered in zh-CN
   */
  readonly language?: string;
  /** `Success`, or the error code answered (for faults without an API answer, the fault kind). */
  readonly outcome: string;
  /**
   * The fault applied.
   * @default - none
   */
  readonly fault?: FaultKind;
  /**
   * The HTTP status sent.
   * @default - none sent (reset or stalled connection)
   */
  readonly httpStatus?: number;
}
