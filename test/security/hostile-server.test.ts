/**
 * A hostile or broken server: redirects to another host, answers over the size cap (even ones
 * that would pass), compressed bodies, prototype tricks, HTML and non-JSON answers. The client,
 * the check CLI and the gate must refuse each with a clear error and never report "passed".
 * The redirect and oversize cases use a tiny server written here; the rest use emulator faults.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { DtsClient } from '../../src/dts/client';
import { DtsError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { ApiVersion } from '../../src/dts/types';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { ProcessResult, runProcess } from '../support/run-process';
import { scriptFor } from '../support/scripts';
import { tempDir } from '../support/temp';

const CREDS = { secretId: 'AKIDHOSTILESERVER1', secretKey: 'hostile-server-secret-key-1' };
const home = tempDir('dts-hostile-server-home-');

/** A 2018-03-30 answer that would pass. */
function passingAnswer(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    Response: {
      Status: 'finished',
      ErrorCode: 0,
      ErrorMessage: '',
      CheckFlag: 1,
      RequestId: 'hostile-request-id-0001',
      StepInfo: [{ StepNo: 1, StepName: '检查参数', StepCode: 0, StepMessage: '校验成功' }],
      ...extra,
    },
  });
}

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

/** Each path of the hostile server is a behaviour, chosen by the job id's last two characters. */
const BEHAVIOURS: Record<string, Behaviour> = {
  // Redirects to the "elsewhere" server, which must never see a request.
  r1: (_q, res) => res.writeHead(302, { Location: `${elsewhereUrl}/` }).end(),
  r2: (_q, res) => res.writeHead(307, { Location: `${elsewhereUrl}/` }).end(),
  r3: (_q, res) => res.writeHead(308, { Location: `${elsewhereUrl}/steal` }).end(),
  r4: (_q, res) => res.writeHead(301, { Location: 'https://dts.tencentcloudapi.com.evil.example/' }).end(),
  // A passing answer padded past the 1 MiB cap: declared, and streamed without a length.
  o1: (_q, res) => {
    const body = passingAnswer({ Padding: 'x'.repeat(1_200_000) });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
  },
  o2: (_q, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(passingAnswer({ Padding: '' }).slice(0, -2));
    let sent = 0;
    const chunk = `,"More":"${'y'.repeat(64 * 1024)}"`;
    const pump = () => {
      while (sent < 4_000_000 && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end('}}');
    };
    pump();
  },
  // A gzip body the client never asked for: it must not be inflated (no decompression bomb), nor read as an answer.
  gz: (_q, res) => res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).end(gzipSync(passingAnswer())),
  // The pass fields only under __proto__: JSON.parse makes it an own key, and the answer lacks Status.
  pr: (_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(
    '{"Response":{"RequestId":"hostile-proto","__proto__":{"Status":"finished","CheckFlag":1,"ErrorCode":0}}}'),
  // A captive portal's login page.
  cp: (_q, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body><form>Log in to the Wi-Fi</form></body></html>'),
};

const hostileJob = (key: string) => `sync-hostil${key}`;

let hostile: Server;
let elsewhere: Server;
let hostileUrl: string;
let elsewhereUrl: string;
let elsewhereHits = 0;
let emulator: RunningEmulator;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  elsewhere = createServer((_q, res) => {
    elsewhereHits++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(passingAnswer());
  });
  elsewhereUrl = await listen(elsewhere);
  hostile = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const jobId = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { JobId?: string }).JobId);
      (BEHAVIOURS[jobId.slice(-2)] ?? ((_q: IncomingMessage, r: ServerResponse) => r.writeHead(404).end()))(req, res);
    });
  });
  hostileUrl = await listen(hostile);
  emulator = await startEmulator({
    credentials: [CREDS],
    rateLimitPerSecond: 0,
    jobs: [
      { jobId: 'sync-garbled1', region: 'ap-guangzhou', faults: [{ kind: 'garbledJson' }] },
      { jobId: 'sync-truncat1', region: 'ap-guangzhou', faults: [{ kind: 'truncatedJson' }] },
      { jobId: 'sync-gateway1', region: 'ap-guangzhou', faults: [{ kind: 'http502' }] },
    ],
  });
});

afterAll(async () => {
  await closeConnections();
  hostile.closeAllConnections();
  elsewhere.closeAllConnections();
  await Promise.all([
    new Promise((r) => hostile.close(r)),
    new Promise((r) => elsewhere.close(r)),
    emulator.close(),
  ]);
});

