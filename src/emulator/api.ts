/**
 * What the emulated service answers to a request it can read: the checks in the order the
 * emulator applies them (language, action and version, authentication, region, rate limit,
 * parameters, the job), then the action itself: a describe reports the job's check as its API
 * version does, a create starts a new check. Reading the request is `./request`; HTTP plumbing
 * and faults live in `./server`.
 */
import { randomUUID } from 'node:crypto';
import { ActionSpec, actionSpec, ACTIONS, VERSION_2018, VERSIONS } from './actions';
import { CheckOrigins } from './checks';
import { ResolvedConfig } from './config';
import { ResolvedJob } from './config-job';
import { ApiError, ERRORS, renderError } from './errors';
import { DEFAULT_LANGUAGE, isLanguage, Language } from './language';
import { snapshotAt } from './lifecycle';
import { JobFamily } from './model';
import { SlidingWindowLimiter } from './rate-limit';

import { render2018, render2021 } from './render';
import { ApiRequest } from './request';
import { parseTc3Authorization, utcDateOf, verifyTc3Signature } from './tc3-verify';
import { V1_DEFAULT_METHOD, V1_METHODS, verifyV1Signature } from './v1-verify';
import { financeRegionOfHost, hostForRegion, isFinanceRegion, isRegionId, JOB_ID_PATTERN } from '../dts/regions';

/** The service refuses requests whose timestamp is more than five minutes off. */
export const SIGNATURE_WINDOW_SECONDS = 300;

/** The credential scope's service of every DTS action (the first label of `dts.tencentcloudapi.com`). */
export const DTS_SERVICE = 'dts';

export const TC3_METHOD = 'TC3-HMAC-SHA256';

export interface ApiAnswer {
  /** `Success` or the error code. */
  readonly code: string;
  /** The `Response` object (RequestId included). */
  readonly response: Record<string, unknown>;
  readonly secretId?: string;
  readonly signedHeaders?: string;
  readonly signatureMethod?: string;
}

/** Who signed the request, as far as it could be read (for the request log; never a secret). */
interface Signer {
  secretId?: string;
  signedHeaders?: string;
  signatureMethod?: string;
}

export class EmulatedDtsApi {
  private readonly origins = new CheckOrigins();
  private readonly limiter: SlidingWindowLimiter;

  constructor(private readonly config: ResolvedConfig) {
    this.limiter = new SlidingWindowLimiter(config.rateLimitPerSecond);
  }

  /**
   * Answer a request. `nowMs` is the emulator's clock (machine clock plus any configured or
   * injected skew), used for the signature window; `jobClockMs` drives the check lifecycle.
   */
  public answer(req: ApiRequest, nowMs: number, jobClockMs: number): ApiAnswer {
    const requestId = randomUUID();
    const signer: Signer = {};
    let language: Language = DEFAULT_LANGUAGE;
    try {
      language = this.language(req);
      const response = this.dispatch(req, nowMs, jobClockMs, requestId, language, signer);
      return { code: 'Success', response, ...signer };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return { code: e.code, response: renderError(e, language, requestId), ...signer };
    }
  }

  private language(req: ApiRequest): Language {
    if (req.language === undefined) return DEFAULT_LANGUAGE;
    if (!isLanguage(req.language)) throw ERRORS.invalidLanguage(req.commonName('Language'), req.language);
    return req.language;
  }

