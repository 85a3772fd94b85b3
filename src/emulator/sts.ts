/**
 * STS `AssumeRole` (version 2018-08-13) as the emulator serves it: a POST whose TC3 credential
 * scope names service `sts`, checked with the same verifier as DTS requests, answering the
 * configured role's temporary key pair (`Credentials { Token, TmpSecretId, TmpSecretKey }`,
 * `ExpiredTime`, `Expiration`), which the DTS side then accepts until it expires.
 */
import { randomUUID } from 'node:crypto';
import { SIGNATURE_WINDOW_SECONDS } from './api';
import type { ResolvedSts } from './credential-config';
import { errorResponse } from './errors';
import type { Keyring } from './keyring';
import { ReceivedRequest, Tc3Authorization, utcDateOf, verifyTc3Signature } from './tc3-verify';

export const STS_SERVICE = 'sts';
export const STS_VERSION = '2018-08-13';
export const STS_ACTION = 'AssumeRole';
/** The API's default lifetime when `DurationSeconds` is not given, and its maximum. */
const DEFAULT_DURATION_SECONDS = 7200;
const MAX_DURATION_SECONDS = 43_200;
/** Parameters of `AssumeRole` the emulator accepts (the last five are accepted and ignored). */
const PARAMETERS = ['RoleArn', 'RoleSessionName', 'DurationSeconds', 'Policy', 'ExternalId', 'Tags', 'SourceIdentity', 'SerialNumber', 'TokenCode'];

export interface StsAnswer {
  readonly code: string;
  readonly response: Record<string, unknown>;
}

class StsError extends Error {
  constructor(public readonly code: string, message: string) {
    super(message);
  }
}

