/**
 * The emulator's own TC3-HMAC-SHA256 verifier, written from the published algorithm and kept
 * apart from the client's signer (`src/dts/tc3.ts`) on purpose: a shared mistake would make
 * both sides agree and the tests prove nothing.
 *
 * It recomputes the signature over what was actually received (method, path, query, body
 * bytes, header values) with the service and date taken from the request's own credential
 * scope; whether that service is the right one (`dts`) is the API's rule (`./api`), so a wrong
 * scope gets its own clear message. The host is tried without its port too: the official Node
 * SDK signs the host name alone.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

/** The parts of an `Authorization: TC3-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header. */
export interface Tc3Authorization {
  readonly secretId: string;
  /** Credential scope date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Credential scope service (`dts` for DTS actions; the official SDK on 127.0.0.1 signs `127`). */
  readonly service: string;
  /** Lowercase header names, in the order the client declared. */
  readonly signedHeaders: readonly string[];
  readonly signedHeadersRaw: string;
  readonly signature: string;
}

/** What was received, byte for byte where it matters. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  /** Query string without `?` ("" for none). */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Parse the header; `undefined` when it is not a well-formed TC3 authorization. */
export function parseTc3Authorization(value: string | undefined): Tc3Authorization | undefined {
  if (!value) return undefined;
  const space = value.indexOf(' ');
  if (space < 0 || value.slice(0, space) !== TC3_ALGORITHM) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeadersRaw = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeadersRaw || !signature || !/^[0-9a-f]{64}$/.test(signature)) return undefined;
  const scope = credential.split('/');
  if (scope.length !== 4 || scope[3] !== 'tc3_request' || !scope[0] || !scope[2] || !/^\d{4}-\d{2}-\d{2}$/.test(scope[1])) return undefined;
  const signedHeaders = signedHeadersRaw.split(';');
  if (signedHeaders.some((h) => !/^[a-z0-9-]+$/.test(h))) return undefined;
  return { secretId: scope[0], date: scope[1], service: scope[2], signedHeaders, signedHeadersRaw, signature };
}

/** `YYYY-MM-DD` (UTC) of a unix timestamp in seconds. */
export function utcDateOf(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The canonical request, with `host` replaced by `hostValue`. Undefined when a signed header is absent. */
function canonicalRequest(req: ReceivedRequest, auth: Tc3Authorization, hostValue: string): string | undefined {
  let canonicalHeaders = '';
  for (const name of auth.signedHeaders) {
    const value = name === 'host' ? hostValue : headerValue(req.headers, name);
    if (value === undefined) return undefined;
    // TC3: header names and values lowercased and trimmed.
    canonicalHeaders += `${name}:${value.trim().toLowerCase()}\n`;
  }
  return [req.method, req.path, req.query, canonicalHeaders, auth.signedHeadersRaw, sha256Hex(req.body)].join('\n');
}

/** The hex signature of a canonical request for a key, timestamp and scope. */
export function tc3Signature(secretKey: string, timestamp: string, date: string, service: string, canonical: string): string {
  const stringToSign = [TC3_ALGORITHM, timestamp, `${date}/${service}/tc3_request`, sha256Hex(canonical)].join('\n');
  const kDate = hmac(`TC3${secretKey}`, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, 'tc3_request');
  return createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
}

/**
 * Does the signature match what was received? The host is tried as received and, when that
 * fails and it carries a port, without the port (what the official Node SDK signs).
 */
export function verifyTc3Signature(req: ReceivedRequest, auth: Tc3Authorization, secretKey: string, timestamp: string): boolean {
  const host = headerValue(req.headers, 'host') ?? '';
  const candidates = [host];
  const withoutPort = host.replace(/:\d+$/, '');
  if (withoutPort !== host) candidates.push(withoutPort);
  const expected = Buffer.from(auth.signature, 'utf8');
  return candidates.some((hostValue) => {
    const canonical = canonicalRequest(req, auth, hostValue);
    if (canonical === undefined) return false;
    const actual = Buffer.from(tc3Signature(secretKey, timestamp, auth.date, auth.service, canonical), 'utf8');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  });
}
