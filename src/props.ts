/**
 * The props of a SyncCheckResult and its enforcement modes: what a user writes.
 */
import type { SyncCheckAcknowledgement } from './acknowledge';
import type { ApiVersion } from './dts/types';
import type { GateResourceType } from './gate';

/**
 * When a check that has not passed stops the deployment.
 */
export enum Enforcement {
  /** Fail synthesis and fail the apply (the default). */
  SYNTH_AND_APPLY = 'synth-and-apply',
  /** Fail synthesis only; no apply-time gate is created. */
  SYNTH_ONLY = 'synth-only',
  /** No lookup at synth time; only the apply-time gate checks, and fails the apply. */
  APPLY_ONLY = 'apply-only',
  /** Look up at synth and apply, but only warn: a warning annotation at synth, a warning line at apply. */
  REPORT_ONLY = 'report-only',
}

/**
 * Properties of a `SyncCheckResult`.
 */
export interface SyncCheckResultProps {
  /**
   * The DTS sync job whose check must have passed, e.g. `sync-blj8wnt1`. May be a token (a job
   * created in the same stack): then the check runs only at apply time.
   */
  readonly jobId: string;
  /**
   * The job's region: a Tencent Cloud region id such as `ap-guangzhou` or `ap-nanjing`
   * (lowercase `area-city`, optionally with suffixes such as `-fsi`; see `REGION_PATTERN`), or a
   * token. Every finance region (`-fsi`) gets its own host automatically.
   */
  readonly region: string;
  /**
   * Override the API endpoint, e.g. the local emulator. Written into the gate's environment.
   * @default - at synth time `DTS_SYNC_CHECK_ENDPOINT` from the environment if set, else the
   * public endpoint; at apply time the same rule in the environment Terraform runs in
   */
  readonly endpoint?: string;
  /**
   * Which API version to ask.
   * @default ApiVersion.AUTO
   */
  readonly apiVersion?: ApiVersion;
  /**
   * How long to wait for a check that is still running, at synth and at apply time
   * (0 to 86400; 0 looks once).
   * @default 300
   */
  readonly waitTimeoutSeconds?: number;
  /**
   * Seconds between two looks at a running check (above 0, at most 3600).
   * @default 5
   */
  readonly pollIntervalSeconds?: number;
  /**
   * How long one HTTP attempt may take (above 0, at most 600).
   * @default 10
   */
  readonly attemptTimeoutSeconds?: number;
  /**
   * When a check that has not passed stops the deployment.
   * @default Enforcement.SYNTH_AND_APPLY
   */
  readonly enforcement?: Enforcement;
  /**
   * Which resource carries the apply-time gate.
   * @default GateResourceType.NULL_RESOURCE
   */
  readonly gateResourceType?: GateResourceType;
  /**
   * Re-run the check on every apply. When false, the gate runs only when it is created or
   * when the job id, region, API version, acknowledgement or script change. Ignored (always
   * true) with `acknowledge`, so the gate notices when the acknowledgement expires.
   * @default true
   */
  readonly recheckOnEveryApply?: boolean;
  /**
   * At apply time, start a new check of the job (`CreateCheckSyncJob`, or `CreateSyncCheckJob`
   * for a job of the 2018-03-30 family) and pass only on that check's verdict, waited for within
   * `waitTimeoutSeconds`. For pipelines that own the job: a stored verdict may predate the last
   * `ModifySyncJob`. Synthesis starts nothing and does not judge the stored check (the gate
   * decides). Not read-only: the apply's credentials need `dts:CreateCheckSyncJob` (or
   * `dts:CreateSyncCheckJob`) besides the describe permission. Not with `Enforcement.SYNTH_ONLY`.
   * @default false
   */
  readonly startCheck?: boolean;
  /**
   * A passed check that finished longer ago than this many seconds (by the service's clock) does
   * not count, at synth and at apply time. For checks run by people: a verdict of last month says
   * little about the job today. When the age cannot be known (2018-03-30 answers carry no times)
   * the check does not count either, unless `startCheck` is on (above 0, at most 31622400).
   * @default - any age counts
   */
  readonly maxCheckAgeSeconds?: number;
  /**
   * Waive a check that has not passed until a date, with a reason a reviewer sees: synthesis
   * and apply go on with a warning until `expires`, then the check is enforced again. Waives a
   * check that failed or did not finish, never a lookup that failed.
   * @default - no waiver: a check that has not passed stops the deployment
   */
  readonly acknowledge?: SyncCheckAcknowledgement;
}
