/**
 * What the emulated service answers to a well-formed HTTP request: the checks in the order
 * the emulator applies them (action and version, authentication, region, rate limit,
 * parameters, the job), then the job's check as the asked API version reports it.
 * HTTP plumbing and faults live in `./server`.
 */
import { randomUUID } from 'node:crypto';
import { ACTION_2018, ACTION_2021, ResolvedConfig, VERSION_2018, VERSION_2021 } from './config';
import { render2018, render2021, snapshotAt } from './lifecycle';
import { JobFamily } from './model';
import { SlidingWindowLimiter } from './rate-limit';
import { parseTc3Authorization, ReceivedRequest, utcDateOf, verifyTc3Signature } from './tc3-verify';
import { FINANCE_REGIONS, hostForRegion, JOB_ID_PATTERN, SUPPORTED_REGIONS } from '../dts/regions';

/** Actions served, by version. */
const ACTIONS_BY_VERSION: ReadonlyMap<string, string> = new Map([
  [VERSION_2018, ACTION_2018],
  [VERSION_2021, ACTION_2021],
]);

/** Which job family each version's actions serve. */
const FAMILY_BY_VERSION: ReadonlyMap<string, JobFamily> = new Map([
  [VERSION_2018, JobFamily.V2018],
  [VERSION_2021, JobFamily.V2021],
]);

/** The service refuses requests whose timestamp is more than five minutes off. */
export const SIGNATURE_WINDOW_SECONDS = 300;

export interface ApiAnswer {
  /** `Success` or the error code. */
  readonly code: string;
  /** The `Response` object (RequestId included). */
  readonly response: Record<string, unknown>;
  readonly secretId?: string;
  readonly signedHeaders?: string;
}

class ApiError extends Error {
  constructor(public readonly code: string, message: string) {
    super(message);
  }
}

export function errorResponse(code: string, message: string, requestId: string = randomUUID()): Record<string, unknown> {
  return { Error: { Code: code, Message: message }, RequestId: requestId };
}