  private dispatch(
    req: ApiRequest, nowMs: number, jobClockMs: number, requestId: string, language: Language, signer: Signer,
  ): Record<string, unknown> {
    const spec = this.action(req);
    if (spec.family === JobFamily.V2018 && this.config.retired2018) {
      const replacement = ACTIONS.find((a) => a.family === JobFamily.V2021 && a.kind === spec.kind)!;
      throw ERRORS.actionOffline(spec.name, replacement.name, replacement.version);
    }
    const secretId = req.signing === 'tc3' ? this.authenticateTc3(req, nowMs, signer) : this.authenticateV1(req, nowMs, signer);
    const region = this.checkRegion(req);

    if (!this.limiter.tryAcquire(`${secretId}\n${spec.name}`, Date.now())) throw ERRORS.rateLimited(this.config.rateLimitPerSecond, spec.name);

    if (req.paramsError) throw req.paramsError;
    const unknown = Object.keys(req.params).find((k) => !spec.params.includes(k));
    if (unknown !== undefined) throw ERRORS.unknownParameter(unknown, spec.name, spec.params);
    const jobId = this.jobIdParameter(req, spec);
    const isoTimes = spec.params.includes('DateTimeISOFormat') ? booleanParameter(req, 'DateTimeISOFormat') : false;

    const job = this.config.jobs.get(jobId);
    // A job of the other family is unknown to this action, exactly like a job that does not exist.
    if (!job || job.family !== spec.family) throw spec.family === JobFamily.V2018 ? ERRORS.jobNotExist2018(jobId) : ERRORS.jobNotExist2021(jobId);
    if (job.region !== region) throw ERRORS.jobInOtherRegion(jobId, job.region, region);

    if (spec.kind === 'create') return this.create(job, jobClockMs, requestId);
    const snap = snapshotAt(job, this.origins.originOf(job, jobClockMs), jobClockMs);
    const options = { language, isoTimes };
    return job.family === JobFamily.V2018 ? render2018(job, snap, requestId, options) : render2021(job, snap, requestId, options);
  }

  /** Start a new check, unless the job refuses; a successful create answers only its RequestId (official model). */
  private create(job: ResolvedJob, jobClockMs: number, requestId: string): Record<string, unknown> {
    if (job.refuseCheckCode !== undefined) throw ERRORS.checkRefused(job.refuseCheckCode, job.jobId);
    this.origins.restart(job, jobClockMs);
    return { RequestId: requestId };
  }

  private action(req: ApiRequest): ActionSpec {
    if (!req.action) throw missing(req, 'Action');
    if (!req.version) throw missing(req, 'Version');
    if (!VERSIONS.includes(req.version)) throw ERRORS.noSuchVersion(req.version, VERSIONS);
    const spec = actionSpec(req.version, req.action);
    if (!spec) throw ERRORS.invalidAction(req.action, req.version, ACTIONS.find((a) => a.name === req.action)?.version);
    return spec;
  }

  /** Signature v3 (TC3-HMAC-SHA256); returns the authenticated SecretId. */
  private authenticateTc3(req: ApiRequest, nowMs: number, signer: Signer): string {
    const timestamp = this.timestamp(req);
    const authorization = header(req, 'authorization');
    const auth = parseTc3Authorization(authorization);
    if (!auth) throw authorization ? ERRORS.malformedAuthorization() : ERRORS.missingAuthorization();
    Object.assign(signer, { secretId: auth.secretId, signedHeaders: auth.signedHeadersRaw, signatureMethod: TC3_METHOD });
    const credential = this.config.credentials.get(auth.secretId);
    if (!credential) throw ERRORS.secretIdNotFound();
    checkWindow(timestamp, nowMs);
    if (auth.date !== utcDateOf(timestamp)) throw ERRORS.scopeDate(auth.date, utcDateOf(timestamp));
    // The scope names the service the request is for; a DTS action signed for another is refused.
    if (auth.service !== DTS_SERVICE) throw ERRORS.scopeService(auth.service);
    if (!auth.signedHeaders.includes('content-type') || !auth.signedHeaders.includes('host')) throw ERRORS.signedHeaders(auth.signedHeadersRaw);
    if (!verifyTc3Signature(req.received, auth, credential.secretKey, String(timestamp))) throw ERRORS.signatureMismatch();
    checkToken(req.token, credential.sessionToken);
    return auth.secretId;
  }

