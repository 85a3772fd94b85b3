/**
 * Our DtsClient against the emulator: every lifecycle state, outcome and fault. Retries must
 * recover what is retryable, everything else must be a clear typed error, and nothing may be
 * reported passed that was not.
 */
import { DtsClient, DtsClientOptions } from '../../src/dts/client';
import { DtsApiError, DtsError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { ApiVersion, CheckPhase, StepState, SyncCheckReport } from '../../src/dts/types';
import { EmulatorFaultConfig, EmulatorJobConfig, FaultKind, RunningEmulator, startEmulator } from '../../src/emulator';

const CREDENTIALS = { secretId: 'AKIDEXAMPLE', secretKey: 'SECRETEXAMPLE' };
const KINDS = Object.values(FaultKind);
/** One failing job per fault kind, each with that fault once: sync-cf000000, sync-cf000001, ... */
const faultJob = (kind: FaultKind) => `sync-cf${String(KINDS.indexOf(kind)).padStart(6, '0')}`;
const fault = (kind: FaultKind): EmulatorFaultConfig => ({ kind, times: 1, durationMs: 300, skewSeconds: 900 });

const emulators: RunningEmulator[] = [];
async function emulator(config: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  const e = await startEmulator(config);
  emulators.push(e);
  return e;
}

let builtIn: RunningEmulator;
let faulty: RunningEmulator;

beforeAll(async () => {
  builtIn = await emulator({ rateLimitPerSecond: 0 });
  // The 2018-03-30 family, which AUTO asks first: every lookup is one request, so counts are exact.
  const failing: EmulatorJobConfig[] = KINDS.map((kind) => ({ jobId: faultJob(kind), region: 'ap-guangzhou', family: '2018', outcome: 'failed', faults: [fault(kind)] }));
  faulty = await emulator({
    rateLimitPerSecond: 0,
    jobs: [
      ...failing,
      { jobId: 'sync-down0001', region: 'ap-guangzhou', family: '2018', faults: [{ kind: 'http503' }] },
      { jobId: 'sync-hang0001', region: 'ap-guangzhou', family: '2018', faults: [{ kind: 'stall' }] },
      { jobId: 'sync-resets01', region: 'ap-guangzhou', family: '2018', faults: [{ kind: 'reset', times: 2 }] },
    ],
  });
});

afterAll(async () => {
  await closeConnections();
  await Promise.all(emulators.map((e) => e.close()));
});

function client(e: RunningEmulator, options: DtsClientOptions = {}): DtsClient {
  return new DtsClient({
    region: 'ap-guangzhou',
    endpoint: e.url,
    credentials: CREDENTIALS,
    requestsPerSecond: 500,
    attemptTimeoutSeconds: 2,
    deadlineSeconds: 20,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<DtsError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(DtsError);
    return e as DtsError;
  }
  throw new Error('expected the lookup to fail');
}

function outcomesFor(e: RunningEmulator, jobId: string): string[] {
  return e.requests.filter((r) => r.jobId === jobId).map((r) => r.outcome);
}

describe('outcomes', () => {
  test.each([
    [ApiVersion.AUTO, 'sync-blj8wnt1', '2018-03-30'],
    [ApiVersion.V2018_03_30, 'sync-blj8wnt1', '2018-03-30'],
    [ApiVersion.AUTO, 'sync-pass2021', '2021-12-06'],
    [ApiVersion.V2021_12_06, 'sync-pass2021', '2021-12-06'],
  ])('a passing job passes (%s, %s answered by %s)', async (apiVersion, jobId, answeredBy) => {
    const report = await client(builtIn, { apiVersion }).describeSyncCheck(jobId);
    expect(report).toMatchObject({ passed: true, phase: CheckPhase.FINISHED, failedSteps: [] });
    expect(report.steps).toHaveLength(10);
    expect(report.steps.every((s) => s.state === StepState.PASSED)).toBe(true);
    expect(report.apiVersion).toBe(answeredBy);
  });

  test.each([
    [ApiVersion.V2018_03_30, 'sync-fail0002', 2, '检查源实例', '源实例连接失败'],
    [ApiVersion.V2021_12_06, 'sync-fail0001', 7, '检查目标实例是否为空', '目标实例不为空'],
  ])('a failing job fails at its step, named with its message (%s, %s)', async (apiVersion, jobId, stepNo, name, message) => {
    const report = await client(builtIn, { apiVersion }).describeSyncCheck(jobId);
    expect(report).toMatchObject({ passed: false, phase: CheckPhase.FINISHED });
    expect(report.failedSteps).toEqual([expect.objectContaining({ stepNo, name, message })]);
    expect(report.reason).toContain(`step ${stepNo} (${name}): ${message}`);
    if (apiVersion === ApiVersion.V2021_12_06) {
      expect(report.failedSteps[0].errors[0]).toMatchObject({ code: 'DstInstanceNotEmpty', solution: expect.any(String), helpDoc: expect.stringMatching(/^https:/) });
      expect(report.steps.slice(7).every((s) => s.state === StepState.PENDING)).toBe(true);
    }
  });

  test('a passing check with a warning passes and carries the warning (2021)', async () => {
    const report = await client(builtIn, { apiVersion: ApiVersion.V2021_12_06 }).describeSyncCheck('sync-warn0001');
    expect(report.passed).toBe(true);
    expect(report.steps[7].warnings).toEqual([expect.objectContaining({ message: '源实例未开启 SSL 加密传输' })]);
  });

  test('a finance-region job is read through the emulator endpoint', async () => {
    const report = await client(builtIn, { region: 'ap-shanghai-fsi' }).describeSyncCheck('sync-fsi00001');
    expect(report).toMatchObject({ passed: true, region: 'ap-shanghai-fsi' });
  });
});

describe('job families', () => {
  test('AUTO asks 2018-03-30 first, falls back to 2021-12-06 for a job of today\'s family, and then goes there directly', async () => {
    const e = await emulator({ rateLimitPerSecond: 0, jobs: [{ jobId: 'sync-fam20211', region: 'ap-guangzhou', family: '2021' }] });
    const c = client(e);
    expect(await c.describeSyncCheck('sync-fam20211')).toMatchObject({ apiVersion: '2021-12-06', passed: true });
    expect(await c.describeSyncCheck('sync-fam20211')).toMatchObject({ apiVersion: '2021-12-06', passed: true });
    expect(e.requests.map((r) => `${r.action}:${r.outcome}`)).toEqual([
      'DescribeSyncCheckJob:ResourceNotFound.JobNotExist',
      'DescribeCheckSyncJobResult:Success',
      'DescribeCheckSyncJobResult:Success',
    ]);
  });

  test.each([
    [ApiVersion.V2018_03_30, 'sync-pass2021', 'ResourceNotFound.JobNotExist'],
    [ApiVersion.V2021_12_06, 'sync-blj8wnt1', 'ResourceNotFound.ResourceNotFoundError'],
  ])('pinned to %s, a job of the other family (%s) is unknown: %s', async (apiVersion, jobId, code) => {
    const e = await failure(client(builtIn, { apiVersion }).describeSyncCheck(jobId));
    expect(e).toMatchObject({ code, attempts: 1, retryable: false });
  });
});

describe('lifecycle states', () => {
  let timed: RunningEmulator;
  beforeAll(async () => {
    timed = await emulator({
      rateLimitPerSecond: 0,
      jobs: [
        { jobId: 'sync-start001', region: 'ap-guangzhou', family: '2018', startDelaySeconds: 60 },
        { jobId: 'sync-start002', region: 'ap-guangzhou', startDelaySeconds: 60 },
        { jobId: 'sync-timed001', region: 'ap-guangzhou', checkSeconds: 1.5 },
        { jobId: 'sync-timed002', region: 'ap-guangzhou', family: '2018', outcome: 'failed', failStep: 5, checkSeconds: 1 },
        { jobId: 'sync-never001', region: 'ap-guangzhou', outcome: 'running', checkSeconds: 0.2 },
      ],
    });
  });

  test.each([
    [ApiVersion.V2018_03_30, 'sync-start001', 'starting'],
    [ApiVersion.V2021_12_06, 'sync-start002', 'notStarted'],
  ])('a check not started yet is pending and not passed (%s)', async (apiVersion, jobId, status) => {
    const report = await client(timed, { apiVersion }).describeSyncCheck(jobId);
    expect(report).toMatchObject({ status, phase: CheckPhase.PENDING, passed: false });
  });

  test('a running check is reported running, then waitForSyncCheck sees it pass', async () => {
    const seen: SyncCheckReport[] = [];
    const report = await client(timed, { apiVersion: ApiVersion.V2021_12_06 }).waitForSyncCheck('sync-timed001', {
      pollIntervalSeconds: 0.25,
      timeoutSeconds: 10,
      progressListener: { onProgress: (r) => seen.push(r) },
    });
    expect(report).toMatchObject({ passed: true, phase: CheckPhase.FINISHED });
    expect(seen[0]).toMatchObject({ phase: CheckPhase.RUNNING, passed: false });
    const progress = seen.map((r) => r.progress ?? 0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  test('a check that fails mid-way is waited for and reported failed (2018)', async () => {
    const report = await client(timed, { apiVersion: ApiVersion.V2018_03_30 }).waitForSyncCheck('sync-timed002', { pollIntervalSeconds: 0.2, timeoutSeconds: 10 });
    expect(report).toMatchObject({ passed: false, phase: CheckPhase.FINISHED, checkFlag: 0 });
    expect(report.failedSteps.map((s) => s.stepNo)).toEqual([5]);
  });

  test('a check that never finishes is returned unfinished and not passed when the wait runs out', async () => {
    const report = await client(timed).waitForSyncCheck('sync-never001', { pollIntervalSeconds: 0.2, timeoutSeconds: 0.8 });
    expect(report).toMatchObject({ passed: false, phase: CheckPhase.RUNNING });
    expect(report.reason).toMatch(/ran out/);
  });
});

describe('API errors are clear and not retried when a retry cannot help', () => {
  test.each([
    // AUTO asks both families; the error carries the last answer's code and names both.
    [ApiVersion.AUTO, 'ResourceNotFound.ResourceNotFoundError'],
    [ApiVersion.V2018_03_30, 'ResourceNotFound.JobNotExist'],
    [ApiVersion.V2021_12_06, 'ResourceNotFound.ResourceNotFoundError'],
  ])('an unknown job (%s) answers %s', async (apiVersion, code) => {
    const e = await failure(client(builtIn, { apiVersion }).describeSyncCheck('sync-nothere1'));
    expect(e).toBeInstanceOf(DtsApiError);
    expect(e).toMatchObject({ code, attempts: 1, retryable: false, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  test.each([
    ['a wrong key', 'AuthFailure.SignatureFailure', { ...CREDENTIALS, secretKey: 'WRONG' }],
    ['an unknown SecretId', 'AuthFailure.SecretIdNotFound', { ...CREDENTIALS, secretId: 'AKIDNOBODY' }],
  ])('%s answers %s', async (_what, code, credentials) => {
    const e = await failure(client(builtIn, { credentials }).describeSyncCheck('sync-blj8wnt1'));
    expect(e).toMatchObject({ code, attempts: 1 });
    expect(e.message).not.toMatch(/WRONG|SECRETEXAMPLE/);
  });

  test('a job asked in the wrong region answers UnsupportedRegion', async () => {
    expect(await failure(client(builtIn, { region: 'ap-beijing' }).describeSyncCheck('sync-blj8wnt1'))).toMatchObject({ code: 'UnsupportedRegion' });
  });

  test('temporary credentials send their token and pass; without it they fail with TokenFailure', async () => {
    const sts = await emulator({ credentials: [{ secretId: 'AKIDSTS', secretKey: 'STSKEY', sessionToken: 'tok' }] });
    const ok = await client(sts, { credentials: { secretId: 'AKIDSTS', secretKey: 'STSKEY', sessionToken: 'tok' } }).describeSyncCheck('sync-blj8wnt1');
    expect(ok.passed).toBe(true);
    const e = await failure(client(sts, { credentials: { secretId: 'AKIDSTS', secretKey: 'STSKEY' } }).describeSyncCheck('sync-blj8wnt1'));
    expect(e.code).toBe('AuthFailure.TokenFailure');
  });
});

describe('the retired 2018 action', () => {
  test('AUTO falls back to 2021-12-06 on ActionOffline, then goes there directly', async () => {
    const retired = await emulator({ retired2018: true });
    const c = client(retired);
    const first = await c.describeSyncCheck('sync-fail0001');
    expect(first).toMatchObject({ apiVersion: '2021-12-06', passed: false });
    expect(first.failedSteps[0].stepNo).toBe(7);
    const second = await c.describeSyncCheck('sync-pass2021');
    expect(second).toMatchObject({ apiVersion: '2021-12-06', passed: true });
    expect(retired.requests.map((r) => `${r.action}:${r.outcome}`)).toEqual([
      'DescribeSyncCheckJob:ActionOffline',
      'DescribeCheckSyncJobResult:Success',
      'DescribeCheckSyncJobResult:Success',
    ]);
  });

  test('asking 2018-03-30 explicitly is a clear ActionOffline error', async () => {
    const retired = await emulator({ retired2018: true });
    expect(await failure(client(retired, { apiVersion: ApiVersion.V2018_03_30 }).describeSyncCheck('sync-blj8wnt1'))).toMatchObject({ code: 'ActionOffline' });
  });
});

describe('clock skew and rate limits', () => {
  test('a server clock 15 minutes ahead is measured from its Date header and the call succeeds', async () => {
    const skewed = await emulator({ clockSkewSeconds: 900 });
    const report = await client(skewed).describeSyncCheck('sync-blj8wnt1');
    expect(report.passed).toBe(true);
    expect(skewed.requests.map((r) => r.outcome)).toEqual(['AuthFailure.SignatureExpire', 'Success']);
  });

  test('the client paces itself under the default limit of 20 per second: no request is refused', async () => {
    const limited = await emulator({ rateLimitPerSecond: 20 });
    const c = client(limited, { requestsPerSecond: 20 });
    const reports = await Promise.all(Array.from({ length: 30 }, () => c.describeSyncCheck('sync-blj8wnt1')));
    expect(reports.every((r) => r.passed)).toBe(true);
    expect(limited.requests.filter((r) => r.outcome === 'RequestLimitExceeded')).toHaveLength(0);
  });

  test('RequestLimitExceeded is retried until the window frees up', async () => {
    const limited = await emulator({ rateLimitPerSecond: 3 });
    const c = client(limited, { maxAttempts: 10 });
    const reports = await Promise.all(Array.from({ length: 6 }, () => c.describeSyncCheck('sync-blj8wnt1')));
    expect(reports.every((r) => r.passed)).toBe(true);
    expect(limited.requests.some((r) => r.outcome === 'RequestLimitExceeded')).toBe(true);
  });
});

describe('faults', () => {
  const fast = { maxAttempts: 3, attemptTimeoutSeconds: 0.6 };
  const RECOVERS = [
    FaultKind.HTTP_500,
    FaultKind.HTTP_502,
    FaultKind.HTTP_503,
    FaultKind.RESET,
    FaultKind.STALL,
    FaultKind.INTERNAL_DATABASE_ERROR,
    FaultKind.INTERNAL_PROTOCOL_ERROR,
    FaultKind.SERVICE_UNAVAILABLE,
    FaultKind.REQUEST_LIMIT,
  ];

  test.each(RECOVERS)('%s once is retried and the failing check is reported failed', async (kind) => {
    const report = await client(faulty, fast).describeSyncCheck(faultJob(kind));
    expect(report).toMatchObject({ passed: false, phase: CheckPhase.FINISHED });
    expect(report.failedSteps[0].stepNo).toBe(7);
    expect(outcomesFor(faulty, faultJob(kind))).toHaveLength(2);
  });

  test.each([FaultKind.SLOW_BODY, FaultKind.WRONG_CONTENT_TYPE])('%s still delivers the real (failed) answer in one attempt', async (kind) => {
    const report = await client(faulty, fast).describeSyncCheck(faultJob(kind));
    expect(report).toMatchObject({ passed: false, phase: CheckPhase.FINISHED });
    expect(outcomesFor(faulty, faultJob(kind))).toHaveLength(1);
  });

  test.each([
    [FaultKind.TRUNCATED_JSON, 'MalformedJson'],
    [FaultKind.GARBLED_JSON, 'MalformedJson'],
    [FaultKind.NOT_ALLOW_OPERATION, 'FailedOperation.NotAllowOperation'],
    [FaultKind.CLOCK_SKEW, 'AuthFailure.SignatureExpire'],
  ])('%s is a clear %s error, never a report', async (kind, code) => {
    const e = await failure(client(faulty, fast).describeSyncCheck(faultJob(kind)));
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(20);
  });

  test('after a clockSkew fault the next call re-measures the clock and succeeds', async () => {
    const report = await client(faulty, fast).describeSyncCheck(faultJob(FaultKind.CLOCK_SKEW));
    expect(report.passed).toBe(false);
    expect(report.failedSteps[0].stepNo).toBe(7);
  });

  test('two resets in a row are retried through', async () => {
    const report = await client(faulty, fast).describeSyncCheck('sync-resets01');
    expect(report.passed).toBe(true);
    expect(outcomesFor(faulty, 'sync-resets01')).toEqual(['reset', 'reset', 'Success']);
  });

  test('a server that keeps answering 503 is a retryable network error after the last attempt', async () => {
    const e = await failure(client(faulty, fast).describeSyncCheck('sync-down0001'));
    expect(e).toMatchObject({ kind: 'network', code: 'HttpServerError', httpStatus: 503, attempts: 3, retryable: true });
  });

  test('a server that never answers is a timeout error after the last attempt', async () => {
    const e = await failure(client(faulty, { maxAttempts: 2, attemptTimeoutSeconds: 0.3 }).describeSyncCheck('sync-hang0001'));
    expect(e).toMatchObject({ kind: 'timeout', code: 'AttemptTimeout', attempts: 2 });
  });
});