async function clientError(endpoint: string, jobId: string): Promise<DtsError> {
  const client = new DtsClient({
    region: 'ap-guangzhou', endpoint, credentials: CREDS, apiVersion: ApiVersion.V2018_03_30, maxAttempts: 2, attemptTimeoutSeconds: 5,
  });
  try {
    const report = await client.describeSyncCheck(jobId);
    throw new Error(`expected a refusal, got a report (passed=${report.passed})`);
  } catch (e) {
    if (!(e instanceof DtsError)) throw e;
    return e;
  }
}


function script(args: string[], env: Record<string, string> = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [scriptFor(args[0]), ...args], {
    env: { PATH: process.env.PATH, HOME: home, TENCENTCLOUD_SECRET_ID: CREDS.secretId, TENCENTCLOUD_SECRET_KEY: CREDS.secretKey, ...env },
    timeoutMs: 30_000,
  });
}

const CASES: ReadonlyArray<readonly [string, () => string, string, string, RegExp]> = [
  ['a 302 redirect to another local server', () => hostileUrl, hostileJob('r1'), 'RedirectRefused', /redirect \(HTTP 302\) to host 127\.0\.0\.1:\d+; redirects are refused/],
  ['a 307 redirect that would resend the signed body', () => hostileUrl, hostileJob('r2'), 'RedirectRefused', /HTTP 307/],
  ['a 308 redirect to another path', () => hostileUrl, hostileJob('r3'), 'RedirectRefused', /HTTP 308/],
  ['a 301 redirect to a lookalike host', () => hostileUrl, hostileJob('r4'), 'RedirectRefused', /to host dts\.tencentcloudapi\.com\.evil\.example/],
  ['a passing answer over the size cap, declared', () => hostileUrl, hostileJob('o1'), 'ResponseTooLarge', /larger than the 1048576 bytes allowed \(Content-Length \d+\)/],
  ['a passing answer over the size cap, streamed without a length', () => hostileUrl, hostileJob('o2'), 'ResponseTooLarge', /larger than the 1048576 bytes allowed/],
  ['a gzip body nobody asked for', () => hostileUrl, hostileJob('gz'), 'MalformedJson', /JSON that does not parse/],
  ['pass fields hidden under __proto__', () => hostileUrl, hostileJob('pr'), 'MalformedResponse', /Status must be a string/],
  ['a captive portal page', () => hostileUrl, hostileJob('cp'), 'NonJsonResponse', /with an HTML page \(text\/html\) instead of a JSON API answer; a proxy or captive portal may be in the way/],
  ['garbled JSON', () => emulator.url, 'sync-garbled1', 'MalformedJson', /JSON that does not parse/],
  ['truncated JSON', () => emulator.url, 'sync-truncat1', 'MalformedJson', /JSON that does not parse/],
  ['a gateway error page', () => emulator.url, 'sync-gateway1', 'HttpServerError', /answered HTTP 502 with an HTML page/],
];

describe('the client refuses hostile answers', () => {
  test.each(CASES)('%s: refused with a clear error, never passed', async (_what, endpoint, jobId, code, message) => {
    const before = elsewhereHits;
    const err = await clientError(endpoint(), jobId);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.describe()).toContain(`code ${code}`);
    expect(elsewhereHits).toBe(before);
  });
});

describe('the check CLI and the gate refuse them too, with exit 4', () => {
  test.each(CASES)('%s', async (_what, endpoint, jobId, code) => {
    const before = elsewhereHits;
    const check = await script(['check', '--job-id', jobId, '--region', 'ap-guangzhou', '--endpoint', endpoint(), '--api-version', '2018-03-30', '--output', 'json']);
    expect(check.status).toBe(4);
    expect(JSON.parse(check.stdout).error.code).toBe(code);
    expect(check.stderr).toMatch(/could not be read, so it is treated as not passed/);
    const gate = await script(['gate'], {
      DTS_SYNC_CHECK_JOB_ID: jobId,
      DTS_SYNC_CHECK_REGION: 'ap-guangzhou',
      DTS_SYNC_CHECK_API_VERSION: '2018-03-30',
      DTS_SYNC_CHECK_ENDPOINT: endpoint(),
      DTS_SYNC_CHECK_ATTEMPT_TIMEOUT_SECONDS: '2',
      DTS_SYNC_CHECK_WAIT_TIMEOUT_SECONDS: '2',
      DTS_SYNC_CHECK_POLL_INTERVAL_SECONDS: '1',
    });
    expect(gate.status).toBe(4);
    expect(gate.stderr).toContain(`code ${code}`);
    expect(gate.stdout).not.toMatch(/passed \(request id/);
    expect(elsewhereHits).toBe(before);
  });
});