function header(req: ReceivedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Answer a request already routed to STS (its scope's service is `sts`). `nowMs` is the emulator's clock. */
export function answerSts(req: ReceivedRequest, auth: Tc3Authorization, nowMs: number, sts: ResolvedSts | undefined, keyring: Keyring): StsAnswer {
  const requestId = randomUUID();
  try {
    const response = assume(req, auth, nowMs, sts, keyring);
    return { code: 'Success', response: { ...response, RequestId: requestId } };
  } catch (e) {
    if (!(e instanceof StsError)) throw e;
    return { code: e.code, response: errorResponse(e.code, e.message, requestId) };
  }
}

function assume(
  req: ReceivedRequest,
  auth: Tc3Authorization,
  nowMs: number,
  sts: ResolvedSts | undefined,
  keyring: Keyring,
): Record<string, unknown> {
  if (req.method !== 'POST' || req.path !== '/') throw new StsError('UnsupportedProtocol', 'STS is served as POST / with a JSON body.');
  const version = header(req, 'x-tc-version');
  const action = header(req, 'x-tc-action');
  if (!action) throw new StsError('MissingParameter', 'The request is missing the required header `X-TC-Action`.');
  if (version !== STS_VERSION) throw new StsError('NoSuchVersion', `The API version \`${version ?? ''}\` does not exist for service sts (use ${STS_VERSION}).`);
  if (action !== STS_ACTION) throw new StsError('InvalidAction', `The emulator's STS serves ${STS_ACTION} only (got \`${action.slice(0, 60)}\`).`);
  const contentType = (header(req, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (contentType !== 'application/json') throw new StsError('UnsupportedProtocol', 'The emulator accepts Content-Type application/json only.');

  const principal = authenticate(req, auth, nowMs, keyring);
  if (!header(req, 'x-tc-region')) throw new StsError('MissingParameter', 'The request is missing the required header `X-TC-Region`.');

  const params = parameters(req);
  const roleArn = params.RoleArn;
  const sessionName = params.RoleSessionName;
  if (typeof roleArn !== 'string' || roleArn === '') throw new StsError('MissingParameter', 'The request is missing the required parameter `RoleArn`.');
  if (typeof sessionName !== 'string' || sessionName === '') throw new StsError('MissingParameter', 'The request is missing the required parameter `RoleSessionName`.');
  if (!/^[\w+=,.@-]{2,128}$/.test(sessionName)) {
    throw new StsError('InvalidParameter.ParamError', 'RoleSessionName must be 2 to 128 of letters, digits and +=,.@_-.');
  }
  const duration = params.DurationSeconds;
  if (duration !== undefined && (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1 || duration > MAX_DURATION_SECONDS)) {
    throw new StsError('InvalidParameter.ParamError', `DurationSeconds must be an integer from 1 to ${MAX_DURATION_SECONDS}.`);
  }

  const allowed = sts?.roles.get(roleArn);
  if (!sts || !allowed) throw new StsError('ResourceNotFound.RoleNotExist', `The role ${JSON.stringify(roleArn.slice(0, 200))} does not exist.`);
  if (!allowed.has(principal)) {
    throw new StsError('AuthFailure.UnauthorizedOperation', 'The caller is not allowed to assume this role (it is not in the role\'s trust policy).');
  }

  const grant = Math.min((duration as number | undefined) ?? DEFAULT_DURATION_SECONDS, sts.grantSeconds ?? MAX_DURATION_SECONDS);
  const key = keyring.issue(sts.issued, grant);
  return {
    Credentials: { Token: key.sessionToken, TmpSecretId: key.secretId, TmpSecretKey: key.secretKey },
    ExpiredTime: key.expiresAtMs / 1000,
    Expiration: new Date(key.expiresAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** The TC3 checks, as the DTS side makes them; returns the principal the trust lists name. */
function authenticate(req: ReceivedRequest, auth: Tc3Authorization, nowMs: number, keyring: Keyring): string {
  const timestampText = header(req, 'x-tc-timestamp');
  if (!timestampText || !/^\d{1,12}$/.test(timestampText)) {
    throw new StsError('MissingParameter', 'The request needs X-TC-Timestamp, a unix time in seconds.');
  }
  const found = keyring.lookup(auth.secretId);
  if (found.expiredAtMs !== undefined) {
    throw new StsError('AuthFailure.TokenFailure', `The temporary credentials expired at ${new Date(found.expiredAtMs).toISOString()}.`);
  }
  if (!found.credential || found.principal === undefined) {
    throw new StsError('AuthFailure.SecretIdNotFound', 'The SecretId is not found; check that it exists and is enabled.');
  }
  const timestamp = Number(timestampText);
  const serverSeconds = Math.floor(nowMs / 1000);
  if (Math.abs(serverSeconds - timestamp) > SIGNATURE_WINDOW_SECONDS) {
    throw new StsError('AuthFailure.SignatureExpire', `Signature expired: X-TC-Timestamp ${timestamp} and the server time ${serverSeconds} differ by more than ${SIGNATURE_WINDOW_SECONDS} s.`);
  }
  if (auth.date !== utcDateOf(timestamp)) throw new StsError('AuthFailure.SignatureFailure', 'The credential scope date is not the UTC date of X-TC-Timestamp.');
  if (!auth.signedHeaders.includes('content-type') || !auth.signedHeaders.includes('host')) {
    throw new StsError('AuthFailure.SignatureFailure', 'SignedHeaders must include content-type and host.');
  }
  if (!verifyTc3Signature(req, auth, found.credential.secretKey, timestampText)) {
    throw new StsError('AuthFailure.SignatureFailure', 'The signature does not match the request (check the SecretKey, the signed headers and the body).');
  }
  const token = header(req, 'x-tc-token');
  if ((found.credential.sessionToken ?? undefined) !== (token || undefined)) {
    throw new StsError('AuthFailure.TokenFailure', found.credential.sessionToken ? 'Temporary credentials need their X-TC-Token.' : 'X-TC-Token was sent with permanent credentials.');
  }
  return found.principal;
}

function parameters(req: ReceivedRequest): Record<string, unknown> {
  let params: unknown;
  try {
    params = JSON.parse(req.body.toString('utf8') || '{}');
  } catch {
    throw new StsError('InvalidParameter', 'The request body is not valid JSON.');
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new StsError('InvalidParameter', 'The request body must be a JSON object of parameters.');
  const unknown = Object.keys(params).find((k) => !PARAMETERS.includes(k));
  if (unknown) throw new StsError('UnknownParameter', `Unknown parameter \`${unknown.slice(0, 40)}\`.`);
  return params as Record<string, unknown>;
}
