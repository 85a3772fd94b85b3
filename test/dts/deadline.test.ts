/**
 * The one-deadline rule, in virtual time: requests go over real HTTP to a fake on 127.0.0.1, but
 * every wait, pause and deadline reads a VirtualClock, so each decision is exact and the machine's
 * speed does not enter. A "slow" server moves the clock forward by hand.
 */
import { describeSyncCheck, waitForSyncCheck } from '../../src/dts/check';
import type { DtsClientOptions } from '../../src/dts/client-options';
import { forgetLearnedVersions } from '../../src/dts/endpoints';
import { DtsTimeoutError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { buildSettings, ClientSettings } from '../../src/dts/options';
import { BACKOFF_BASE_MS } from '../../src/dts/retry';
import { ApiVersion, CheckPhase } from '../../src/dts/types';
import { answer2018, answer2021, apiError, FakeDts, Reply } from '../support/fake-dts';
import { VirtualClock } from '../support/time';

const JOB = 'sync-blj8wnt1';
let fake: FakeDts;
let clock: VirtualClock;
let t0: number;
/** Virtual ms since the start of the test at which each request arrived. */
let seen: Array<{ at: number; version?: string }>;
let keys = 0;

/** Settings on the virtual clock, with a SecretId of its own so each test has a fresh rate limiter. */
function settings(options: DtsClientOptions = {}): ClientSettings {
  return buildSettings({
    region: 'ap-guangzhou',
    endpoint: fake.endpoint,
    credentials: { secretId: `AKIDdeadline${++keys}`, secretKey: 'deadline-test-key' },
    requestsPerSecond: 1000,
    ...options,
  }, {}, { clock });
}

/** Answer with `reply(request index, version)`, recording when (virtual) each request came. */
function serve(reply: (i: number, version: string | undefined) => Reply): void {
  fake.handler = (req, i) => {
    seen.push({ at: clock.now() - t0, version: req.version });
    return reply(i, req.version);
  };
}

const elapsed = () => clock.now() - t0;
const running2021 = () => answer2021({ status: 'running', stepCur: 2, progress: 40 });

beforeAll(async () => {
  fake = await FakeDts.start();
});

afterAll(async () => {
  await closeConnections();
  await fake.close();
});

beforeEach(() => {
  clock = new VirtualClock();
  t0 = clock.now();
  seen = [];
  fake.requests.length = 0; // the handler's request index counts from here
  forgetLearnedVersions();
});

describe('AUTO over both families shares the lookup\'s one deadline', () => {
  test('a 2021 job found by the fallback is waited for within timeout + one poll interval, and the fallback is paid once', async () => {
    serve((_i, version) => (version === '2018-03-30' ? apiError('ResourceNotFound.JobNotExist') : running2021()));
    const report = await waitForSyncCheck(settings(), JOB, { timeoutSeconds: 6, pollIntervalSeconds: 1 });
    expect(report).toMatchObject({ apiVersion: '2021-12-06', action: 'DescribeCheckSyncJobResult', phase: CheckPhase.RUNNING, passed: false });
    expect(report.reason).toBe('check is still running (step 2 of 3, 40%), and the wait of 6 s ran out');
    expect(elapsed()).toBeLessThanOrEqual(7_000);
    // Looks at 0..6 s; the 2018 action is asked once, at the first look.
    expect(seen.filter((r) => r.version === '2018-03-30').map((r) => r.at)).toEqual([0]);
    expect(seen.filter((r) => r.version === '2021-12-06').map((r) => r.at)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000]);
  });

  test('time the 2018 action spent retrying is taken from the same deadline the 2021 action gets', async () => {
    // 2018 fails retryably for a while, then does not know the job; 2021 then keeps failing
    // retryably. A fresh deadline for the fallback would let the call run to twice the deadline.
    serve((i, version) => {
      if (version === '2018-03-30') return i < 3 ? apiError('InternalError') : apiError('ResourceNotFound.JobNotExist');
      return apiError('InternalError');
    });
    const err = await describeSyncCheck(settings({ maxAttempts: 20, deadlineSeconds: 10 }), JOB).catch((e) => e);
    expect(err).toBeInstanceOf(DtsTimeoutError);
    expect(err.code).toBe('DeadlineExceeded');
    expect(err.action).toBe('DescribeCheckSyncJobResult');
    expect(err.message).toMatch(/^DescribeCheckSyncJobResult got no usable answer within the lookup's deadline of 10 s \(deadlineSeconds\), after \d+ attempts; last error: .*InternalError/);
    expect(elapsed()).toBeLessThanOrEqual(10_000);
    expect(seen.every((r) => r.at < 10_000)).toBe(true);
  });

  test('a pinned version never falls back, whatever its action answers', async () => {
    for (const [version, code] of [[ApiVersion.V2018_03_30, 'ResourceNotFound.JobNotExist'], [ApiVersion.V2018_03_30, 'ActionOffline'], [ApiVersion.V2021_12_06, 'ResourceNotFound.ResourceNotFoundError']] as const) {
      seen = [];
      fake.requests.length = 0;
      serve(() => apiError(code));
      await expect(describeSyncCheck(settings({ apiVersion: version }), JOB)).rejects.toMatchObject({ code });
      expect(seen.map((r) => r.version)).toEqual([version]);
    }
  });
});

describe('throttling is retried for as long as the deadline allows', () => {
  test('RequestLimitExceeded does not count against maxAttempts: eight throttled answers, then the report', async () => {
    serve((i) => (i < 8 ? apiError('RequestLimitExceeded.UinLimitExceeded') : answer2018()));
    const report = await describeSyncCheck(settings({ maxAttempts: 2, deadlineSeconds: 600 }), JOB);
    expect(report.passed).toBe(true);
    expect(seen).toHaveLength(9);
  });

  test('HTTP 429 is throttling too', async () => {
    serve((i) => (i < 4 ? { status: 429, body: 'slow down' } : answer2018()));
    expect((await describeSyncCheck(settings({ maxAttempts: 1, deadlineSeconds: 600 }), JOB)).passed).toBe(true);
    expect(seen).toHaveLength(5);
  });

  test('pauses grow with jitter, never beyond the backoff ceiling nor half the time left, until too little is left to try', async () => {
    serve(() => apiError('RequestLimitExceeded'));
    const err = await describeSyncCheck(settings({ maxAttempts: 2, deadlineSeconds: 30 }), JOB).catch((e) => e);
    expect(err).toMatchObject({ code: 'DeadlineExceeded', retryable: true });
    expect(err.attempts).toBe(seen.length);
    expect(err.attempts).toBeGreaterThan(2);
    expect(err.message).toMatch(/after \d+ attempts; last error: DescribeSyncCheckJob failed: RequestLimitExceeded/);
    expect(elapsed()).toBeLessThanOrEqual(30_000);
    for (let k = 1; k < seen.length; k++) {
      const pause = seen[k].at - seen[k - 1].at;
      expect(pause).toBeLessThan(Math.min(BACKOFF_BASE_MS * 2 ** (k - 1), 8_000) + 1);
      expect(pause).toBeLessThanOrEqual((30_000 - seen[k - 1].at) / 2);
    }
    // It stopped only when less than 100 ms (two minimal rooms) were left.
    expect(30_000 - seen[seen.length - 1].at).toBeLessThan(100 + 8_000);
  });

  test('other retryable errors keep maxAttempts', async () => {
    serve(() => apiError('ServiceUnavailable'));
    const err = await describeSyncCheck(settings({ maxAttempts: 3, deadlineSeconds: 600 }), JOB).catch((e) => e);
    expect(err).toMatchObject({ code: 'ServiceUnavailable', attempts: 3 });
    expect(seen).toHaveLength(3);
  });

  test('throttled answers between other failures do not use up the attempts of those', async () => {
    const script = ['InternalError', 'RequestLimitExceeded', 'RequestLimitExceeded', 'InternalError', 'RequestLimitExceeded'];
    serve((i) => (i < script.length ? apiError(script[i]) : answer2018()));
    expect((await describeSyncCheck(settings({ maxAttempts: 3, deadlineSeconds: 600 }), JOB)).passed).toBe(true);
    expect(seen).toHaveLength(6);
  });
});

describe('when time runs out, the verdict is "not finished" with the last status seen', () => {
  test('a wait whose later looks are throttled until the end answers the last status, not an API error', async () => {
    serve((i) => (i === 0 ? running2021() : apiError('RequestLimitExceeded')));
    const report = await waitForSyncCheck(settings({ apiVersion: ApiVersion.V2021_12_06 }), JOB, { timeoutSeconds: 20, pollIntervalSeconds: 5 });
    expect(report).toMatchObject({ phase: CheckPhase.RUNNING, passed: false });
    expect(report.reason).toMatch(/, and the wait of 20 s ran out$/);
    expect(elapsed()).toBeLessThanOrEqual(25_000);
    expect(seen.every((r) => r.at < 25_000)).toBe(true);
  });

  test('a service that gets slower than the poll interval cannot push the wait past its end', async () => {
    // Every answer takes 3 virtual seconds (the fake moves the clock); the poll interval is 0.05 s.
    serve((i) => {
      clock.advance(3_000);
      return i < 100 ? running2021() : answer2021();
    });
    const report = await waitForSyncCheck(settings({ apiVersion: ApiVersion.V2021_12_06 }), JOB, { timeoutSeconds: 10, pollIntervalSeconds: 0.05 });
    expect(report.phase).toBe(CheckPhase.RUNNING);
    expect(report.reason).toMatch(/the wait of 10 s ran out$/);
    // The last look starts before the timeout; no look starts after it.
    expect(seen.every((r) => r.at <= 10_000)).toBe(true);
  });

  test('a deadline reached before any answer is an error naming the whole rule, never "0 attempts" or "0.0 s"', async () => {
    serve(() => apiError('RequestLimitExceeded'));
    const s = settings({ apiVersion: ApiVersion.V2021_12_06 });
    const err = await waitForSyncCheck(s, JOB, { timeoutSeconds: 0.2, pollIntervalSeconds: 0.05 }).catch((e) => e);
    expect(err).toBeInstanceOf(DtsTimeoutError);
    expect(err.message).toMatch(/^DescribeCheckSyncJobResult got no usable answer within the lookup's deadline of 0\.25 s \(a 0\.2 s wait \+ one 0\.05 s poll interval\), after \d+ attempts?; last error: /);
    expect(err.message).not.toMatch(/\b0 attempts|0\.0 s/);
    expect(elapsed()).toBeLessThanOrEqual(250);
  });

  test('a check that finishes while waited for is answered as soon as it is seen finished', async () => {
    serve((i) => (i < 3 ? running2021() : answer2021({ status: 'failed', failAt: 2 })));
    const report = await waitForSyncCheck(settings({ apiVersion: ApiVersion.V2021_12_06 }), JOB, { timeoutSeconds: 300, pollIntervalSeconds: 5 });
    expect(report).toMatchObject({ phase: CheckPhase.FINISHED, passed: false });
    expect(seen.map((r) => r.at)).toEqual([0, 5_000, 10_000, 15_000]);
  });

  test('a look of a long wait that finds no answer within its own deadlineSeconds is an error naming that look\'s deadline', async () => {
    serve((i) => (i === 0 ? running2021() : apiError('InternalError')));
    const s = settings({ apiVersion: ApiVersion.V2021_12_06, deadlineSeconds: 2, maxAttempts: 20 });
    const err = await waitForSyncCheck(s, JOB, { timeoutSeconds: 300, pollIntervalSeconds: 5 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'DeadlineExceeded' });
    expect(err.message).toMatch(/within the look's deadline of 2 s \(deadlineSeconds\), after \d+ attempts; last error: .*InternalError/);
    expect(elapsed()).toBeLessThanOrEqual(5_000 + 2_000);
  });

  test('a non-retryable error while waiting is still an error', async () => {
    serve((i) => (i === 0 ? running2021() : apiError('AuthFailure.SignatureFailure')));
    await expect(waitForSyncCheck(settings({ apiVersion: ApiVersion.V2021_12_06 }), JOB, { timeoutSeconds: 60, pollIntervalSeconds: 1 }))
      .rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure' });
  });
});
