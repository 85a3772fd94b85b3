/**
 * A received HTTP request read the ways the API takes one (API 3.0 "request structure"):
 *
 * - POST `application/json`: signature v3 (TC3-HMAC-SHA256, the `Authorization` header), the
 *   common parameters in `X-TC-*` headers, the action's parameters in the JSON body;
 * - POST `application/x-www-form-urlencoded`: signature v1 (HmacSHA1/HmacSHA256), every
 *   parameter, common ones included, in the form body;
 * - GET: the parameters in the query string, signed with v3 (common parameters in headers) or
 *   v1 (common parameters in the query).
 *
 * Nothing is judged here but the shape; `./api` checks what the parameters say.
 */
import { ApiError, ERRORS } from './errors';
import { DEFAULT_LANGUAGE, isLanguage, Language } from './language';
import { ReceivedRequest } from './tc3-verify';
import { V1SignedRequest } from './v1-verify';

/** How a request is signed. */
export type Signing = 'tc3' | 'v1';

/** The common parameters of a v1 request (besides Action, Version, Region, Timestamp, Token, Language). */
export interface V1Parameters extends V1SignedRequest {
  readonly secretId?: string;
  readonly signature?: string;
  readonly signatureMethod?: string;
  readonly nonce?: string;
}

export interface ApiRequest {
  readonly received: ReceivedRequest;
  readonly signing: Signing;
  /** Where the common parameters were read, for messages: `X-TC-Action` or `Action`. */
  readonly commonName: (name: CommonName) => string;
  readonly action?: string;
  readonly version?: string;
  readonly region?: string;
  readonly timestamp?: string;
  readonly token?: string;
  /** As sent; `./api` refuses anything but zh-CN and en-US. */
  readonly language?: string;
  /** The action's own parameters (common ones taken out). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Why the parameters could not be read (answered after the common checks). */
  readonly paramsError?: ApiError;
  readonly v1?: V1Parameters;
}

export type CommonName = 'Action' | 'Version' | 'Region' | 'Timestamp' | 'Token' | 'Language';

/** Common parameters of a v1 request, taken out of the action's parameters. */
const V1_COMMON = ['Action', 'Version', 'Region', 'Timestamp', 'Nonce', 'SecretId', 'Signature', 'SignatureMethod', 'Token', 'Language', 'RequestClient'];

function header(received: ReceivedRequest, name: string): string | undefined {
  const v = received.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The media type of `Content-Type`, lowercased, without parameters. */
export function mediaType(received: ReceivedRequest): string {
  return (header(received, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
}

/** The language to answer in before the request is read (a bad one answers in the default). */
export function peekLanguage(received: ReceivedRequest): Language {
  const fromHeader = header(received, 'x-tc-language');
  return isLanguage(fromHeader) ? fromHeader : DEFAULT_LANGUAGE;
}

/**
 * The path and query of a request target, in origin form (`/?a=b`) or in the absolute form an
 * HTTP proxy receives (`http://dts.tencentcloudapi.com/?a=b`).
 */
export function splitTarget(target: string): { path: string; query: string } {
  if (/^http:\/\//i.test(target)) {
    try {
      const url = new URL(target);
      return { path: url.pathname, query: url.search.slice(1) };
    } catch {
      return { path: target, query: '' };
    }
  }
  const [path, ...rest] = target.split('?');
  return { path, query: rest.join('?') };
}

/** Read a request; an `ApiError` when the API takes no request of this shape. */
export function readApiRequest(received: ReceivedRequest): ApiRequest | ApiError {
  if (received.path !== '/') return ERRORS.pathNotSupported(received.path);
  const authorized = header(received, 'authorization') !== undefined;
  if (received.method === 'GET') {
    const pairs = formPairs(received.query);
    if (!authorized) return v1Request(received, pairs);
    // TC3 signs the content type; for GET the API takes only the form type (no body is sent).
    if (mediaType(received) !== 'application/x-www-form-urlencoded') return ERRORS.getContentType(header(received, 'content-type') ?? '');
    return tc3Request(received, pairs);
  }
  if (received.method !== 'POST') return ERRORS.methodNotSupported(received.method);
  const type = mediaType(received);
  if (type === 'application/json') return tc3Request(received, jsonParams(received.body));
  if (type === 'application/x-www-form-urlencoded') {
    if (authorized) return ERRORS.formWithTc3();
    return v1Request(received, formPairs(received.body.toString('utf8')));
  }
  return ERRORS.contentTypeNotSupported(header(received, 'content-type') ?? '');
}

type Pairs = ReadonlyArray<readonly [string, string]>;
type ParamsOrError = { params: Record<string, unknown>; error?: ApiError };

function formPairs(encoded: string): Pairs {
  return [...new URLSearchParams(encoded)];
}

/** Parameters from name/value pairs; a repeated name is an error. */
function paramsOf(pairs: Pairs): ParamsOrError {
  const params: Record<string, unknown> = {};
  for (const [name, value] of pairs) {
    if (Object.prototype.hasOwnProperty.call(params, name)) return { params: {}, error: ERRORS.duplicateParameter(name) };
    params[name] = value;
  }
  return { params };
}

function jsonParams(body: Buffer): ParamsOrError {
  const raw = body.toString('utf8');
  if (raw.trim() === '') return { params: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { params: {}, error: ERRORS.bodyNotJson() };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { params: {}, error: ERRORS.bodyNotObject() };
  return { params: parsed as Record<string, unknown> };
}

function tc3Request(received: ReceivedRequest, source: Pairs | ParamsOrError): ApiRequest {
  const { params, error } = Array.isArray(source) ? paramsOf(source as Pairs) : (source as ParamsOrError);
  return {
    received,
    signing: 'tc3',
    commonName: (name) => `X-TC-${name}`,
    action: header(received, 'x-tc-action'),
    version: header(received, 'x-tc-version'),
    region: header(received, 'x-tc-region'),
    timestamp: header(received, 'x-tc-timestamp'),
    token: header(received, 'x-tc-token'),
    language: header(received, 'x-tc-language'),
    params,
    paramsError: error,
  };
}

function v1Request(received: ReceivedRequest, pairs: Pairs): ApiRequest {
  const { params: all, error } = paramsOf(pairs);
  const common = (name: string) => (typeof all[name] === 'string' ? (all[name] as string) : undefined);
  const params = Object.fromEntries(Object.entries(all).filter(([name]) => !V1_COMMON.includes(name)));
  return {
    received,
    signing: 'v1',
    commonName: (name) => name,
    action: common('Action'),
    version: common('Version'),
    region: common('Region'),
    timestamp: common('Timestamp'),
    token: common('Token'),
    language: common('Language'),
    params,
    paramsError: error,
    v1: {
      method: received.method,
      host: header(received, 'host') ?? '',
      path: received.path,
      parameters: pairs,
      secretId: common('SecretId'),
      signature: common('Signature'),
      signatureMethod: common('SignatureMethod'),
      nonce: common('Nonce'),
    },
  };
}
