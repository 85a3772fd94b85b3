/**
 * The CVM metadata service's instance-role part, as the emulator serves it on its own port:
 * `GET /latest/meta-data/cam/security-credentials/` lists the bound role (plain text), and
 * `GET .../<role>` answers its temporary credentials as JSON (`TmpSecretId`, `TmpSecretKey`,
 * `Token`, `ExpiredTime`, `Expiration`, `Code: "Success"`), which the DTS side accepts until they
 * expire. Anything else under `/latest/meta-data/` is 404, as on an instance without that item.
 */
import type { ResolvedInstanceRole } from './credential-config';
import type { Keyring } from './keyring';

export const METADATA_PREFIX = '/latest/meta-data/';
export const CREDENTIALS_PATH = '/latest/meta-data/cam/security-credentials/';

export interface MetadataAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** `Success`, or why not, for the request log. */
  readonly outcome: string;
}

const notFound: MetadataAnswer = { status: 404, contentType: 'text/plain; charset=utf-8', body: 'Not Found', outcome: 'NotFound' };

export function isMetadataPath(path: string): boolean {
  return path === '/latest/meta-data' || path.startsWith(METADATA_PREFIX);
}

export function answerMetadata(method: string, path: string, role: ResolvedInstanceRole | undefined, keyring: Keyring): MetadataAnswer {
  if (method !== 'GET') return { status: 405, contentType: 'text/plain; charset=utf-8', body: 'Method Not Allowed', outcome: 'MethodNotAllowed' };
  if (path === CREDENTIALS_PATH || path === CREDENTIALS_PATH.slice(0, -1)) {
    return role ? { status: 200, contentType: 'text/plain; charset=utf-8', body: role.roleName, outcome: 'Success' } : notFound;
  }
  if (!role || !path.startsWith(CREDENTIALS_PATH) || decoded(path.slice(CREDENTIALS_PATH.length)) !== role.roleName) return notFound;
  const key = keyring.issue(role.issued, role.grantSeconds);
  const body = {
    TmpSecretId: key.secretId,
    TmpSecretKey: key.secretKey,
    ExpiredTime: key.expiresAtMs / 1000,
    Expiration: new Date(key.expiresAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Token: key.sessionToken,
    Code: 'Success',
  };
  return { status: 200, contentType: 'application/json', body: JSON.stringify(body), outcome: 'Success' };
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
