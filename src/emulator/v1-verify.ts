/**
 * Signature v1 (`HmacSHA1` / `HmacSHA256`), the only signature a POST with
 * `application/x-www-form-urlencoded` may carry, and one a GET may carry (API 3.0 "request
 * structure"). Written from the published algorithm, apart from the official SDK's signer:
 *
 *   source = METHOD + host + path + "?" + every parameter but `Signature`, sorted by name,
 *            as `name=value` (values decoded, not URL-encoded) joined with "&"
 *   Signature = base64(HMAC-SHA1 or HMAC-SHA256(SecretKey, source))
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** `SignatureMethod` values and their HMAC; the parameter defaults to HmacSHA1 when absent. */
export const V1_METHODS: Readonly<Record<string, 'sha1' | 'sha256'>> = { HmacSHA1: 'sha1', HmacSHA256: 'sha256' };
export const V1_DEFAULT_METHOD = 'HmacSHA1';

/** What a v1 signature covers. */
export interface V1SignedRequest {
  readonly method: string;
  /** The Host header as received. */
  readonly host: string;
  readonly path: string;
  /** Every parameter as received (decoded), `Signature` included. */
  readonly parameters: ReadonlyArray<readonly [string, string]>;
}

/** The string a v1 signature is computed over, for a host value. */
export function v1Source(req: V1SignedRequest, host: string): string {
  const pairs = req.parameters.filter(([name]) => name !== 'Signature').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${req.method}${host}${req.path}?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

export function v1Signature(secretKey: string, source: string, method: string): string {
  return createHmac(V1_METHODS[method], secretKey).update(source, 'utf8').digest('base64');
}

/**
 * Does `signature` match? The host is tried as received and, when it carries a port, without it
 * (clients sign the endpoint they were given; one given `127.0.0.1:PORT` signs the port).
 */
export function verifyV1Signature(req: V1SignedRequest, secretKey: string, method: string, signature: string): boolean {
  const hosts = [req.host];
  const withoutPort = req.host.replace(/:\d+$/, '');
  if (withoutPort !== req.host) hosts.push(withoutPort);
  const expected = Buffer.from(signature, 'utf8');
  return hosts.some((host) => {
    const actual = Buffer.from(v1Signature(secretKey, v1Source(req, host), method), 'utf8');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  });
}
