/**
 * The emulator's HTTP side: reading requests (bounded), faults, the envelope, the request log,
 * the proxy forms a client may use to reach it under the real host name, and a `close()` that
 * also ends stalled and dribbling connections.
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { EmulatedDtsApi } from './api';
import { EmulatorConfig, resolveConfig, ResolvedFault } from './config';
import { CredentialRoutes } from './credential-routes';
import { ApiError, ERRORS, renderError } from './errors';
import { API_ERROR_FAULTS, DELIVERY_FAULTS, garbledBody, FaultPlanner, httpFaultPage } from './faults';
import { isLanguage } from './language';
import { EmulatorRequestLogEntry, FaultKind } from './model';
import { acceptTunnel } from './proxy';
import { peekLanguage, readApiRequest, splitTarget } from './request';
import { ReceivedRequest } from './tc3-verify';
import { Clock, SYSTEM_CLOCK } from '../dts/clock';

/** Bodies above this are refused with `RequestSizeLimitExceeded` (the action's body is ~30 bytes). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Beyond this the emulator stops reading and closes the connection. */
const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;

/** A started emulator. */
export interface RunningEmulator {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Every request received so far, oldest first. */
  readonly requests: EmulatorRequestLogEntry[];
  /** Stop listening and end every connection, stalled ones included. */
  close(): Promise<void>;
}

/** Called with each request log entry as it is recorded (the CLI's `--verbose`). */
export type EmulatorRequestListener = (entry: EmulatorRequestLogEntry) => void;

/** What only TypeScript callers of `startEmulator` can pass: no JSON form. */
export interface EmulatorRuntimeOptions {
  /** Called with each request log entry as it is recorded. */
  readonly onRequest?: EmulatorRequestListener;
  /**
   * The clock of the jobs' checks (when a check started, how far it got, the times it reports),
   * so a test can move a check through its lifecycle without waiting: give it a `VirtualClock`
   * and `advance()` it. The signature window, the rate limit and the `Date` header keep the
   * machine clock, since clients sign with theirs.
   * @default SYSTEM_CLOCK
   */
  readonly clock?: Clock;
}

type MutableEntry = { -readonly [K in keyof EmulatorRequestLogEntry]: EmulatorRequestLogEntry[K] };

/**
 * Start the emulator on 127.0.0.1. Rejects on an invalid configuration (`EmulatorConfigError`) or
 * a port in use. The second argument is a request listener or the runtime options.
 */
