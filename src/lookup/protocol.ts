/**
 * What the lookup script and its two callers (the construct at synth time, Terraform's
 * local-exec at apply time) agree on: environment variable names, the batch protocol, exit codes.
 * Parameters travel as environment variables, never interpolated into a command line.
 */
import { ENDPOINT_ENV } from '../dts/endpoints';
import { checkSeconds, SecondsOption } from '../dts/options';
import type { SyncCheckReport } from '../dts/types';

/** Environment variables the lookup script reads. Credentials use the `TENCENTCLOUD_*` names. */
export const ENV = {
  JOB_ID: 'DTS_SYNC_CHECK_JOB_ID',
  REGION: 'DTS_SYNC_CHECK_REGION',
  API_VERSION: 'DTS_SYNC_CHECK_API_VERSION',
  /** Endpoint override (e.g. the emulator), honoured wherever no endpoint option is given (`resolveEndpoint`). */
  ENDPOINT: ENDPOINT_ENV,
  WAIT_TIMEOUT: 'DTS_SYNC_CHECK_WAIT_TIMEOUT_SECONDS',
  POLL_INTERVAL: 'DTS_SYNC_CHECK_POLL_INTERVAL_SECONDS',
  ATTEMPT_TIMEOUT: 'DTS_SYNC_CHECK_ATTEMPT_TIMEOUT_SECONDS',
  /** `true` (default) fails the apply when not passed; `false` only reports (report-only enforcement). */
  ENFORCE: 'DTS_SYNC_CHECK_ENFORCE',
  /** The construct path, so the apply-time message names the same construct as the synth-time one. */
  CONSTRUCT_PATH: 'DTS_SYNC_CHECK_CONSTRUCT_PATH',
  /** An acknowledgement's reason (lookup/acknowledgement.ts); set together with ACK_EXPIRES. */
  ACK_REASON: 'DTS_SYNC_CHECK_ACK_REASON',
  /** An acknowledgement's expiry, as written in the `acknowledge` prop; the gate compares it with its own clock. */
  ACK_EXPIRES: 'DTS_SYNC_CHECK_ACK_EXPIRES',
  /** `true` starts a new check and passes only on its verdict (`startCheck`); `false` (default) reads the stored one. */
  START_CHECK: 'DTS_SYNC_CHECK_START_CHECK',
  /** A passed check that finished longer ago than this many seconds does not count (`maxCheckAgeSeconds`). */
  MAX_CHECK_AGE: 'DTS_SYNC_CHECK_MAX_CHECK_AGE_SECONDS',
} as const;

/** Exit codes of `dts-sync-check check` and `gate`, documented in --help and the README. */
export const EXIT = {
  PASSED: 0,
  NOT_PASSED: 1,
  USAGE: 2,
  NOT_FINISHED: 3,
  LOOKUP_ERROR: 4,
} as const;

/** The exit code of a lookup's result: 0 only when the API said the check passed. */
export function exitCodeFor(result: BatchResult): number {
  if (result.error) return result.error.kind === 'invalid-input' ? EXIT.USAGE : EXIT.LOOKUP_ERROR;
  const report = result.report;
  if (report?.passed === true) return EXIT.PASSED;
  return report?.phase === 'finished' ? EXIT.NOT_PASSED : EXIT.NOT_FINISHED;
}

/** One lookup the construct asks for at synth time. */
export interface BatchRequest {
  readonly jobId: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly apiVersion?: string;
  readonly attemptTimeoutSeconds?: number;
  readonly waitTimeoutSeconds: number;
  readonly pollIntervalSeconds: number;
  /** A passed check older than this does not count. */
  readonly maxCheckAgeSeconds?: number;
  /**
   * Start a new check first and pass only on its verdict: the gate and `check --start-check`
   * only; the synth-time `batch` refuses it (synthesis has no side effects).
   */
  readonly startCheck?: boolean;
  /** For progress lines only. */
  readonly label?: string;
}

/** The error half of a result: a DtsError's JSON (never a secret in it). */
export interface BatchError {
  readonly kind: string;
  readonly code: string;
  readonly message: string;
  readonly requestId?: string;
  readonly action?: string;
  readonly region?: string;
  readonly attempts?: number;
}

export interface BatchResult {
  readonly report?: SyncCheckReport;
  readonly error?: BatchError;
}

export interface BatchInput {
  readonly requests: BatchRequest[];
}

export interface BatchOutput {
  readonly results: BatchResult[];
}

/**
 * Parse a number of seconds given as text (a flag or an environment variable): a plain decimal
 * within the client's limits for `option`, or `fallback` when absent. Anything else is a usage
 * error naming `name`.
 */
export function parseSeconds(raw: string | undefined, name: string, option: SecondsOption, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  return asUsageError(() => checkSeconds(option, n, name));
}

/** A switch given as text (an environment variable): `true` or `false` (any case), or `fallback` when absent. */
export function parseSwitch(raw: string | undefined, name: string, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  const value = raw.toLowerCase();
  if (value !== 'true' && value !== 'false') throw new UsageError(`${name} must be true or false (got ${JSON.stringify(raw)})`);
  return value === 'true';
}

/** Run input validators; whatever they refuse becomes a usage error (exit 2) with their message. */
export function asUsageError<T>(validate: () => T): T {
  try {
    return validate();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Bad usage or input: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
