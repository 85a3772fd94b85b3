/**
 * The CVM instance role: temporary credentials from the metadata service
 * (`GET /latest/meta-data/cam/security-credentials/<role>`), the role named by
 * `TENCENTCLOUD_CAM_ROLE_NAME` or, when nothing else was found, the one the listing names.
 */
import { METADATA_CREDENTIALS_PATH } from './names';
import { checkShape, ResolvedCredentials } from './resolved';
import { DtsCredentialsError } from '../errors';
import { getJson, TextResponse, TransportFailure } from '../http';
import { quoteValue } from '../regions';

/**
 * The listing is asked only when no other source had credentials, so off a CVM it costs this
 * much at most before the "no credentials" error (a connection refused or a failed DNS lookup
 * costs nothing). On a CVM the service answers in milliseconds.
 */
export const DISCOVERY_TIMEOUT_MS = 1_000;
/** A named role must answer: one attempt may take this long, and a failed attempt is tried once more. */
export const ROLE_TIMEOUT_MS = 3_000;
const ROLE_ATTEMPTS = 2;
const MAX_METADATA_BYTES = 64 * 1024;

/** CAM role names: letters, digits and `+=,.@_-`, 1..128 (also what keeps a name a single path segment). */
export const ROLE_NAME = /^[\w+=,.@-]{1,128}$/;

export function validateRoleName(name: string, where: string): string {
  if (!ROLE_NAME.test(name) || name === '.' || name === '..') {
    throw new DtsCredentialsError(`${where} must be a CAM role name of letters, digits and +=,.@_- (got ${quoteValue(name)})`, {
      code: 'InvalidCredentialSetting',
    });
  }
  return name;
}

function credentialsUrl(endpoint: URL, role = ''): URL {
  return new URL(`${METADATA_CREDENTIALS_PATH}${encodeURIComponent(role)}`, endpoint);
}

export interface Discovery {
  /** The role bound to this instance, when the service named exactly one. */
  readonly role?: string;
  /** Why there is none, for the "no credentials" message. */
  readonly why?: string;
}

/**
 * Ask the listing which role is bound. Anything but a clean one-role answer means "no instance
 * role here" (off a CVM the host may not resolve, or a captive portal may answer): never an error.
 */
export async function discoverRole(endpoint: URL, timeoutMs = DISCOVERY_TIMEOUT_MS): Promise<Discovery> {
  let res: TextResponse;
  try {
    res = await getJson(credentialsUrl(endpoint), { timeoutMs, maxResponseBytes: MAX_METADATA_BYTES });
  } catch (e) {
    return { why: e instanceof TransportFailure && e.kind === 'timeout' ? `no answer within ${timeoutMs / 1000} s` : 'not reachable' };
  }
  if (res.status === 404) return { why: 'no role is bound to this instance' };
  if (res.status !== 200) return { why: `it answered HTTP ${res.status}` };
  const names = res.text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (names.length !== 1 || !ROLE_NAME.test(names[0]) || names[0] === '.' || names[0] === '..') {
    return { why: names.length > 1 ? `it lists ${names.length} roles; name one with TENCENTCLOUD_CAM_ROLE_NAME` : 'its answer is not a role name' };
  }
  return { role: names[0] };
}

/** Fetch the role's temporary credentials. Every failure is a `DtsCredentialsError` (fail closed). */
export async function fetchInstanceRole(endpoint: URL, role: string): Promise<ResolvedCredentials> {
  const url = credentialsUrl(endpoint, role);
  const where = `the CVM metadata service (${endpoint.origin}) for the instance role "${role}"`;
  let res: TextResponse;
  for (let attempt = 1; ; attempt++) {
    try {
      res = await getJson(url, { timeoutMs: ROLE_TIMEOUT_MS, maxResponseBytes: MAX_METADATA_BYTES });
      if (res.status < 500 || attempt >= ROLE_ATTEMPTS) break;
    } catch (e) {
      if (attempt >= ROLE_ATTEMPTS) {
        throw new DtsCredentialsError(`${where} could not be reached: ${(e as Error).message}`, { code: 'MetadataUnreachable', retryable: true });
      }
    }
  }
  if (res.status === 404) {
    throw new DtsCredentialsError(`${where} answered HTTP 404: no role of that name is bound to this instance`, { code: 'InstanceRoleFailed' });
  }
  if (res.status !== 200) throw new DtsCredentialsError(`${where} answered HTTP ${res.status}`, { code: 'InstanceRoleFailed', httpStatus: res.status });
  const body = res.json;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DtsCredentialsError(`${where} answered something that is not a JSON object`, { code: 'MalformedCredentialResponse' });
  }
  const o = body as Record<string, unknown>;
  if (o.Code !== 'Success') {
    throw new DtsCredentialsError(`${where} answered Code ${quoteValue(o.Code, 60)} instead of "Success"`, { code: 'InstanceRoleFailed' });
  }
  return temporaryCredentials(o, `instance role ${role}`, where);
}

/**
 * `TmpSecretId`, `TmpSecretKey`, `Token` and `ExpiredTime` (unix seconds): the fields the
 * metadata service and STS both answer. Missing or mistyped fields are named, never their values.
 */
export function temporaryCredentials(o: Record<string, unknown>, source: string, where: string): ResolvedCredentials {
  const missing = ['TmpSecretId', 'TmpSecretKey', 'Token'].filter((k) => typeof o[k] !== 'string' || (o[k] as string).trim() === '');
  const expired = o.ExpiredTime;
  if (typeof expired !== 'number' || !Number.isInteger(expired) || expired <= 0) missing.push('ExpiredTime');
  if (missing.length > 0) {
    throw new DtsCredentialsError(`${where} answered without a usable ${missing.map((k) => `\`${k}\``).join(', ')}`, {
      code: 'MalformedCredentialResponse',
    });
  }
  const creds = new ResolvedCredentials(
    (o.TmpSecretId as string).trim(),
    (o.TmpSecretKey as string).trim(),
    (o.Token as string).trim(),
    source,
    (expired as number) * 1000,
  );
  checkShape(creds, where, 'MalformedCredentialResponse');
  return creds;
}

