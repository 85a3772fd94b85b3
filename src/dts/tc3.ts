/**
 * TC3-HMAC-SHA256, the request signature of Tencent Cloud API 3.0.
 *
 * A pure function: no clock, no environment. It returns every intermediate value so tests can
 * check them against the documented vectors (shared/REFERENCE.md §4) one by one.
 */
import { createHash, createHmac } from 'node:crypto';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

/** The headers TC3 signs here: `content-type` and `host` always, `x-tc-action` when given. */
export interface Tc3SignedHeaders {
  readonly 'content-type': string;
  readonly 'host': string;
  /** When present, signed as `x-tc-action` (value lowercased), as Tencent's current demo does. */
  readonly 'x-tc-action'?: string;
}

export interface Tc3SignInput {
  /** HTTP method, e.g. `POST`. */
  readonly method: string;
  /** Canonical URI. @default '/' */
  readonly path?: string;
  /** Canonical query string (empty for POST). @default '' */
  readonly query?: string;
  readonly headers: Tc3SignedHeaders;
  /** The exact bytes sent (a string is hashed as UTF-8). */
  readonly body: string | Uint8Array;
  /** Unix seconds, the same value sent as `X-TC-Timestamp`. */
  readonly timestamp: number;
  /** Service name of the credential scope, e.g. `dts`. */
  readonly service: string;
  readonly secretId: string;
  readonly secretKey: string;
}

export interface Tc3Signature {
  /** The `Authorization` header value. */
  readonly authorization: string;
  /** hex(sha256(body)). */
  readonly bodyHash: string;
  readonly canonicalRequest: string;
  /** hex(sha256(canonicalRequest)). */
  readonly canonicalRequestHash: string;
  readonly signedHeaders: string;
  readonly credentialScope: string;
  readonly stringToSign: string;
  /** UTC date (YYYY-MM-DD) of the timestamp. */
  readonly date: string;
  /** hex signature. */
  readonly signature: string;
}

/** The UTC calendar date of a unix timestamp: the scope date must not follow the local time zone. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function signTc3(input: Tc3SignInput): Tc3Signature {
  if (!Number.isInteger(input.timestamp) || input.timestamp < 0) {
    throw new RangeError(`timestamp must be a non-negative integer of unix seconds (got ${input.timestamp})`);
  }
  // Canonical header values are trimmed and lowercased (the API 3.0 signing page); the
  // content type we send is lowercase already, so this matches the official SDKs too.
  const canon = (v: string) => v.trim().toLowerCase();
  let canonicalHeaders = `content-type:${canon(input.headers['content-type'])}\nhost:${canon(input.headers.host)}\n`;
  let signedHeaders = 'content-type;host';
  const action = input.headers['x-tc-action'];
  if (action !== undefined) {
    canonicalHeaders += `x-tc-action:${canon(action)}\n`;
    signedHeaders += ';x-tc-action';
  }
  const bodyHash = sha256Hex(input.body);
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.path ?? '/',
    input.query ?? '',
    canonicalHeaders,
    signedHeaders,
    bodyHash,
  ].join('\n');
  const canonicalRequestHash = sha256Hex(canonicalRequest);
  const date = tc3Date(input.timestamp);
  const credentialScope = `${date}/${input.service}/tc3_request`;
  const stringToSign = `${TC3_ALGORITHM}\n${input.timestamp}\n${credentialScope}\n${canonicalRequestHash}`;
  const kDate = hmac(`TC3${input.secretKey}`, date);
  const kService = hmac(kDate, input.service);
  const kSigning = hmac(kService, 'tc3_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  const authorization =
    `${TC3_ALGORITHM} Credential=${input.secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return {
    authorization,
    bodyHash,
    canonicalRequest,
    canonicalRequestHash,
    signedHeaders,
    credentialScope,
    stringToSign,
    date,
    signature,
  };
}
