import { DtsClient, DtsClientOptions } from '../../src/dts/client';
import { forgetLearnedVersions } from '../../src/dts/endpoints';
import { DtsApiError, DtsInputError, DtsMalformedResponseError, DtsNetworkError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { ApiVersion, CheckPhase } from '../../src/dts/types';
import { answer2018, answer2021, apiError, FakeDts, ok, TEST_SECRET_ID, TEST_SECRET_KEY } from '../support/fake-dts';
import { SLACK_MS } from '../support/time';

const JOB = 'sync-blj8wnt1';
let fake: FakeDts;

function client(options: DtsClientOptions = {}): DtsClient {
  return new DtsClient({
    region: 'ap-guangzhou',
    endpoint: fake.endpoint,
    credentials: { secretId: TEST_SECRET_ID, secretKey: TEST_SECRET_KEY },
    requestsPerSecond: 1000,
    ...options,
  });
}

beforeAll(async () => {
  fake = await FakeDts.start(undefined, { secretKey: TEST_SECRET_KEY });
});

afterAll(async () => {
  await closeConnections();
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.handler = () => answer2018();
  forgetLearnedVersions();
});

describe('a single lookup', () => {
  test('sends a signed POST / with the documented headers and the job id as JSON', async () => {
    const report = await client({ language: 'en-US' }).describeSyncCheck(JOB);
    expect(report.passed).toBe(true);
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/');
    expect(req.json).toEqual({ JobId: JOB });
    expect(req.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'host': fake.host,
      'x-tc-action': 'DescribeSyncCheckJob',
      'x-tc-version': '2018-03-30',
      'x-tc-region': 'ap-guangzhou',
      'x-tc-language': 'en-US',
    });
    expect(req.headers['x-tc-token']).toBeUndefined();
    expect(String(req.headers.authorization)).toMatch(
      new RegExp(`^TC3-HMAC-SHA256 Credential=${TEST_SECRET_ID}/\\d{4}-\\d{2}-\\d{2}/dts/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=[0-9a-f]{64}$`),
    );
    // Seconds (not ms) of this machine's clock; the room is for a busy machine between request and assertion.
    expect(Math.abs(Number(req.headers['x-tc-timestamp']) - Date.now() / 1000)).toBeLessThan(SLACK_MS.childProcess / 1000);
  });

  test('signs the host with its port and the service dts even behind an endpoint override', async () => {
    await client().describeSyncCheck(JOB);
    // the fake verifies the signature against the Host it received, so a pass proves the signed host
    expect(fake.requests[0].headers.host).toBe(fake.host);
    expect(String(fake.requests[0].headers.authorization)).toContain('/dts/tc3_request');
  });

  test('reuses kept-alive connections for consecutive calls across clients instead of one per call', async () => {
    await closeConnections();
    const before = fake.connections;
    for (let i = 0; i < 6; i++) await client().describeSyncCheck(JOB);
    // undici's Pool may open a second connection while the first is still being released
    expect(fake.connections - before).toBeLessThanOrEqual(2);
  });

  test('sends X-TC-Token only with a session token', async () => {
    await client({ credentials: { secretId: TEST_SECRET_ID, secretKey: TEST_SECRET_KEY, sessionToken: 'tok-123' } }).describeSyncCheck(JOB);
    expect(fake.requests[0].headers['x-tc-token']).toBe('tok-123');
  });

  test('reports the failed step of a failed 2018 check', async () => {
    fake.handler = () => answer2018({ failAt: 7, failMessage: '目标实例不为空' });
    const report = await client().describeSyncCheck(JOB);
    expect(report.passed).toBe(false);
    expect(report.phase).toBe(CheckPhase.FINISHED);
    expect(report.reason).toBe('check failed at step 7 (检查目标实例是否为空): 目标实例不为空');
    expect(report.failedSteps.map((s) => s.stepNo)).toEqual([7]);
    expect(report.requestId).toMatch(/^fake-/);
  });

  test('a pinned 2021-12-06 client calls only DescribeCheckSyncJobResult', async () => {
    fake.handler = () => answer2021();
    const report = await client({ apiVersion: ApiVersion.V2021_12_06 }).describeSyncCheck(JOB);
    expect(report).toMatchObject({ passed: true, action: 'DescribeCheckSyncJobResult', apiVersion: '2021-12-06' });
    expect(fake.requests.map((r) => r.action)).toEqual(['DescribeCheckSyncJobResult']);
  });

  test('a pinned 2018-03-30 client does not fall back when the action is offline', async () => {
    fake.handler = () => apiError('ActionOffline');
    await expect(client({ apiVersion: ApiVersion.V2018_03_30 }).describeSyncCheck(JOB)).rejects.toMatchObject({ code: 'ActionOffline' });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('the AUTO version', () => {
  test.each(['ActionOffline', 'InvalidAction', 'NoSuchVersion', 'UnsupportedOperation'])(
    'falls back to 2021-12-06 on %s and remembers it for every job, so the next call goes straight there',
    async (code) => {
      fake.handler = (req) => (req.version === '2018-03-30' ? apiError(code) : answer2021({ status: 'failed', failAt: 3 }));
      const first = await client().describeSyncCheck(JOB);
      expect(first).toMatchObject({ apiVersion: '2021-12-06', passed: false, phase: CheckPhase.FINISHED });
      expect(first.reason).toBe('check failed at step 3 (step TargetEmptyCheck): target is not empty (solution: empty it)');
      const second = await client().describeSyncCheck('sync-other001');
      expect(second.apiVersion).toBe('2021-12-06');
      expect(fake.requests.map((r) => `${r.action}@${r.version}`)).toEqual([
        'DescribeSyncCheckJob@2018-03-30',
        'DescribeCheckSyncJobResult@2021-12-06',
        'DescribeCheckSyncJobResult@2021-12-06',
      ]);
    },
  );

  test('asks 2021-12-06 when the 2018 action does not know the job (a data sync job), and remembers that for the job only', async () => {
    const family2021 = new Set([JOB]);
    fake.handler = (req) => {
      const jobId = (req.json as { JobId: string }).JobId;
      if (req.version === '2018-03-30') return family2021.has(jobId) ? apiError('ResourceNotFound.JobNotExist', '迁移任务不存在') : answer2018();
      return family2021.has(jobId) ? answer2021() : apiError('ResourceNotFound.ResourceNotFoundError');
    };
    expect(await client().describeSyncCheck(JOB)).toMatchObject({ passed: true, apiVersion: '2021-12-06', action: 'DescribeCheckSyncJobResult' });
    expect(await client().describeSyncCheck(JOB)).toMatchObject({ apiVersion: '2021-12-06' });
    expect(await client().describeSyncCheck('sync-old00001')).toMatchObject({ passed: true, apiVersion: '2018-03-30', action: 'DescribeSyncCheckJob' });
    expect(fake.requests.map((r) => `${r.action}:${(r.json as { JobId: string }).JobId}`)).toEqual([
      `DescribeSyncCheckJob:${JOB}`,
      `DescribeCheckSyncJobResult:${JOB}`,
      `DescribeCheckSyncJobResult:${JOB}`,
      'DescribeSyncCheckJob:sync-old00001',
    ]);
  });

  test('when neither version knows the job, the error names both answers and their request ids', async () => {
    fake.handler = (req) => apiError(req.version === '2018-03-30' ? 'ResourceNotFound.JobNotExist' : 'ResourceNotFound.ResourceNotFoundError');
    const err = await client().describeSyncCheck(JOB).catch((e) => e);
    expect(err).toBeInstanceOf(DtsApiError);
    expect(err).toMatchObject({ code: 'ResourceNotFound.ResourceNotFoundError', retryable: false, jobId: JOB, region: 'ap-guangzhou', action: 'DescribeCheckSyncJobResult' });
    expect(err.message).toMatch(
      /^neither API version knows job sync-blj8wnt1: DescribeSyncCheckJob \(2018-03-30\) answered ResourceNotFound\.JobNotExist \(request id fake-\S+\), DescribeCheckSyncJobResult \(2021-12-06\) answered ResourceNotFound\.ResourceNotFoundError \(request id fake-\S+\)$/,
    );
    expect(fake.requests).toHaveLength(2);
  });

  test.each(['FailedOperation.NotAllowOperation', 'AuthFailure.SignatureFailure', 'InvalidParameter'])('does not fall back on %s', async (code) => {
    fake.handler = () => apiError(code);
    const err = await client().describeSyncCheck(JOB).catch((e) => e);
    expect(err).toBeInstanceOf(DtsApiError);
    expect(err).toMatchObject({ code, retryable: false, attempts: 1, jobId: JOB, region: 'ap-guangzhou', action: 'DescribeSyncCheckJob' });
    expect(err.requestId).toMatch(/^fake-/);
    expect(fake.requests).toHaveLength(1);
  });

  test('a pinned 2018-03-30 client reports a job it does not know, without asking 2021-12-06', async () => {
    fake.handler = () => apiError('ResourceNotFound.JobNotExist');
    await expect(client({ apiVersion: ApiVersion.V2018_03_30 }).describeSyncCheck(JOB)).rejects.toMatchObject({ code: 'ResourceNotFound.JobNotExist' });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('input is checked before anything is sent', () => {
  test.each([
    [{ region: 'ap_guangzhou' }, /`region` must be a Tencent Cloud region id/],
    [{ endpoint: 'http://dts.tencentcloudapi.com' }, /plain http is only allowed to loopback/],
    [{ endpoint: 'https://dts.tencentcloudapi.com/x' }, /no path, query or fragment/],
    [{ maxAttempts: 0 }, /`maxAttempts` must be an integer from 1 to 20 \(got 0\)/],
    [{ maxAttempts: 2.5 }, /`maxAttempts`/],
    [{ attemptTimeoutSeconds: -1 }, /`attemptTimeoutSeconds` must be a number of seconds greater than 0 and at most 600/],
    [{ deadlineSeconds: Number.NaN }, /`deadlineSeconds`/],
    [{ requestsPerSecond: 0 }, /`requestsPerSecond`/],
    [{ language: 'fr-FR' }, /`language` must be one of zh-CN, en-US/],
    [{ apiVersion: '2099-01-01' as ApiVersion }, /`apiVersion` must be one of/],
  ])('refuses options %j with a message naming the option', (options, message) => {
    expect(() => client(options as DtsClientOptions)).toThrow(DtsInputError);
    expect(() => client(options as DtsClientOptions)).toThrow(message);
    expect(fake.requests).toHaveLength(0);
  });

  test('takes the region from TENCENTCLOUD_REGION and asks for one when neither is given', () => {
    const saved = process.env.TENCENTCLOUD_REGION;
    try {
      delete process.env.TENCENTCLOUD_REGION;
      expect(() => new DtsClient({})).toThrow(/`region` is required: pass `region` .* or set TENCENTCLOUD_REGION/);
      process.env.TENCENTCLOUD_REGION = 'na-toronto';
      expect(new DtsClient({}).region).toBe('na-toronto');
      process.env.TENCENTCLOUD_REGION = 'mars-1';
      expect(() => new DtsClient({})).toThrow(/TENCENTCLOUD_REGION must be a Tencent Cloud region id/);
    } finally {
      if (saved === undefined) delete process.env.TENCENTCLOUD_REGION;
      else process.env.TENCENTCLOUD_REGION = saved;
    }
  });

  test.each(['sync-x; rm -rf /', 'sync-blj8wnt1\n', '', 'SYNC-BLJ8WNT1'])('refuses job id %j without sending', async (jobId) => {
    await expect(client().describeSyncCheck(jobId)).rejects.toThrow(/jobId must match sync-\[0-9a-z\]\{8\}/);
    await expect(client().waitForSyncCheck(jobId)).rejects.toBeInstanceOf(DtsInputError);
    expect(fake.requests).toHaveLength(0);
  });

  test('finance regions use their own host, and a mismatched Tencent Cloud host is refused', () => {
    expect(() => new DtsClient({ region: 'ap-shanghai-fsi', endpoint: 'https://dts.tencentcloudapi.com' })).toThrow(
      /`endpoint` "https:\/\/dts.tencentcloudapi.com" does not serve region ap-shanghai-fsi: use https:\/\/dts.ap-shanghai-fsi.tencentcloudapi.com/,
    );
    expect(() => new DtsClient({ region: 'ap-guangzhou', endpoint: 'https://dts.ap-shenzhen-fsi.tencentcloudapi.com' })).toThrow(/does not serve region ap-guangzhou/);
    expect(new DtsClient({ region: 'ap-shenzhen-fsi', endpoint: 'https://dts.ap-shenzhen-fsi.tencentcloudapi.com' }).region).toBe('ap-shenzhen-fsi');
  });
});

describe('answers that are not valid answers are never passed', () => {
  test.each([
    ['an unknown status', ok({ Status: 'done', ErrorCode: 0, CheckFlag: 1, StepInfo: [] }), /unknown Status "done"/],
    ['a CheckFlag of the wrong type', ok({ Status: 'finished', ErrorCode: 0, CheckFlag: '1', StepInfo: [] }), /CheckFlag must be an integer, got string/],
    ['a Status of the wrong type', ok({ Status: 1, ErrorCode: 0, CheckFlag: 1 }), /Status must be a string, got number/],
    ['a missing Status', ok({ ErrorCode: 0, CheckFlag: 1 }), /Status must be a string, got undefined/],
    ['a step that is not an object', ok({ Status: 'finished', ErrorCode: 0, CheckFlag: 1, StepInfo: [1] }), /StepInfo\[0\] must be an object/],
    ['no Response object', { body: { Result: {} } }, /without a Response object/],
    ['an Error without a Code', { body: { Response: { Error: { Message: 'x' }, RequestId: 'r' } } }, /Response.Error that has no Code/],
    ['truncated JSON', { body: '{"Response": {"Status": "fini', headers: { 'content-type': 'application/json' } }, /JSON that does not parse/],
  ])('%s is a DtsMalformedResponseError', async (_what, reply, message) => {
    fake.handler = () => reply;
    const err = await client().describeSyncCheck(JOB).catch((e) => e);
    expect(err).toBeInstanceOf(DtsMalformedResponseError);
    expect(err.message).toMatch(message);
    expect(err).toMatchObject({ action: 'DescribeSyncCheckJob', region: 'ap-guangzhou', retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  test('a malformed answer carries the request id it came with', async () => {
    fake.handler = () => ({ body: { Response: { Status: 'finished', ErrorCode: 0, CheckFlag: '1', RequestId: 'req-42' } } });
    await expect(client().describeSyncCheck(JOB)).rejects.toMatchObject({ requestId: 'req-42', kind: 'malformed-response' });
  });

  test('an HTML page with HTTP 200 is a network error, not an answer', async () => {
    fake.handler = () => ({ body: '<html><body>Please log in</body></html>', headers: { 'content-type': 'text/html' } });
    const err = await client().describeSyncCheck(JOB).catch((e) => e);
    expect(err).toBeInstanceOf(DtsNetworkError);
    expect(err).toMatchObject({ code: 'NonJsonResponse', httpStatus: 200 });
    expect(err.message).toMatch(/HTML page \(text\/html\) instead of a JSON API answer/);
  });

  test('an HTTP 404 page is a network error that is not retried', async () => {
    fake.handler = () => ({ status: 404, body: 'not here' });
    await expect(client().describeSyncCheck(JOB)).rejects.toMatchObject({ kind: 'network', code: 'HttpClientError', httpStatus: 404, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  test('a body over the 1 MiB cap is refused', async () => {
    fake.handler = () => ({ body: JSON.stringify({ Response: { Pad: 'x'.repeat(1024 * 1024 + 10), RequestId: 'r' } }), headers: { 'content-type': 'application/json' } });
    const err = await client().describeSyncCheck(JOB).catch((e) => e);
    expect(err).toBeInstanceOf(DtsNetworkError);
    expect(err).toMatchObject({ code: 'ResponseTooLarge', retryable: false });
    expect(err.message).toMatch(/larger than the 1048576 bytes allowed/);
  });

  test('a body over the cap without Content-Length is cut off while streaming', async () => {
    fake.handler = () => ({
      body: JSON.stringify({ Response: { Pad: 'x'.repeat(1024 * 1024 + 10), RequestId: 'r' } }),
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    await expect(client().describeSyncCheck(JOB)).rejects.toMatchObject({ code: 'ResponseTooLarge' });
  });

  test('a redirect is refused, naming where it pointed', async () => {
    fake.handler = () => ({ status: 302, headers: { location: 'https://evil.example.com/steal' }, body: '' });
    const err = await client().describeSyncCheck(JOB).catch((e) => e);
    expect(err).toBeInstanceOf(DtsNetworkError);
    expect(err).toMatchObject({ code: 'RedirectRefused', httpStatus: 302, retryable: false });
    expect(err.message).toMatch(/redirect \(HTTP 302\) to host evil\.example\.com/);
    expect(fake.requests).toHaveLength(1);
  });
});