export async function startEmulator(
  options: EmulatorConfig = {},
  runtime: EmulatorRequestListener | EmulatorRuntimeOptions = {},
): Promise<RunningEmulator> {
  const { onRequest, clock = SYSTEM_CLOCK } = typeof runtime === 'function' ? { onRequest: runtime } : runtime;
  const config = resolveConfig(options);
  const credentialRoutes = new CredentialRoutes(config, () => Date.now() + config.clockSkewSeconds * 1000);
  const api = new EmulatedDtsApi({ ...config, credentials: credentialRoutes.credentials });
  const planner = new FaultPlanner(config);
  const requests: EmulatorRequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing: Promise<void> | undefined;

  const record = (entry: MutableEntry): void => {
    requests.push(entry);
    onRequest?.(entry);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      // A bug must not take the emulator down: answer InternalError and keep serving.
      if (!res.headersSent && !res.destroyed) send(res, 200, renderError(ERRORS.internal((e as Error).message), 'en-US'), 0);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client given the emulator as its HTTP proxy tunnels to the real host name through it.
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => acceptTunnel(server, req, socket, head));

  const skewMs = (fault?: ResolvedFault): number =>
    (config.clockSkewSeconds + (fault?.kind === FaultKind.CLOCK_SKEW ? fault.skewSeconds : 0)) * 1000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entry: MutableEntry = { time: new Date().toISOString(), outcome: '' };
    const headerText = (name: string) => {
      const v = req.headers[name];
      return (Array.isArray(v) ? v.join(',') : v)?.slice(0, 64);
    };
    entry.action = headerText('x-tc-action');
    entry.version = headerText('x-tc-version');
    entry.region = headerText('x-tc-region');

    const body = await readBody(req);
    const { path, query } = splitTarget(req.url ?? '/');
    const received: ReceivedRequest = { method: req.method ?? '', path, query, headers: req.headers, body: body.bytes };
    entry.httpMethod = received.method.slice(0, 16);
    const language = peekLanguage(received);

    const finish = (status: number | undefined, outcome: string, fault?: ResolvedFault) => {
      entry.httpStatus = status;
      entry.outcome = outcome;
      if (fault) entry.fault = fault.kind;
      record(entry);
    };
    const refuse = (error: ApiError) => {
      finish(200, error.code);
      send(res, 200, renderError(error, language), config.clockSkewSeconds * 1000, body.overflowed);
    };

    if (body.overflowed) return refuse(ERRORS.bodyTooLarge(MAX_BODY_BYTES));
    // STS and the metadata service share the port: they are answered before the DTS API reads the request.
    const routed = credentialRoutes.answer(received, Date.now() + config.clockSkewSeconds * 1000);
    if (routed) {
      Object.assign(entry, routed.log);
      finish(routed.status, routed.outcome);
      return sendRaw(res, routed.status, routed.contentType, routed.body, config.clockSkewSeconds * 1000);
    }
    const request = readApiRequest(received);
    if (request instanceof ApiError) return refuse(request);
    entry.action = request.action?.slice(0, 64);
    entry.version = request.version?.slice(0, 32);
    entry.region = request.region?.slice(0, 64);
    entry.language = request.language?.slice(0, 16);
    entry.jobId = typeof request.params.JobId === 'string' ? request.params.JobId.slice(0, 64) : undefined;

    // A v1 request names its language in a parameter: faults answer in it too.
    const answerLanguage = isLanguage(request.language) ? request.language : language;
    const fault = planner.pick(entry.action, entry.jobId);
    const kind = fault?.kind;

    if (kind === FaultKind.STALL) return finish(undefined, kind, fault);
    if (kind === FaultKind.RESET) {
      finish(undefined, kind, fault);
      return void req.socket.resetAndDestroy();
    }
    const page = kind && httpFaultPage(kind);
    if (page) {
      finish(page.status, kind, fault);
      return sendRaw(res, page.status, 'text/html', Buffer.from(page.html), skewMs(fault));
    }
    if (kind === FaultKind.GARBLED_JSON) {
      finish(200, kind, fault);
      return sendRaw(res, 200, 'application/json', Buffer.from(garbledBody(randomUUID())), skewMs(fault));
    }
    const apiFault = kind && API_ERROR_FAULTS[kind];
    if (apiFault) {
      const error = apiFault();
      finish(200, error.code, fault);
      return send(res, 200, renderError(error, answerLanguage), skewMs(fault));
    }

    const nowMs = Date.now() + skewMs(fault);
    const answer = api.answer(request, nowMs, clock.now() + config.clockSkewSeconds * 1000);
    entry.secretId = answer.secretId;
    entry.signedHeaders = answer.signedHeaders;
    entry.signatureMethod = answer.signatureMethod;
    const bytes = Buffer.from(JSON.stringify({ Response: answer.response }), 'utf8');

    if (!kind || !DELIVERY_FAULTS.includes(kind) || !fault) {
      finish(200, answer.code, fault);
      return sendRaw(res, 200, 'application/json', bytes, skewMs(fault));
    }
    finish(200, answer.code, fault);
    if (kind === FaultKind.WRONG_CONTENT_TYPE) return sendRaw(res, 200, 'text/html; charset=utf-8', bytes, skewMs(fault));
    if (kind === FaultKind.TRUNCATED_JSON) return sendRaw(res, 200, 'application/json', bytes.subarray(0, Math.floor(bytes.length / 2)), skewMs(fault));
    return dribble(res, bytes, fault.durationMs);
  }

  function send(res: ServerResponse, status: number, response: Record<string, unknown>, skew: number, closeAfter = false): void {
    sendRaw(res, status, 'application/json', Buffer.from(JSON.stringify({ Response: response }), 'utf8'), skew, closeAfter);
  }

  function sendRaw(res: ServerResponse, status: number, contentType: string, bytes: Buffer, skew: number, closeAfter = false): void {
    res.writeHead(status, {
      'Content-Type': contentType,
      'Content-Length': bytes.length,
      // Clients measure clock skew from this header, so it tells the emulator's (possibly skewed) time.
      'Date': new Date(Date.now() + skew).toUTCString(),
      ...(closeAfter ? { Connection: 'close' } : {}),
    });
    res.end(bytes);
  }

  /** `slowBody`: headers at once, then the body in ten pieces over `durationMs`. */
  function dribble(res: ServerResponse, bytes: Buffer, durationMs: number): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bytes.length, 'Date': new Date(Date.now() + config.clockSkewSeconds * 1000).toUTCString() });
    const pieces = 10;
    const size = Math.ceil(bytes.length / pieces);
    let i = 0;
    const next = () => {
      if (res.destroyed) return;
      const chunk = bytes.subarray(i * size, (i + 1) * size);
      i++;
      if (i >= pieces || (i * size) >= bytes.length) return void res.end(chunk);
      res.write(chunk);
      const t = setTimeout(() => {
        timers.delete(t);
        next();
      }, durationMs / pieces);
      timers.add(t);
    };
    next();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        // Stalled and keep-alive connections would hold close() open: end them now.
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

interface ReadBody {
  readonly bytes: Buffer;
  /** More than MAX_BODY_BYTES arrived. */
  readonly overflowed: boolean;
}

/** Read at most MAX_BODY_BYTES; drain (and drop) more so the client sees the answer, up to a limit. */
function readBody(req: IncomingMessage): Promise<ReadBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve({ bytes: total > MAX_BODY_BYTES ? Buffer.alloc(0) : Buffer.concat(chunks), overflowed: total > MAX_BODY_BYTES });
    };
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
      if (total > DRAIN_LIMIT_BYTES) {
        req.pause();
        finish();
      }
    });
    req.on('end', finish);
    req.on('error', finish);
    req.on('close', finish);
  });
}
