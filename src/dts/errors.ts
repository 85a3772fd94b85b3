/**
 * Typed errors of the DTS client. Callers branch on `kind` and `code`, never on message text.
 *
 * These classes extend `Error`, which jsii cannot export, so they are reachable from
 * TypeScript/JavaScript as `cdktf-dts-sync-check/lib/dts` and not from the jsii API.
 * No message, `toString()` or `toJSON()` of these errors may ever contain a secret value.
 */

/** What kind of failure: decides exit codes and whether a retry can help. */
export type DtsErrorKind =
  | 'api' // the service answered with Response.Error
  | 'network' // connect/reset/TLS/proxy failure, HTTP 5xx, non-JSON answer from a proxy
  | 'timeout' // an attempt or the overall deadline ran out
  | 'credentials' // no usable credentials
  | 'malformed-response' // the answer parsed but is not a valid answer of the action
  | 'invalid-input'; // bad job id, region, endpoint, option (never sent)

export interface DtsErrorDetails {
  /** The API's own error code where there is one (e.g. `ResourceNotFound.JobNotExist`), else a stable code of ours. */
  readonly code: string;
  readonly requestId?: string;
  readonly action?: string;
  readonly region?: string;
  readonly jobId?: string;
  readonly retryable?: boolean;
  readonly httpStatus?: number;
  /** Attempts made before giving up (1 when not retried). */
  readonly attempts?: number;
  readonly cause?: unknown;
}

export class DtsError extends Error {
  public readonly kind: DtsErrorKind;
  public readonly code: string;
  public readonly requestId?: string;
  public readonly action?: string;
  public readonly region?: string;
  public readonly jobId?: string;
  public readonly retryable: boolean;
  public readonly httpStatus?: number;
  public readonly attempts?: number;

  constructor(kind: DtsErrorKind, message: string, details: DtsErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.code = details.code;
    this.requestId = details.requestId;
    this.action = details.action;
    this.region = details.region;
    this.jobId = details.jobId;
    this.retryable = details.retryable ?? false;
    this.httpStatus = details.httpStatus;
    this.attempts = details.attempts;
  }

  /** The message with the context a support ticket needs (code, action, region, request id). */
  public describe(): string {
    const ctx = [
      `code ${this.code}`,
      this.action && `action ${this.action}`,
      this.region && `region ${this.region}`,
      this.requestId && `request id ${this.requestId}`,
      this.attempts && this.attempts > 1 && `after ${this.attempts} attempts`,
    ].filter(Boolean);
    return `${this.message} (${ctx.join(', ')})`;
  }

  public toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      code: this.code,
      message: this.message,
      requestId: this.requestId,
      action: this.action,
      region: this.region,
      jobId: this.jobId,
      retryable: this.retryable,
      httpStatus: this.httpStatus,
      attempts: this.attempts,
    };
  }
}

/** The service answered `Response.Error`. */
export class DtsApiError extends DtsError {
  constructor(message: string, details: DtsErrorDetails) {
    super('api', message, details);
  }
}

/** Connection refused/reset, TLS, proxy, HTTP 5xx, an HTML error page: the answer never came through. */
export class DtsNetworkError extends DtsError {
  constructor(message: string, details: DtsErrorDetails) {
    super('network', message, details);
  }
}

/** An attempt or the overall deadline ran out. */
export class DtsTimeoutError extends DtsError {
  constructor(message: string, details: DtsErrorDetails) {
    super('timeout', message, details);
  }
}

/** No usable credentials; the message lists where we looked (never what we found). */
export class DtsCredentialsError extends DtsError {
  constructor(message: string, details: DtsErrorDetails) {
    super('credentials', message, details);
  }
}

/** The answer parsed but is not a valid answer of the action (wrong types, unknown status, missing fields). */
export class DtsMalformedResponseError extends DtsError {
  constructor(message: string, details: DtsErrorDetails) {
    super('malformed-response', message, details);
  }
}

/** Bad input caught before anything was sent: job id, region, endpoint, options. */
export class DtsInputError extends DtsError {
  constructor(message: string, details: DtsErrorDetails) {
    super('invalid-input', message, details);
  }
}

export function isDtsError(e: unknown): e is DtsError {
  return e instanceof DtsError;
}
