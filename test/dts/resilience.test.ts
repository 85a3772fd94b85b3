import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { DtsClient, DtsClientOptions } from '../../src/dts/client';
import { DEADLINE_MARGIN_MS } from '../../src/dts/deadline';
import {
  DtsApiError,
  DtsCredentialsError,
  DtsError,
  DtsInputError,
  DtsMalformedResponseError,
  DtsNetworkError,
  DtsTimeoutError,
} from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { isRetryableCode, RETRYABLE_CODES } from '../../src/dts/retry';
import { answer2018, apiError, FakeDts, ok, Reply, TEST_SECRET_ID, TEST_SECRET_KEY } from '../support/fake-dts';
import { expectWithinRule, SLACK_MS } from '../support/time';

const JOB = 'sync-blj8wnt1';
const CANARY = 'CANARY-do-not-leak-9d1e0b';
let fake: FakeDts;

function client(options: DtsClientOptions = {}, server: FakeDts = fake): DtsClient {
  return new DtsClient({
    region: 'ap-guangzhou',
    endpoint: server.endpoint,
    credentials: { secretId: TEST_SECRET_ID, secretKey: TEST_SECRET_KEY },
    requestsPerSecond: 1000,
    ...options,
  });
}

/** Answer the scripted replies in order, then the documented passing answer. */
function script(...replies: Reply[]): void {
  fake.handler = (_req, i) => replies[i] ?? answer2018();
}

beforeAll(async () => {
  fake = await FakeDts.start();
});

afterAll(async () => {
  await closeConnections();
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.handler = () => answer2018();
});

describe('retries', () => {
  test('RETRYABLE_CODES decides, prefixes included', () => {
    expect(RETRYABLE_CODES).toEqual(expect.arrayContaining(['RequestLimitExceeded', 'InternalError', 'ServiceUnavailable', 'ResourceUnavailable']));
    expect(isRetryableCode('RequestLimitExceeded.GlobalRegionUinLimitExceeded')).toBe(true);
    expect(isRetryableCode('InternalError.DatabaseError')).toBe(true);
    expect(isRetryableCode('InternalErrorX')).toBe(false);
    expect(isRetryableCode('AuthFailure.SignatureExpire')).toBe(false);
  });

  test.each([
    ['an HTTP 502 HTML page', { status: 502, body: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } }],
    ['an HTTP 503 with JSON', { status: 503, body: { message: 'busy' } }],
    ['a connection reset', { reset: true }],
    ['RequestLimitExceeded', apiError('RequestLimitExceeded')],
    ['RequestLimitExceeded.UinLimitExceeded', apiError('RequestLimitExceeded.UinLimitExceeded')],
    ['InternalError.DatabaseError', apiError('InternalError.DatabaseError')],
    ['ServiceUnavailable', apiError('ServiceUnavailable')],
    ['ResourceUnavailable', apiError('ResourceUnavailable')],
  ])('%s is retried and the second attempt succeeds', async (_what, reply) => {
    script(reply as Reply);
    const report = await client().describeSyncCheck(JOB);
    expect(report.passed).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });

  test.each([
    'AuthFailure.SignatureFailure',
    'AuthFailure.SecretIdNotFound',
    'AuthFailure.TokenFailure',
    'UnauthorizedOperation',
    'InvalidParameter',
    'InvalidParameterValue',
    'MissingParameter',
    'ResourceNotFound.JobNotExist',
    'UnsupportedRegion',
    'FailedOperation.NotAllowOperation',
  ])('%s is not retried', async (code) => {
    script(apiError(code, `message of ${code}`));
    const err = await client().describeSyncCheck(JOB).catch((e) => e);
    expect(err).toBeInstanceOf(DtsApiError);
    expect(err).toMatchObject({ code, retryable: false, attempts: 1 });
    expect(err.message).toBe(`DescribeSyncCheckJob failed: ${code}: message of ${code}`);
    expect(fake.requests).toHaveLength(1);
  });

  test('gives up after maxAttempts, reporting the attempts and the last HTTP status', async () => {
    fake.handler = () => ({ status: 503, body: '<html>down</html>', headers: { 'content-type': 'text/html' } });
    const err = await client({ maxAttempts: 3 }).describeSyncCheck(JOB).catch((e) => e);
    expect(err).toBeInstanceOf(DtsNetworkError);
    expect(err).toMatchObject({ code: 'HttpServerError', httpStatus: 503, attempts: 3, retryable: true });
    expect(err.describe()).toMatch(/after 3 attempts/);
    expect(fake.requests).toHaveLength(3);
  });

  test('backoff never sleeps past the deadline: a call that keeps failing ends as a timeout within it', async () => {
    fake.handler = () => apiError('InternalError');
    // The jitter at its top: backoffs of 249, 499, 999, 1998, 3996 ms. No pause may reach past the
    // 4.5 s deadline (each is cut to half the time left), so the call ends by it; a backoff that
    // slept its full length would end at 7.7 s or later, beyond the deadline plus the room for a
    // busy machine (timers never fire early).
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.999);
    try {
      const started = Date.now();
      const err = await client({ maxAttempts: 20, deadlineSeconds: 4.5 }).describeSyncCheck(JOB).catch((e) => e);
      const elapsed = Date.now() - started;
      expect(err).toBeInstanceOf(DtsTimeoutError);
      expect(err.code).toBe('DeadlineExceeded');
      expect(err.message).toMatch(/^DescribeSyncCheckJob got no usable answer within the lookup's deadline of 4\.5 s \(deadlineSeconds\), after \d+ attempts; last error: DescribeSyncCheckJob failed: InternalError/);
      expectWithinRule(elapsed, 4_500 + DEADLINE_MARGIN_MS, SLACK_MS.inProcess, 'the failing call');
    } finally {
      random.mockRestore();
    }
  });
});

