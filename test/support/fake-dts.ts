/**
 * A small scripted stand-in for the DTS API on 127.0.0.1, for the client's tests. Each test
 * says what the next answers are; the server records what it received and when.
 * (The full emulator lives in src/emulator; these tests do not depend on it.)
 */
import { createServer, IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';
import { signTc3 } from '../../src/dts/tc3';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: unknown;
  /** ms since epoch when the request arrived. */
  readonly receivedAt: number;
  readonly action?: string;
  readonly version?: string;
}

export interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON; a string as-is. */
  readonly body?: unknown;
  readonly delayMs?: number;
  /** Never answer (until the server closes). */
  readonly stall?: boolean;
  /** Destroy the connection without an answer. */
  readonly reset?: boolean;
  /** Leave out the `Date` header node's server adds to every answer. @default true */
  readonly sendDate?: boolean;
}

export type Handler = (req: RecordedRequest, index: number) => Reply | Promise<Reply>;

export const TEST_SECRET_ID = 'AKIDtestTESTtest0000000000000000test';
export const TEST_SECRET_KEY = 'testKEYtestKEYtestKEYtestKEY0000';

export interface FakeDtsOptions {
  /** When set, requests whose TC3 signature does not verify get AuthFailure.SignatureFailure. */
  readonly secretKey?: string;
}

let requestCounter = 0;
export function requestId(): string {
  return `fake-${process.pid}-${++requestCounter}`;
}

export function apiError(code: string, message = `${code} from the fake`): Reply {
  return { body: { Response: { Error: { Code: code, Message: message }, RequestId: requestId() } } };
}

export function ok(response: Record<string, unknown>): Reply {
  return { body: { Response: { ...response, RequestId: requestId() } } };
}

const STEP_NAMES = ['检查参数', '检查源实例', '检查目标实例', '检查实例状态', '检查实例规格', '检查实例版本', '检查目标实例是否为空', '检查是否开启加密', '检查实例同步的库表信息', '检查实例冷备数据'];

/** A 2018-03-30 answer: `failAt` makes that step (1-based) fail; `running` leaves steps after `doneSteps` without a code. */
export interface Answer2018Options {
  status?: string;
  checkFlag?: number;
  errorCode?: number;
  failAt?: number;
  failMessage?: string;
  doneSteps?: number;
}

export function answer2018(opts: Answer2018Options = {}): Reply {
  const status = opts.status ?? 'finished';
  const done = opts.doneSteps ?? STEP_NAMES.length;
  return ok({
    Status: status,
    ErrorCode: opts.errorCode ?? 0,
    ErrorMessage: opts.failAt ? '灾备检查失败' : '灾备检查成功',
    CheckFlag: opts.checkFlag ?? (opts.failAt || status !== 'finished' ? 0 : 1),
    StepInfo: STEP_NAMES.slice(0, done).map((name, i) => ({
      StepNo: i + 1,
      StepName: name,
      StepCode: opts.failAt === i + 1 ? 1 : 0,
      StepMessage: opts.failAt === i + 1 ? (opts.failMessage ?? '校验失败') : '校验成功',
    })),
  });
}

/** A 2021-12-06 answer. */
export function answer2021(opts: { status?: string; failAt?: number; stepCur?: number; progress?: number } = {}): Reply {
  const status = opts.status ?? 'success';
  const steps = ['ConnectDBCheck', 'VersionCheck', 'TargetEmptyCheck'];
  return ok({
    Status: status,
    StepCount: steps.length,
    StepCur: opts.stepCur ?? steps.length,
    Progress: opts.progress ?? (status === 'success' || status === 'failed' ? 100 : 30),
    StepInfos: steps.map((id, i) => ({
      StepNo: i + 1,
      StepName: `step ${id}`,
      StepId: id,
      Status: opts.failAt === i + 1 ? 'failed' : status === 'running' && i + 1 >= (opts.stepCur ?? 1) ? 'running' : 'finished',
      Errors: opts.failAt === i + 1 ? [{ Code: 'E1', Message: 'target is not empty', Solution: 'empty it', HelpDoc: 'https://example.invalid/doc' }] : null,
      Warnings: null,
      Progress: -1,
    })),
  });
}

export class FakeDts {
  public static async start(handler: Handler = () => answer2018(), options: FakeDtsOptions = {}): Promise<FakeDts> {
    const fake = new FakeDts(handler, options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  public readonly requests: RecordedRequest[] = [];
  /** TCP connections accepted so far. */
  public connections = 0;
  public handler: Handler;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly options: FakeDtsOptions;

  private constructor(handler: Handler, options: FakeDtsOptions) {
    this.handler = handler;
    this.options = options;
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const rec: RecordedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
          json,
          receivedAt: Date.now(),
          action: req.headers['x-tc-action'] as string | undefined,
          version: req.headers['x-tc-version'] as string | undefined,
        };
        const index = this.requests.push(rec) - 1;
        void this.answer(rec, index, res);
      });
    });
    this.server.on('connection', (s) => {
      this.connections++;
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  public get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  public get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  public get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  public async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(rec: RecordedRequest, index: number, res: ServerResponse): Promise<void> {
    let reply: Reply;
    const signatureProblem = this.options.secretKey ? verify(rec, this.options.secretKey) : undefined;
    if (signatureProblem) {
      reply = apiError('AuthFailure.SignatureFailure', signatureProblem);
    } else {
      try {
        reply = await this.handler(rec, index);
      } catch (e) {
        reply = { status: 500, body: `handler failed: ${(e as Error).message}` };
      }
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.stall) return;
    if (reply.reset) {
      res.socket?.destroy();
      return;
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    const type = typeof reply.body === 'string' ? 'text/plain' : 'application/json';
    if (reply.sendDate === false) res.sendDate = false;
    res.writeHead(reply.status ?? 200, { 'content-type': type, ...reply.headers });
    res.end(text);
  }
}

/** Recompute the signature from what arrived, with the scope the client claimed. */
function verify(rec: RecordedRequest, secretKey: string): string | undefined {
  const auth = String(rec.headers.authorization ?? '');
  const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return `unparseable Authorization header ${JSON.stringify(auth)}`;
  const [, secretId, , service, signedHeaders, signature] = m;
  const action = signedHeaders.includes('x-tc-action') ? String(rec.headers['x-tc-action']) : undefined;
  const expected = signTc3({
    method: rec.method,
    headers: { 'content-type': String(rec.headers['content-type']), 'host': String(rec.headers.host), ...(action ? { 'x-tc-action': action } : {}) },
    body: rec.body,
    timestamp: Number(rec.headers['x-tc-timestamp']),
    service,
    secretId,
    secretKey,
  });
  return expected.signature === signature ? undefined : `signature mismatch (expected ${expected.signature})`;
}

/** A tiny HTTP CONNECT proxy on 127.0.0.1 that tunnels to loopback only and records each target. */
export class ConnectProxy {
  public static async start(): Promise<ConnectProxy> {
    const proxy = new ConnectProxy();
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  public readonly targets: string[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  private constructor() {
    this.server = createServer((_req, res) => {
      res.writeHead(405).end();
    });
    this.server.on('connect', (req, client: Socket, head: Buffer) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      const target = req.url ?? '';
      this.targets.push(target);
      const [host, port] = target.split(':');
      if (host !== '127.0.0.1') {
        client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