function header(req: ReceivedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

export class EmulatedDtsApi {
  /** When each job's clock started (first request that looked it up), on the emulator clock. */
  private readonly firstSeen = new Map<string, number>();
  private readonly limiter: SlidingWindowLimiter;

  constructor(private readonly config: ResolvedConfig) {
    this.limiter = new SlidingWindowLimiter(config.rateLimitPerSecond);
  }

  /**
   * Answer a request. `nowMs` is the emulator's clock (machine clock plus any configured or
   * injected skew), used for the signature window; `jobClockMs` drives the check lifecycle.
   */
  public answer(req: ReceivedRequest, nowMs: number, jobClockMs: number): ApiAnswer {
    const requestId = randomUUID();
    const auth = parseTc3Authorization(header(req, 'authorization'));
    const who = { secretId: auth?.secretId, signedHeaders: auth?.signedHeadersRaw };
    try {
      const response = this.dispatch(req, nowMs, jobClockMs, requestId);
      return { code: 'Success', response, ...who };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return { code: e.code, response: errorResponse(e.code, e.message, requestId), ...who };
    }
  }

  private dispatch(req: ReceivedRequest, nowMs: number, jobClockMs: number, requestId: string): Record<string, unknown> {
    const action = header(req, 'x-tc-action');
    const version = header(req, 'x-tc-version');
    if (!action) throw new ApiError('MissingParameter', 'The request is missing the required header `X-TC-Action`.');
    if (!version) throw new ApiError('MissingParameter', 'The request is missing the required header `X-TC-Version`.');
    const served = ACTIONS_BY_VERSION.get(version);
    if (served === undefined) {
      throw new ApiError('NoSuchVersion', `The API version \`${version}\` does not exist for service dts (use ${[...ACTIONS_BY_VERSION.keys()].join(' or ')}).`);
    }
    if (action !== served) {
      const hint = [...ACTIONS_BY_VERSION].find(([, a]) => a === action);
      throw new ApiError('InvalidAction', `The action \`${action}\` does not exist in version ${version}${hint ? ` (it is served in ${hint[0]})` : ''}.`);
    }
    if (action === ACTION_2018 && this.config.retired2018) {
      throw new ApiError('ActionOffline', `The action \`${ACTION_2018}\` is offline; use \`${ACTION_2021}\` (${VERSION_2021}).`);
    }
    const contentType = (header(req, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (contentType !== 'application/json') {
      throw new ApiError('UnsupportedProtocol', `The emulator accepts Content-Type application/json only (got ${JSON.stringify(header(req, 'content-type') ?? '')}).`);
    }

    const secretId = this.authenticate(req, nowMs);
    const region = this.checkRegion(req);

    if (!this.limiter.tryAcquire(`${secretId}\n${action}`, Date.now())) {
      throw new ApiError('RequestLimitExceeded', `Request limit exceeded: at most ${this.config.rateLimitPerSecond} requests per second per SecretId for ${action}.`);
    }

    const jobId = this.jobIdParameter(req, version);
    const job = this.config.jobs.get(jobId);
    // A job of the other family is unknown to this action, exactly like a job that does not exist.
    if (!job || job.family !== FAMILY_BY_VERSION.get(version)) {
      throw version === VERSION_2018
        ? new ApiError('ResourceNotFound.JobNotExist', `迁移任务不存在。(JobId ${jobId})`)
        : new ApiError('ResourceNotFound.ResourceNotFoundError', `The resource does not exist: no sync job ${jobId}.`);
    }
    if (job.region !== region) {
      throw new ApiError('UnsupportedRegion', `The sync job ${jobId} is in region ${job.region}, not ${region}.`);
    }

    if (!this.firstSeen.has(jobId)) this.firstSeen.set(jobId, jobClockMs);
    const snap = snapshotAt(job, this.firstSeen.get(jobId)!, jobClockMs);
    return version === VERSION_2018 ? render2018(job, snap, requestId) : render2021(job, snap, requestId);
  }

  /** The TC3 checks; returns the authenticated SecretId. */
  private authenticate(req: ReceivedRequest, nowMs: number): string {
    const timestampText = header(req, 'x-tc-timestamp');
    if (!timestampText) throw new ApiError('MissingParameter', 'The request is missing the required header `X-TC-Timestamp`.');
    if (!/^\d{1,12}$/.test(timestampText)) {
      throw new ApiError('InvalidParameter', `X-TC-Timestamp must be a unix time in seconds (got ${JSON.stringify(timestampText.slice(0, 40))}).`);
    }
    const authorization = header(req, 'authorization');
    const auth = parseTc3Authorization(authorization);
    if (!auth) {
      throw new ApiError(
        'AuthFailure.InvalidAuthorization',
        authorization
          ? 'The Authorization header is not TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=<...>, Signature=<64 hex>.'
          : 'The request is missing the Authorization header.',
      );
    }
    const credential = this.config.credentials.get(auth.secretId);
    if (!credential) throw new ApiError('AuthFailure.SecretIdNotFound', 'The SecretId is not found; check that it exists and is enabled.');

    const timestamp = Number(timestampText);
    const serverSeconds = Math.floor(nowMs / 1000);
    if (Math.abs(serverSeconds - timestamp) > SIGNATURE_WINDOW_SECONDS) {
      throw new ApiError(
        'AuthFailure.SignatureExpire',
        `Signature expired: X-TC-Timestamp ${timestamp} and the server time ${serverSeconds} differ by ${serverSeconds - timestamp} s (more than ${SIGNATURE_WINDOW_SECONDS} s).`,
      );
    }
    if (auth.date !== utcDateOf(timestamp)) {
      throw new ApiError('AuthFailure.SignatureFailure', `The credential scope date ${auth.date} is not the UTC date of X-TC-Timestamp (${utcDateOf(timestamp)}).`);
    }
    if (!auth.signedHeaders.includes('content-type') || !auth.signedHeaders.includes('host')) {
      throw new ApiError('AuthFailure.SignatureFailure', `SignedHeaders must include content-type and host (got ${auth.signedHeadersRaw}).`);
    }
    if (!verifyTc3Signature(req, auth, credential.secretKey, timestampText)) {
      throw new ApiError('AuthFailure.SignatureFailure', 'The signature does not match the request (check the SecretKey, the signed headers and the body).');
    }
    const token = header(req, 'x-tc-token');
    if (credential.sessionToken !== undefined && token !== credential.sessionToken) {
      throw new ApiError('AuthFailure.TokenFailure', token ? 'The X-TC-Token is invalid for these credentials.' : 'Temporary credentials need the X-TC-Token header.');
    }
    if (credential.sessionToken === undefined && token) {
      throw new ApiError('AuthFailure.TokenFailure', 'X-TC-Token was sent with permanent credentials.');
    }
    return auth.secretId;
  }

  private checkRegion(req: ReceivedRequest): string {
    const region = header(req, 'x-tc-region');
    if (!region) throw new ApiError('MissingParameter', 'The request is missing the required header `X-TC-Region`.');
    if (!SUPPORTED_REGIONS.includes(region)) {
      throw new ApiError('UnsupportedRegion', `The action is not supported in region ${JSON.stringify(region.slice(0, 40))}; supported: ${SUPPORTED_REGIONS.join(', ')}.`);
    }
    if (this.config.strictFinanceHost) {
      const host = (header(req, 'host') ?? '').replace(/:\d+$/, '').toLowerCase();
      const expected = hostForRegion(region);
      const financeHost = FINANCE_REGIONS.some((r) => host === hostForRegion(r));
      if ((FINANCE_REGIONS.includes(region) || financeHost) && host !== expected) {
        throw new ApiError('UnsupportedRegion', `Region ${region} must be called on host ${expected} (got ${JSON.stringify(host)}).`);
      }
    }
    return region;
  }

  private jobIdParameter(req: ReceivedRequest, version: string): string {
    let params: unknown = {};
    const text = req.body.toString('utf8');
    if (text.trim() !== '') {
      try {
        params = JSON.parse(text);
      } catch {
        throw new ApiError('InvalidParameter', 'The request body is not valid JSON.');
      }
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new ApiError('InvalidParameter', 'The request body must be a JSON object of parameters.');
    }
    const unknown = Object.keys(params).filter((k) => k !== 'JobId');
    if (unknown.length > 0) throw new ApiError('UnknownParameter', `Unknown parameter \`${unknown[0].slice(0, 40)}\` (this action takes JobId only).`);
    const jobId = (params as { JobId?: unknown }).JobId;
    if (jobId === undefined || jobId === null) throw new ApiError('MissingParameter', 'The request is missing the required parameter `JobId`.');
    if (typeof jobId !== 'string' || !JOB_ID_PATTERN.test(jobId)) {
      const shown = JSON.stringify(typeof jobId === 'string' ? jobId.slice(0, 40) : jobId)?.slice(0, 60);
      throw version === VERSION_2018
        ? new ApiError('InvalidParameter', `参数错误: JobId must look like sync-xxxxxxxx (got ${shown}).`)
        : new ApiError('InvalidParameterValue.InvalidParameterValueError', `JobId must look like sync-xxxxxxxx (got ${shown}).`);
    }
    return jobId;
  }
}
