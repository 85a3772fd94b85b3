/**
 * One HTTP POST over undici, with the guards a signed API call needs: a per-attempt timeout, a
 * cap on the response size, no redirects, and a JSON answer or a clear failure.
 *
 * Cold start matters (the CLI is one-shot), so only undici's Pool and its `request` API are
 * loaded; the proxy agent (and the rest of undici) is loaded only when a proxy variable is set.
 */
import type { Dispatcher, EnvHttpProxyAgent, Pool } from 'undici';

/* eslint-disable @typescript-eslint/no-require-imports */
type RequestFn = (this: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
const apiRequest: RequestFn = require('undici/lib/api/api-request');
const PoolClass: typeof Pool = require('undici/lib/dispatcher/pool');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Tencent Cloud answers are a few KiB; anything this large is not an answer of ours. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export type TransportFailureKind = 'network' | 'timeout' | 'malformed';

/** A failure below the API layer; the caller turns it into a typed DtsError with context. */
export class TransportFailure extends Error {
  constructor(
    public readonly kind: TransportFailureKind,
    public readonly code: string,
    message: string,
    public readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'TransportFailure';
  }
}

export interface PostOptions {
  readonly timeoutMs: number;
  /** @default DEFAULT_MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly json: unknown;
}

const pools = new Map<string, Dispatcher>();
let proxyAgent: { key: string; agent: EnvHttpProxyAgent } | undefined;

export function proxyVariablesSet(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

/**
 * The dispatcher for an origin: a kept-alive Pool per origin, or, when a proxy variable is set,
 * undici's EnvHttpProxyAgent, whose semantics we follow as they are: `NO_PROXY` (or `no_proxy`)
 * entries bypass the proxy by host, domain suffix and optional port, and `*` bypasses it for
 * everything; nothing is exempt implicitly, loopback included.
 */
function dispatcherFor(origin: string, env: NodeJS.ProcessEnv): { dispatcher: Dispatcher; viaProxy: boolean } {
  if (proxyVariablesSet(env)) {
    const key = [env.HTTPS_PROXY, env.https_proxy, env.HTTP_PROXY, env.http_proxy].join('\n');
    if (!proxyAgent || proxyAgent.key !== key) {
      const old = proxyAgent?.agent;
      // The proxy's CONNECT uses Dispatcher.prototype.connect, which undici's index installs by
      // assigning its api onto the prototype. Doing just that here keeps the rest of undici
      // (fetch, websockets, caches, mocks) out of the bundled lookup script: its cold start is
      // what a CLI user feels.
      /* eslint-disable @typescript-eslint/no-require-imports */
      const DispatcherBase: { prototype: Record<string, unknown> } = require('undici/lib/dispatcher/dispatcher');
      const api: Record<string, unknown> = require('undici/lib/api');
      const EnvHttpProxyAgentClass: typeof EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent');
      /* eslint-enable @typescript-eslint/no-require-imports */
      for (const [name, fn] of Object.entries(api)) if (DispatcherBase.prototype[name] === undefined) DispatcherBase.prototype[name] = fn;
      proxyAgent = {
        key,
        agent: new EnvHttpProxyAgentClass({
          httpProxy: env.http_proxy ?? env.HTTP_PROXY,
          httpsProxy: env.https_proxy ?? env.HTTPS_PROXY,
          keepAliveTimeout: 4_000,
        }),
      };
      old?.close().catch(() => undefined);
    }
    return { dispatcher: proxyAgent.agent, viaProxy: true };
  }
  let pool = pools.get(origin);
  if (!pool) {
    pool = new PoolClass(origin, { connections: 8, keepAliveTimeout: 4_000, pipelining: 1 });
    pools.set(origin, pool);
  }
  return { dispatcher: pool, viaProxy: false };
}

let fastStartup = false;

/**
 * Opt-in for one-shot processes (the CLI / lookup script): compile undici's llhttp WebAssembly
 * with the baseline compiler only. Without it a one-shot process spends ~70 ms at exit waiting
 * for V8's background optimizing compile of llhttp (measured on node 20: 195 ms → 120 ms for one
 * lookup). It sets a process-wide V8 flag, so a library must never do this on its own; call it
 * before the first request, from an entry point that owns the process.
 */
export function preferFastStartup(): void {
  if (fastStartup) return;
  fastStartup = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--liftoff-only');
}

/** Close every kept-alive connection (tests, and a CLI that wants to exit at once). */
export async function closeConnections(): Promise<void> {
  const all = [...pools.values(), ...(proxyAgent ? [proxyAgent.agent] : [])];
  pools.clear();
  proxyAgent = undefined;
  await Promise.all(all.map((d) => d.close().catch(() => undefined)));
}

export async function postJson(url: URL, headers: Record<string, string>, body: string, options: PostOptions): Promise<JsonResponse> {
  const { dispatcher, viaProxy } = dispatcherFor(url.origin, options.env ?? process.env);
  const via = viaProxy ? ' (through the proxy from the proxy environment variables)' : '';
  const res = await exchange(dispatcher, url, { path: '/', method: 'POST', headers, body }, options, via);
  const { status, text } = res;
  const contentType = first(res.headers['content-type']) ?? '';
  let json: unknown;
  let parsed = false;
  try {
    json = JSON.parse(text);
    parsed = true;
  } catch {
    // judged below, with the status and content type
  }

  if (status >= 500) {
    throw new TransportFailure('network', 'HttpServerError', `${url.host} answered HTTP ${status}${describeBody(contentType, text, parsed)}${via}`, status);
  }
  if (status === 429) {
    throw new TransportFailure('network', 'HttpTooManyRequests', `${url.host} answered HTTP 429 (too many requests)${via}`, status);
  }
  if (!parsed) {
    if (status >= 200 && status < 300 && /json/i.test(contentType)) {
      throw new TransportFailure('malformed', 'MalformedJson', `${url.host} answered HTTP ${status} with JSON that does not parse (${text.length} bytes, truncated?)`, status);
    }
    throw new TransportFailure(
      'network',
      status >= 400 ? 'HttpClientError' : 'NonJsonResponse',
      `${url.host} answered HTTP ${status}${describeBody(contentType, text, false)} instead of a JSON API answer${via}; a proxy or captive portal may be in the way`,
      status,
    );
  }
  return { status, headers: res.headers, json };
}

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/**
 * One request with the guards every call needs: the attempt's timeout (an abort), no redirects
 * (a signed request goes only where it was configured to), and a cap on the answer's size. The
 * answer's text, or a `TransportFailure` saying what went wrong and where (`via`).
 */
async function exchange(
  dispatcher: Dispatcher,
  url: URL,
  request: { readonly path: string; readonly method: 'GET' | 'POST'; readonly headers?: Record<string, string>; readonly body?: string },
  options: { readonly timeoutMs: number; readonly maxResponseBytes?: number },
  via = '',
): Promise<RawResponse> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  timer.unref?.();
  const timeoutFailure = () =>
    new TransportFailure('timeout', 'AttemptTimeout', `no complete answer from ${url.host} within ${formatMs(options.timeoutMs)}${via}`);

  try {
    let res: Dispatcher.ResponseData;
    try {
      res = await apiRequest.call(dispatcher, { origin: url.origin, ...request, signal: controller.signal });
    } catch (e) {
      if (timedOut) throw timeoutFailure();
      throw new TransportFailure('network', 'NetworkError', `cannot reach ${url.host}${via}: ${describeCause(e)}`);
    }

    const status = res.statusCode;
    const headers = res.headers as Record<string, string | string[] | undefined>;
    if (status >= 300 && status < 400) {
      res.body.on('error', () => undefined).destroy();
      throw new TransportFailure(
        'network',
        'RedirectRefused',
        `${url.host} answered with a redirect (HTTP ${status}) to ${redirectTarget(first(headers.location), url)}; redirects are refused so signed requests go only where configured`,
        status,
      );
    }

    try {
      const text = await readCapped(res.body, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, first(headers['content-length']));
      return { status, headers, text };
    } catch (e) {
      if (e instanceof TransportFailure) throw e;
      if (timedOut) throw timeoutFailure();
      throw new TransportFailure('network', 'NetworkError', `the answer from ${url.host} broke off${via}: ${describeCause(e)}`, status);
    }
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(body: Dispatcher.ResponseData['body'], max: number, contentLength: string | undefined): Promise<string> {
  const tooLarge = (n: string) =>
    new TransportFailure('network', 'ResponseTooLarge', `the answer is larger than the ${max} bytes allowed (${n}); refusing to read it`);
  if (contentLength !== undefined && Number(contentLength) > max) {
    body.on('error', () => undefined).destroy();
    throw tooLarge(`Content-Length ${contentLength}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > max) {
      body.on('error', () => undefined).destroy();
      throw tooLarge(`over ${size} bytes received`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function redirectTarget(location: string | undefined, base: URL): string {
  if (!location) return 'no Location';
  try {
    return `host ${new URL(location, base).host}`;
  } catch {
    return 'an unparseable Location';
  }
}

function describeBody(contentType: string, text: string, parsed: boolean): string {
  if (parsed) return '';
  const type = contentType.split(';')[0].trim();
  if (/^\s*</.test(text) || /html/i.test(type)) return ` with an HTML page${type ? ` (${type})` : ''}`;
  return type ? ` with ${type}` : text.length === 0 ? ' with an empty body' : '';
}

function describeCause(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err?.code ?? err?.cause?.code;
  const message = err?.cause?.message ?? err?.message ?? String(e);
  return code && !message.includes(code) ? `${code} ${message}` : message;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export interface GetOptions {
  readonly timeoutMs: number;
  /** @default DEFAULT_MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
}

export interface TextResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The body as text (the metadata service lists roles as plain text). */
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/**
 * One HTTP GET for the CVM metadata service, with the same guards as `postJson` (timeout,
 * size cap, no redirects). Always direct, never through a proxy variable: the metadata service
 * answers only on the instance's own link, and a proxy would ask it on the proxy's host, whose
 * role is not ours.
 */
export async function getJson(url: URL, options: GetOptions): Promise<TextResponse> {
  let pool = pools.get(url.origin);
  if (!pool) {
    pool = new PoolClass(url.origin, { connections: 2, keepAliveTimeout: 4_000, pipelining: 1 });
    pools.set(url.origin, pool);
  }
  const res = await exchange(pool, url, { path: `${url.pathname}${url.search}`, method: 'GET' }, options);
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    json = undefined;
  }
  return { ...res, json };
}
