/**
 * A deliberately small, hand-rolled TC3 and signature-v1 signer and raw HTTP caller for the
 * emulator tests: every header, the body bytes, the query and the timestamp can be set or
 * tampered with. It shares no code with the emulator's verifiers nor with the client's signer.
 */
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';

export const KEY_ID = 'AKIDEXAMPLE';
export const KEY = 'SECRETEXAMPLE';

export interface SignInput {
  readonly secretId?: string;
  readonly secretKey?: string;
  readonly timestamp?: number;
  /** Defaults to the UTC date of the timestamp. */
  readonly scopeDate?: string;
  readonly service?: string;
  readonly host: string;
  readonly contentType?: string;
  readonly action: string;
  readonly body: string;
  readonly signAction?: boolean;
  /** Defaults to POST. */
  readonly method?: string;
  /** The canonical query string (GET): the query exactly as sent. */
  readonly query?: string;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s, 'utf8').digest();

export function sign(input: SignInput): { authorization: string; timestamp: number } {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const date = input.scopeDate ?? new Date(timestamp * 1000).toISOString().slice(0, 10);
  const service = input.service ?? 'dts';
  const contentType = input.contentType ?? 'application/json; charset=utf-8';
  let headers = `content-type:${contentType.toLowerCase()}\nhost:${input.host.toLowerCase()}\n`;
  let signed = 'content-type;host';
  if (input.signAction) {
    headers += `x-tc-action:${input.action.toLowerCase()}\n`;
    signed += ';x-tc-action';
  }
  const canonical = `${input.method ?? 'POST'}\n/\n${input.query ?? ''}\n${headers}\n${signed}\n${sha256(input.body)}`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonical)}`;
  const kSigning = hmac(hmac(hmac(`TC3${input.secretKey ?? KEY}`, date), service), 'tc3_request');
  const signature = createHmac('sha256', kSigning).update(toSign, 'utf8').digest('hex');
  return {
    timestamp,
    authorization: `TC3-HMAC-SHA256 Credential=${input.secretId ?? KEY_ID}/${date}/${service}/tc3_request, SignedHeaders=${signed}, Signature=${signature}`,
  };
}

export interface RawCall {
  readonly action?: string;
  readonly version?: string;
  readonly region?: string;
  readonly jobId?: string;
  /** The exact body; defaults to `{"JobId": jobId}`. */
  readonly body?: string;
  readonly sign?: Partial<SignInput>;
  /** Header overrides applied after signing (undefined removes a header). */
  readonly headers?: Record<string, string | undefined>;
  /** Send this body instead of the signed one (tampering). */
  readonly sendBody?: string | Buffer;
  /** Defaults to POST; GET sends the parameters (`JobId`, or `query`) in the query string. */
  readonly method?: string;
  readonly path?: string;
  /** GET: the exact query string (default: `JobId=...`). */
  readonly query?: string;
  /** Sent as `X-TC-Language`. */
  readonly language?: string;
  /** Abort the request after this many ms. */
  readonly timeoutMs?: number;
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** `Response` of the envelope, when the body is JSON. */
  readonly response?: any;
  readonly code?: string;
}

/** Sign (unless told otherwise) and send one request to the emulator. */
export function call(baseUrl: string, c: RawCall = {}): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const action = c.action ?? 'DescribeSyncCheckJob';
  const method = c.method ?? 'POST';
  const isGet = method === 'GET';
  const query = isGet ? c.query ?? new URLSearchParams({ JobId: c.jobId ?? 'sync-blj8wnt1' }).toString() : '';
  const body = isGet ? '' : c.body ?? JSON.stringify({ JobId: c.jobId ?? 'sync-blj8wnt1' });
  const host = c.headers?.host ?? url.host;
  const contentType = c.headers?.['content-type'] ?? (isGet ? 'application/x-www-form-urlencoded' : 'application/json; charset=utf-8');
  const { authorization, timestamp } = sign({ host, contentType, action, body, method, query, ...c.sign });
  const headers: Record<string, string | undefined> = {
    'content-type': contentType,
    'host': host,
    'x-tc-action': action,
    'x-tc-version': c.version ?? versionOf(action),
    'x-tc-region': c.region ?? 'ap-guangzhou',
    'x-tc-timestamp': String(timestamp),
    ...(c.language === undefined ? {} : { 'x-tc-language': c.language }),
    'authorization': authorization,
    ...c.headers,
  };
  const sent = c.sendBody ?? body;
  return send(url, method, c.path ?? (query ? `/?${query}` : '/'), headers, sent, c.timeoutMs ?? 5000);
}

/** The version an action is served in. */
export function versionOf(action: string): string {
  return action === 'DescribeCheckSyncJobResult' || action === 'CreateCheckSyncJob' ? '2021-12-06' : '2018-03-30';
}

export interface V1Call {
  /** POST (form body) or GET (query string). */
  readonly method?: 'POST' | 'GET';
  readonly action?: string;
  readonly version?: string;
  readonly region?: string;
  readonly jobId?: string;
  /** The action's parameters (default `{ JobId }`). */
  readonly params?: Record<string, string>;
  readonly secretId?: string;
  readonly secretKey?: string;
  /** `HmacSHA1` or `HmacSHA256`; undefined leaves the parameter out (the API then uses HmacSHA1). */
  readonly signatureMethod?: string;
  readonly timestamp?: number;
  readonly token?: string;
  readonly language?: string;
  /** The host sent (default: the emulator's host:port). */
  readonly host?: string;
  /** The host signed (default: the one sent). */
  readonly signHost?: string;
  /** Change the parameters after signing (tampering). */
  readonly tamper?: (params: Record<string, string>) => void;
}

/** A signature-v1 request: every parameter in the form body (POST) or the query (GET), HMAC-signed. */
export function callV1(baseUrl: string, c: V1Call = {}): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const method = c.method ?? 'POST';
  const action = c.action ?? 'DescribeSyncCheckJob';
  const host = c.host ?? url.host;
  const params: Record<string, string> = {
    Action: action,
    Version: c.version ?? versionOf(action),
    Region: c.region ?? 'ap-guangzhou',
    Timestamp: String(c.timestamp ?? Math.floor(Date.now() / 1000)),
    Nonce: String(Math.floor(Math.random() * 65535)),
    SecretId: c.secretId ?? KEY_ID,
    ...(c.signatureMethod === undefined ? {} : { SignatureMethod: c.signatureMethod }),
    ...(c.token === undefined ? {} : { Token: c.token }),
    ...(c.language === undefined ? {} : { Language: c.language }),
    ...(c.params ?? { JobId: c.jobId ?? 'sync-blj8wnt1' }),
  };
  const source = `${method}${c.signHost ?? host}/?${Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&')}`;
  const algorithm = c.signatureMethod === 'HmacSHA256' ? 'sha256' : 'sha1';
  params.Signature = createHmac(algorithm, c.secretKey ?? KEY).update(source, 'utf8').digest('base64');
  c.tamper?.(params);
  const encoded = new URLSearchParams(params).toString();
  if (method === 'GET') return send(url, 'GET', `/?${encoded}`, { host }, '');
  return send(url, 'POST', '/', { 'host': host, 'content-type': 'application/x-www-form-urlencoded' }, encoded);
}

export function send(
  url: URL,
  method: string,
  path: string,
  headers: Record<string, string | undefined>,
  body: string | Buffer,
  timeoutMs = 5000,
): Promise<RawAnswer> {
  const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers: clean, agent: false, signal: AbortSignal.timeout(timeoutMs) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let response: any;
          try {
            response = JSON.parse(text).Response;
          } catch {
            response = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, response, code: response?.Error?.Code });
        });
      },
    );
    req.on('error', reject);
    if (method !== 'GET' && method !== 'HEAD') req.end(body);
    else req.end();
  });
}
