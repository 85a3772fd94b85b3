/**
 * The options of `DtsClient` and its wait (jsii structs and interfaces). Apart from the client
 * so the code that validates them (`options.ts`) and the client both depend on them, not on
 * each other.
 */
import type { ApiVersion, SyncCheckReport } from './types';

/**
 * Explicit API credentials. Prefer the environment or the profile file: explicit values are
 * for scripts that fetch them from a vault at run time. Never hard-code them in a stack.
 */
export interface DtsCredentials {
  /** The SecretId (AKID...). */
  readonly secretId: string;
  /** The SecretKey. Never logged or echoed. */
  readonly secretKey: string;
  /**
   * The STS session token for temporary credentials, sent as `X-TC-Token`.
   * @default - none (permanent credentials)
   */
  readonly sessionToken?: string;
}

/**
 * Options of `DtsClient`.
 */
export interface DtsClientOptions {
  /**
   * The region of the sync job, such as `ap-guangzhou`.
   *
   * Any well-formed region id is accepted (`REGION_PATTERN`: lowercase area-city with at most
   * two suffixes); every finance region (`-fsi`, such as `ap-shanghai-fsi`) gets its own host
   * `dts.<region>.tencentcloudapi.com`.
   * @default - `TENCENTCLOUD_REGION` from the environment; an error when that is not set either
   */
  readonly region?: string;
  /**
   * Override the API endpoint, e.g. to reach the local emulator. https is required except on
   * loopback (127.0.0.1, ::1, localhost), where http is allowed.
   * @default - `DTS_SYNC_CHECK_ENDPOINT` from the environment when set, else
   * `https://dts.tencentcloudapi.com`, or `https://dts.<region>.tencentcloudapi.com` for a finance region
   */
  readonly endpoint?: string;
  /**
   * Which API version to ask.
   * @default ApiVersion.AUTO
   */
  readonly apiVersion?: ApiVersion;
  /**
   * Explicit credentials.
   * @default - the chain of the README's "Credentials and proxies": the `TENCENTCLOUD_*` environment
   * variables, then the profile `TENCENTCLOUD_PROFILE` (tccli's file, then the INI files), then the
   * CVM instance role, with a role assumed on top when `TENCENTCLOUD_ASSUME_ROLE_ARN` is set
   */
  readonly credentials?: DtsCredentials;
  /**
   * Language of the API's messages (`zh-CN` or `en-US`), sent as `X-TC-Language`.
   * @default - the service's default (zh-CN)
   */
  readonly language?: string;
  /**
   * How long one HTTP attempt may take, in seconds.
   * @default 10
   */
  readonly attemptTimeoutSeconds?: number;
  /**
   * How long one call may take with all its retries, in seconds.
   * @default 60
   */
  readonly deadlineSeconds?: number;
  /**
   * Attempts per call, the first included. Only retryable failures are retried.
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * Requests per second sent to this endpoint with this SecretId, by every client, call and process on the machine.
   *
   * The API's default limit is 20 per second. When callers sharing the limit ask different
   * rates, the lowest asked within the last minute applies to all (README, "The request rate limit").
   * @default 20
   */
  readonly requestsPerSecond?: number;
}

/**
 * Receives progress while `waitForSyncCheck` polls.
 */
export interface ISyncCheckProgressListener {
  /** Called with every report received while waiting, the last one included. */
  onProgress(report: SyncCheckReport): void;
}

/**
 * Options of `DtsClient.waitForSyncCheck`.
 */
export interface WaitForSyncCheckOptions {
  /**
   * Give up waiting after this many seconds; the last report (not finished) is returned.
   * @default 300
   */
  readonly timeoutSeconds?: number;
  /**
   * Seconds between two looks at a check that is still running.
   * @default 5
   */
  readonly pollIntervalSeconds?: number;
  /**
   * Told about every report while waiting.
   * @default - no progress reporting
   */
  readonly progressListener?: ISyncCheckProgressListener;
  /**
   * A passed check that finished longer ago than this many seconds (by the service's clock), or
   * at an unknown time (2018-03-30 answers carry no times), does not count: the report is not
   * passed, `stale` is true and `reason` says when it finished. A check the client started
   * (`startSyncCheck`) counts whatever its age is known to be.
   * @default - any age counts
   */
  readonly maxCheckAgeSeconds?: number;
}