describe('timeouts', () => {
  test('an attempt that gets no answer times out after attemptTimeoutSeconds', async () => {
    fake.handler = () => ({ stall: true });
    const started = Date.now();
    // Without the attempt timeout the call would wait for its 30 s deadline.
    const err = await client({ attemptTimeoutSeconds: 0.2, maxAttempts: 1, deadlineSeconds: 30 }).describeSyncCheck(JOB).catch((e) => e);
    expect(err).toBeInstanceOf(DtsTimeoutError);
    expect(err).toMatchObject({ code: 'AttemptTimeout', attempts: 1 });
    expect(err.message).toMatch(/no complete answer from 127\.0\.0\.1:\d+ within 0\.2 s/);
    expectWithinRule(Date.now() - started, 200, SLACK_MS.inProcess, 'the stalled attempt');
  });

  test('a stalling server ends in DtsTimeoutError within the deadline plus a small slack', async () => {
    fake.handler = () => ({ stall: true });
    const started = Date.now();
    // Ten stalled attempts of 1 s would take 10 s and more: only the 2.5 s deadline ends the call sooner.
    const err = await client({ attemptTimeoutSeconds: 1, deadlineSeconds: 2.5, maxAttempts: 10 }).describeSyncCheck(JOB).catch((e) => e);
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(DtsTimeoutError);
    expect(err.code).toBe('DeadlineExceeded');
    expect(elapsed).toBeGreaterThanOrEqual(1_000); // the first attempt waited its whole timeout
    expectWithinRule(elapsed, 2_500, SLACK_MS.inProcess, 'the stalled call');
    expect(fake.requests.length).toBeGreaterThanOrEqual(2);
  });
});

describe('clock skew', () => {
  let skewed: FakeDts;
  const SKEW_S = 600;

  beforeAll(async () => {
    // A server whose clock runs 10 minutes ahead of ours, enforcing the API's 5-minute window.
    skewed = await FakeDts.start((req) => {
      const serverNow = Date.now() + SKEW_S * 1000;
      const date = new Date(serverNow).toUTCString();
      if (Math.abs(Number(req.headers['x-tc-timestamp']) * 1000 - serverNow) > 300_000) {
        return { ...apiError('AuthFailure.SignatureExpire', 'signature expired'), headers: { date } };
      }
      return { ...answer2018(), headers: { date } };
    });
  });

  afterAll(async () => {
    await skewed.close();
  });

  test('AuthFailure.SignatureExpire is retried once with the timestamp corrected from the Date header', async () => {
    const report = await client({ maxAttempts: 1 }, skewed).describeSyncCheck(JOB);
    expect(report.passed).toBe(true);
    expect(skewed.requests).toHaveLength(2);
    const [first, second] = skewed.requests.map((r) => Number(r.headers['x-tc-timestamp']));
    // Corrected by the skew: not left as is (0), not corrected twice (1200); the room covers the
    // Date header's 1 s resolution and a busy machine between the two requests.
    const room = SLACK_MS.childProcess / 1000;
    expect(second - first).toBeGreaterThanOrEqual(SKEW_S - room);
    expect(second - first).toBeLessThanOrEqual(SKEW_S + room);
  });

  test('when the corrected retry fails too, the error reports the measured skew', async () => {
    const before = skewed.requests.length;
    skewed.handler = () => ({ ...apiError('AuthFailure.SignatureExpire', 'signature expired'), headers: { date: new Date(Date.now() + SKEW_S * 1000).toUTCString() } });
    const err = await client({}, skewed).describeSyncCheck(JOB).catch((e) => e);
    expect(err).toBeInstanceOf(DtsApiError);
    expect(err.code).toBe('AuthFailure.SignatureExpire');
    expect(err.message).toMatch(/this machine's clock is about (59\d|60\d) s behind the server's, measured from its Date header/);
    expect(skewed.requests.length - before).toBe(2);
  });
});

