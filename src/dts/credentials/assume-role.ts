/**
 * STS `AssumeRole` (version 2018-08-13, service `sts` in the TC3 scope): temporary credentials
 * of a role, asked with the base credentials the chain found. Every failure is a
 * `DtsCredentialsError` naming the role and, when STS answered, its request id.
 */
import { temporaryCredentials } from './instance-role';
import { STS_ACTION, STS_SERVICE, STS_VERSION } from './names';
import type { ResolvedCredentials } from './resolved';
import type { Clock } from '../clock';
import { DtsCredentialsError } from '../errors';
import { postJson, TransportFailure } from '../http';
import { quoteValue } from '../regions';
import { backoffMs, isRetryableCode } from '../retry';
import { signTc3 } from '../tc3';

/** `qcs::cam::uin/<account>:role/<id>` or `...:roleName/<name>` (service roles have one more segment). */
export const ROLE_ARN = /^qcs::cam::uin\/\d{1,20}:(role|roleName)\/[\x21-\x7e]{1,1000}$/;
/** The API's rule for `RoleSessionName`: 2..128 of letters, digits and `+=,.@_-`. */
export const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;

export interface AssumeRoleParams {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
}

export interface StsTarget {
  /** scheme://host[:port] of STS. */
  readonly endpoint: URL;
  /** Sent as `X-TC-Region`: the job's region. */
  readonly region: string;
  readonly attemptTimeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';
/** STS is asked once per refresh; a blip (network, throttling, a 5xx) is tried again, twice at most. */
const STS_ATTEMPTS = 3;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function assumeRole(base: ResolvedCredentials, params: AssumeRoleParams, target: StsTarget, clock: Clock): Promise<ResolvedCredentials> {
  const host = target.endpoint.host;
  const role = `role ${params.roleArn}`;
  const body = JSON.stringify({ RoleArn: params.roleArn, RoleSessionName: params.sessionName, DurationSeconds: params.durationSeconds });
  let last: DtsCredentialsError | undefined;
  for (let attempt = 1; attempt <= STS_ATTEMPTS; attempt++) {
    if (attempt > 1) await clock.sleep(backoffMs(attempt - 1));
    const failed = (message: string, code: string, extra: { requestId?: string; retryable?: boolean; httpStatus?: number } = {}) =>
      new DtsCredentialsError(`${STS_ACTION} of ${role} at ${host} failed: ${message}`, { code, action: STS_ACTION, attempts: attempt, ...extra });
    // The signature carries the real time whatever clock paces the retries: the service checks it.
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signTc3({
      method: 'POST',
      headers: { 'content-type': CONTENT_TYPE, 'host': host, 'x-tc-action': STS_ACTION },
      body,
      timestamp,
      service: STS_SERVICE,
      secretId: base.secretId,
      secretKey: base.secretKey,
    });
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPE,
      'host': host,
      'x-tc-action': STS_ACTION,
      'x-tc-version': STS_VERSION,
      'x-tc-region': target.region,
      'x-tc-timestamp': String(timestamp),
      'authorization': signature.authorization,
    };
    if (base.sessionToken) headers['x-tc-token'] = base.sessionToken;

    let json: unknown;
    try {
      json = (await postJson(target.endpoint, headers, body, { timeoutMs: target.attemptTimeoutMs, env: target.env })).json;
    } catch (e) {
      const transport = e instanceof TransportFailure ? e : undefined;
      last = failed(`${(e as Error).message}`, 'StsUnreachable', { retryable: transport ? isRetryableCode(transport.code) : false, httpStatus: transport?.httpStatus });
      if (last.retryable) continue;
      throw last;
    }
    const response = isObject(json) ? json.Response : undefined;
    if (!isObject(response)) throw failed('it answered without a Response object', 'MalformedCredentialResponse');
    const requestId = typeof response.RequestId === 'string' && /^[\w-]{1,100}$/.test(response.RequestId) ? response.RequestId : undefined;
    const rid = requestId ? ` (request id ${requestId})` : '';
    if (response.Error !== undefined) {
      const error = isObject(response.Error) ? response.Error : {};
      const code = typeof error.Code === 'string' && /^[\w.]{1,100}$/.test(error.Code) ? error.Code : 'UnknownError';
      const message = typeof error.Message === 'string' && error.Message ? `: ${quoteValue(error.Message, 200)}` : '';
      last = failed(`${code}${message}${rid}`, 'AssumeRoleFailed', { requestId, retryable: isRetryableCode(code) });
      if (last.retryable) continue;
      throw last;
    }
    const creds = isObject(response.Credentials) ? response.Credentials : {};
    return temporaryCredentials(
      { ...creds, ExpiredTime: response.ExpiredTime },
      `${role} assumed with ${base.source}`,
      `${STS_ACTION} of ${role} at ${host}${rid}`,
    );
  }
  throw last!;
}