  /** Signature v1 (HmacSHA1 / HmacSHA256, in the parameters); returns the authenticated SecretId. */
  private authenticateV1(req: ApiRequest, nowMs: number, signer: Signer): string {
    const v1 = req.v1!;
    const timestamp = this.timestamp(req);
    if (v1.nonce === undefined) throw missing(req, 'Nonce');
    if (v1.secretId === undefined) throw missing(req, 'SecretId');
    if (v1.signature === undefined) throw missing(req, 'Signature');
    const method = v1.signatureMethod ?? V1_DEFAULT_METHOD;
    if (!Object.prototype.hasOwnProperty.call(V1_METHODS, method)) throw ERRORS.signatureMethod(method);
    Object.assign(signer, { secretId: v1.secretId.slice(0, 128), signatureMethod: method });
    const credential = this.config.credentials.get(v1.secretId);
    if (!credential) throw ERRORS.secretIdNotFound();
    checkWindow(timestamp, nowMs);
    if (!verifyV1Signature(v1, credential.secretKey, method, v1.signature)) throw ERRORS.signatureMismatch();
    checkToken(req.token, credential.sessionToken);
    return v1.secretId;
  }

  private timestamp(req: ApiRequest): number {
    if (req.timestamp === undefined) throw missing(req, 'Timestamp');
    if (!/^\d{1,12}$/.test(req.timestamp)) throw ERRORS.badTimestamp(req.commonName('Timestamp'), req.timestamp);
    return Number(req.timestamp);
  }

  private checkRegion(req: ApiRequest): string {
    const region = req.region;
    if (!region) throw missing(req, 'Region');
    if (!isRegionId(region)) throw ERRORS.malformedRegion(region);
    if (this.config.strictFinanceHost) {
      const host = (header(req, 'host') ?? '').replace(/:\d+$/, '').toLowerCase();
      const expected = hostForRegion(region);
      const hostRegion = financeRegionOfHost(host);
      if ((isFinanceRegion(region) || hostRegion !== undefined) && host !== expected) throw ERRORS.financeHost(region, expected, host);
    }
    return region;
  }

  private jobIdParameter(req: ApiRequest, spec: ActionSpec): string {
    const jobId = req.params.JobId;
    if (jobId === undefined || jobId === null) throw ERRORS.missingJobId();
    if (typeof jobId !== 'string' || !JOB_ID_PATTERN.test(jobId)) {
      throw spec.version === VERSION_2018 ? ERRORS.badJobId2018(jobId) : ERRORS.badJobId2021(jobId);
    }
    return jobId;
  }
}

function header(req: ApiRequest, name: string): string | undefined {
  const v = req.received.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function missing(req: ApiRequest, name: 'Action' | 'Version' | 'Region' | 'Timestamp' | 'Nonce' | 'SecretId' | 'Signature'): ApiError {
  if (req.signing === 'v1') return ERRORS.missingCommonParameter(name);
  return ERRORS.missingHeader(req.commonName(name as 'Action'));
}

function checkWindow(timestamp: number, nowMs: number): void {
  const serverSeconds = Math.floor(nowMs / 1000);
  if (Math.abs(serverSeconds - timestamp) > SIGNATURE_WINDOW_SECONDS) {
    throw ERRORS.signatureExpire(timestamp, serverSeconds, SIGNATURE_WINDOW_SECONDS);
  }
}

function checkToken(token: string | undefined, sessionToken: string | undefined): void {
  if (sessionToken !== undefined && token !== sessionToken) throw token ? ERRORS.tokenInvalid() : ERRORS.tokenMissing();
  if (sessionToken === undefined && token) throw ERRORS.tokenWithPermanent();
}

/** A boolean parameter: true/false in a JSON body; "true"/"false" in a query string or form, where every value is text. */
function booleanParameter(req: ApiRequest, name: string): boolean {
  const value = req.params[name];
  if (value === undefined) return false;
  const textual = req.signing === 'v1' || req.received.method === 'GET';
  if (value === true || (textual && value === 'true')) return true;
  if (value === false || (textual && value === 'false')) return false;
  throw ERRORS.badBoolean(name, value);
}