describe('every failure is a typed error with context, and never shows a secret', () => {
  const canaryOptions: DtsClientOptions = { credentials: { secretId: TEST_SECRET_ID, secretKey: CANARY, sessionToken: `${CANARY}-token` }, maxAttempts: 2 };

  function assertNoCanary(err: DtsError): void {
    const views = [err.message, err.describe(), String(err), JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }), err.stack ?? ''];
    for (const view of views) expect(view).not.toContain(CANARY);
  }

  test.each<[string, Reply | undefined, DtsClientOptions, new (...a: any[]) => DtsError]>([
    ['an API error', apiError('ResourceNotFound.JobNotExist'), {}, DtsApiError],
    ['a network error', { status: 500, body: '<html></html>' }, {}, DtsNetworkError],
    ['a timeout', { stall: true }, { attemptTimeoutSeconds: 0.1, deadlineSeconds: 0.3 }, DtsTimeoutError],
    ['a malformed answer', ok({ Status: 'weird', ErrorCode: 0, CheckFlag: 0 }), {}, DtsMalformedResponseError],
  ])('%s carries code, action, region, job id and attempts', async (_what, reply, options, cls) => {
    fake.handler = () => reply ?? answer2018();
    const err = await client({ ...canaryOptions, ...options }).describeSyncCheck(JOB).catch((e) => e);
    expect(err).toBeInstanceOf(cls);
    expect(err).toMatchObject({ action: 'DescribeSyncCheckJob', region: 'ap-guangzhou', jobId: JOB });
    expect(typeof err.code).toBe('string');
    expect(typeof err.retryable).toBe('boolean');
    expect(err.attempts).toBeGreaterThanOrEqual(1);
    assertNoCanary(err);
  });

  test('an input error names what was wrong and shows no secret', async () => {
    const err = await client(canaryOptions).describeSyncCheck(`sync-${CANARY}`).catch((e) => e);
    expect(err).toBeInstanceOf(DtsInputError);
    expect(err.code).toBe('InvalidJobId');
  });

  test('missing credentials are a DtsCredentialsError with context, and nothing is sent', async () => {
    const saved = { ...process.env };
    const home = mkdtempSync(join(tmpdir(), 'dts-nocred-'));
    try {
      for (const k of Object.keys(process.env)) if (k.startsWith('TENCENTCLOUD_')) delete process.env[k];
      process.env.HOME = home;
      const err = await new DtsClient({ region: 'ap-guangzhou', endpoint: fake.endpoint }).describeSyncCheck(JOB).catch((e) => e);
      expect(err).toBeInstanceOf(DtsCredentialsError);
      expect(err).toMatchObject({ code: 'NoCredentials', region: 'ap-guangzhou', jobId: JOB, action: 'DescribeSyncCheckJob' });
      expect(err.message).toContain(join(home, '.tencentcloud', 'credentials'));
      expect(fake.requests).toHaveLength(0);
    } finally {
      process.env = saved;
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('credentials from the environment sign the request, with TENCENTCLOUD_TOKEN sent as X-TC-Token', async () => {
    const saved = { ...process.env };
    try {
      process.env.TENCENTCLOUD_SECRET_ID = TEST_SECRET_ID;
      process.env.TENCENTCLOUD_SECRET_KEY = CANARY;
      process.env.TENCENTCLOUD_TOKEN = 'alias-token';
      delete process.env.TENCENTCLOUD_SESSION_TOKEN;
      await new DtsClient({ region: 'ap-guangzhou', endpoint: fake.endpoint }).describeSyncCheck(JOB);
      expect(fake.requests[0].headers['x-tc-token']).toBe('alias-token');
    } finally {
      process.env = saved;
    }
  });

  test('the secret key never travels: not in any header or body the server received', async () => {
    fake.handler = () => apiError('InternalError');
    await client(canaryOptions).describeSyncCheck(JOB).catch(() => undefined);
    expect(fake.requests.length).toBeGreaterThan(0);
    for (const r of fake.requests) {
      const { ['x-tc-token']: token, ...rest } = r.headers;
      expect(token).toBe(`${CANARY}-token`); // the session token must be sent; the key never
      expect(JSON.stringify(rest)).not.toContain(CANARY);
      expect(r.body).not.toContain(CANARY);
    }
  });

  test('a client shows no secret through JSON or inspect', () => {
    const c = client(canaryOptions);
    expect(JSON.stringify(c)).not.toContain(CANARY);
    expect(inspect(c, { depth: 10, showHidden: true })).not.toContain(CANARY);
  });
});
